// `incident list` as data: incidents and problems filtered by status, severity, category, service,
// openness and date, newest first. Pure; the filters are checked against the config by `checkListFilters`.

import type { Config } from "../config/types.js";
import { isOpen, lastResolution } from "../lifecycle/resolution.js";
import { formatInZone, parseInstant } from "../lifecycle/time.js";
import type { Incident, Problem } from "../model/types.js";
import { incidentDate } from "./compute.js";

export type ListKind = "incident" | "problem" | "all";

export interface ListFilters {
  kind?: ListKind;
  statuses?: readonly string[];
  severities?: readonly string[];
  /** A category id, or a family prefix such as `sec` (matches `sec.*`). */
  category?: string;
  service?: string;
  open?: boolean;
  /** At or after (by the record's date). */
  since?: Date;
  /** Before (exclusive). */
  until?: Date;
}

export interface IncidentRow {
  id: string;
  title: string;
  status: string;
  severity?: string;
  priority?: string;
  mode: string;
  categories: string[];
  services: string[];
  /** The record's date (declared, else detected), in the configured zone. */
  date?: string;
  detected?: string;
  resolved?: string;
  commander?: string;
  problems: string[];
}

export interface ProblemRow {
  id: string;
  title: string;
  status: string;
  owner?: string;
  categories: string[];
  services: string[];
  /** When the problem record was opened, in the configured zone. */
  date?: string;
  incidents: string[];
}

export interface ListReport {
  timezone: string;
  kind: ListKind;
  incidents: IncidentRow[];
  problems: ProblemRow[];
}

/** Messages for filter values the config does not know; empty when all are fine. */
export function checkListFilters(filters: ListFilters, config: Config): string[] {
  const errors: string[] = [];
  const kind = filters.kind ?? "all";
  const states = new Set<string>();
  if (kind !== "problem") for (const s of config.lifecycle.states) states.add(s.id);
  if (kind !== "incident") for (const s of config.problem_lifecycle.states) states.add(s.id);
  for (const s of filters.statuses ?? []) {
    if (!states.has(s)) errors.push(`unknown status \`${s}\`; use one of: ${[...states].join(", ")}`);
  }
  const sevs = config.severities.map((s) => s.id);
  for (const s of filters.severities ?? []) {
    if (!sevs.includes(s)) errors.push(`unknown severity \`${s}\`; use one of: ${sevs.join(", ")}`);
  }
  const c = filters.category;
  if (c !== undefined && !config.categories.some((x) => x.id === c || x.id.startsWith(`${c}.`))) {
    const families = [...new Set(config.categories.map((x) => x.id.split(".")[0]))];
    errors.push(
      `unknown category \`${c}\`; use a category id such as ${config.categories[0]?.id ?? "ops.change"} or a family (${families.join(", ")})`,
    );
  }
  const s = filters.service;
  // An empty service catalog is not checked, as in `incident validate`.
  if (s !== undefined && config.services.length > 0 && !config.services.some((x) => x.id === s)) {
    errors.push(`unknown service \`${s}\`; use one of: ${config.services.map((x) => x.id).join(", ")}`);
  }
  return errors;
}

const inCategory = (categories: readonly string[] | undefined, c: string) =>
  (categories ?? []).some((x) => x === c || x.startsWith(`${c}.`));

function inWindow(at: string | undefined, f: ListFilters): boolean {
  if (!f.since && !f.until) return true;
  const ms = parseInstant(at);
  if (ms === undefined) return false;
  return (!f.since || ms >= f.since.getTime()) && (!f.until || ms < f.until.getTime());
}

/**
 * Newest first; records without a computable date last (never as 1970-01-01, which would sort them
 * between older and newer records), ties and undated records by id, highest first.
 */
const byNewest = <T extends { id: string; ms: number | undefined }>(a: T, b: T) =>
  (a.ms === undefined ? 1 : 0) - (b.ms === undefined ? 1 : 0) ||
  (a.ms !== undefined && b.ms !== undefined ? b.ms - a.ms : 0) ||
  (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export function computeList(
  incidents: readonly Incident[],
  problems: readonly Problem[],
  config: Config,
  filters: ListFilters = {},
): ListReport {
  const tz = config.timezone;
  const kind = filters.kind ?? "all";
  const statuses = filters.statuses?.length ? new Set(filters.statuses) : undefined;
  const sevs = filters.severities?.length ? new Set(filters.severities) : undefined;
  const local = (at: string | undefined) => {
    const ms = parseInstant(at);
    return ms === undefined ? at : formatInZone(new Date(ms), tz);
  };
  const problemOpen = (status: string) =>
    status !== "resolved" && !config.problem_lifecycle.states.find((s) => s.id === status)?.terminal;

  const problemsOf = new Map<string, Set<string>>();
  const incidentsOf = new Map<string, Set<string>>();
  const link = (inc: string, prb: string) => {
    if (!problemsOf.has(inc)) problemsOf.set(inc, new Set());
    if (!incidentsOf.has(prb)) incidentsOf.set(prb, new Set());
    problemsOf.get(inc)?.add(prb);
    incidentsOf.get(prb)?.add(inc);
  };
  for (const p of problems) for (const id of p.incident_refs ?? []) link(id, p.id);
  for (const i of incidents) for (const id of i.problem_refs ?? []) link(i.id, id);

  const incRows =
    kind === "problem"
      ? []
      : incidents
          .filter(
            (i) =>
              (!statuses || statuses.has(i.status)) &&
              (!sevs || (i.severity !== undefined && sevs.has(i.severity))) &&
              (filters.category === undefined || inCategory(i.categories, filters.category)) &&
              (filters.service === undefined || (i.services ?? []).includes(filters.service)) &&
              (!filters.open || isOpen(i.status, config)) &&
              inWindow(incidentDate(i), filters),
          )
          .map((i) => ({ i, id: i.id, ms: parseInstant(incidentDate(i)) }))
          .sort(byNewest)
          .map(({ i }): IncidentRow => {
            const ts = i.timestamps ?? {};
            return {
              id: i.id,
              title: i.title,
              status: i.status,
              severity: i.severity,
              priority: i.priority,
              mode: i.mode ?? "standard",
              categories: i.categories ?? [],
              services: i.services ?? [],
              date: local(incidentDate(i)),
              detected: local(ts.detected_at),
              resolved: local(lastResolution(i, config)),
              commander: i.roles?.incident_commander,
              problems: [...(problemsOf.get(i.id) ?? [])].sort(),
            };
          });

  // Problems have no severity: a severity filter lists incidents only.
  const prbRows =
    kind === "incident" || sevs
      ? []
      : problems
          .filter(
            (p) =>
              (!statuses || statuses.has(p.status)) &&
              (filters.category === undefined || inCategory(p.categories, filters.category)) &&
              (filters.service === undefined || (p.services ?? []).includes(filters.service)) &&
              (!filters.open || problemOpen(p.status)) &&
              inWindow(p.timestamps?.created_at, filters),
          )
          .map((p) => ({ p, id: p.id, ms: parseInstant(p.timestamps?.created_at) }))
          .sort(byNewest)
          .map(
            ({ p }): ProblemRow => ({
              id: p.id,
              title: p.title,
              status: p.status,
              owner: p.owner,
              categories: p.categories ?? [],
              services: p.services ?? [],
              date: local(p.timestamps?.created_at),
              incidents: [...(incidentsOf.get(p.id) ?? [])].sort(),
            }),
          );
  return { timezone: tz, kind, incidents: incRows, problems: prbRows };
}
