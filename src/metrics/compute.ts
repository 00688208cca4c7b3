// Incident metrics from parsed records: counts, TTD/TTA/TTM/TTR, customer impact and review latency
// (n, median, p90, mean, and how many incidents were left out), response-target breaches per severity,
// action items, problem recurrence and time between failures per service. Pure: takes records, the
// config and the clock, returns plain data; durations are in milliseconds.

import { defaultConfig } from "../config/defaults.js";
import type { Config, MetricDefinition, MetricId } from "../config/types.js";
import { actionDaysOverdue, localDate } from "../lifecycle/calendar.js";
import { isOpen, lastResolution } from "../lifecycle/resolution.js";
import { formatInZone, parseInstant } from "../lifecycle/time.js";
import { durationMs } from "../lifecycle/transition.js";
import type { ActionItem, Incident, Problem } from "../model/types.js";
import type { RuleSet } from "../regulatory/types.js";
import { excludedModes, isCounted } from "./modes.js";
import { type RegimeStats, regulatoryStats } from "./regulatory.js";
import { median, monthRange, monthSpan, type Summary, summarize } from "./summary.js";

export type GroupBy = "severity" | "category" | "service" | "month" | "problem";
export const GROUP_BY: readonly GroupBy[] = ["severity", "category", "service", "month", "problem"];

export { isOpen, lastResolution };

export const METRIC_IDS: readonly MetricId[] = ["ttd", "tta", "ttm", "ttr", "impact", "review"];

const METRIC_NAMES: Record<MetricId, { abbr: string; label: string }> = {
  ttd: { abbr: "TTD", label: "Time to detect" },
  tta: { abbr: "TTA", label: "Time to acknowledge" },
  ttm: { abbr: "TTM", label: "Time to mitigate" },
  ttr: { abbr: "TTR", label: "Time to resolve" },
  impact: { abbr: "Impact", label: "Customer impact duration" },
  review: { abbr: "Review", label: "Review latency" },
};

export interface MetricInfo extends MetricDefinition {
  id: MetricId;
  abbr: string;
  label: string;
}

/** The metric definitions in effect: the config's, else the built-in ones, metric by metric. */
export function metricDefinitions(config: Config): MetricInfo[] {
  const builtIn = defaultConfig.metrics.definitions ?? {};
  const own = config.metrics.definitions ?? {};
  return METRIC_IDS.map((id) => {
    const def = { ...builtIn[id], ...own[id] } as MetricDefinition;
    return { id, ...METRIC_NAMES[id], start: def.start, end: def.end };
  });
}

/** A metric over a set of incidents: the summary of the durations, and who was left out and why. */
export interface MetricSummary extends Summary {
  /** Incidents without the start or the end timestamp (not yet reached, or never recorded). */
  missing: number;
  /** Incidents whose end is before their start: left out, the record needs fixing. */
  negative: number;
}

export interface GroupStats {
  key: string;
  label: string;
  incidents: number;
  /** Incidents not yet resolved, closed or canceled. */
  open: number;
  metrics: Record<MetricId, MetricSummary>;
}

export type TargetName = "acknowledge" | "mitigate" | "resolve";
export const TARGET_NAMES: readonly TargetName[] = ["acknowledge", "mitigate", "resolve"];
const TARGET_END: Record<TargetName, string> = {
  acknowledge: "acknowledged_at",
  mitigate: "mitigated_at",
  resolve: "resolved_at",
};

export interface TargetStats {
  severity: string;
  target: TargetName;
  /** ISO 8601 duration from the config. */
  limit: string;
  limitMs: number;
  /** Incidents of the severity whose time could be judged: reached the end, or still open. */
  measured: number;
  breached: number;
  /** Incidents that reached neither the target's end nor a final state judgement (closed without it). */
  notMeasured: number;
}

export interface Breach {
  id: string;
  title: string;
  severity: string;
  target: TargetName;
  limit: string;
  limitMs: number;
  /** How long it took, or for an ongoing breach how long it has been open so far. */
  tookMs: number;
  overMs: number;
  /** The incident is still open and has not reached the target's end yet. */
  ongoing: boolean;
}

export interface OverdueItem {
  record: string;
  id: string;
  title: string;
  owner: string;
  due: string;
  status: string;
  daysOverdue: number;
}

export interface ActionItemStats {
  total: number;
  /** Status `open` or `in_progress`. */
  open: number;
  overdue: number;
  done: number;
  wontDo: number;
  /** Done items with a due date and a `completed_at`: the base of the on-time rate. */
  doneWithDue: number;
  doneOnTime: number;
  /** doneOnTime / doneWithDue; undefined when there are none. */
  onTimeRate?: number;
  overdueItems: OverdueItem[];
}

export interface ProblemStats {
  id: string;
  title: string;
  status: string;
  /** Linked incidents among those counted (mode and window applied): the recurrence. */
  incidents: number;
  /** Linked incidents in all, from either side of the link. */
  linked: number;
}

export interface ServiceGaps {
  service: string;
  incidents: number;
  /** Gaps between the detection of consecutive incidents of the service (incidents - 1). */
  gaps: number;
  medianGapMs?: number;
  lastDetected?: string;
}

export interface StatsOptions {
  by?: GroupBy;
  /** Incidents whose date is at or after this instant. */
  since?: Date;
  /** Incidents whose date is before this instant (exclusive). */
  until?: Date;
  /** Modes counted even though `metrics.exclude_modes` lists them. */
  includeModes?: readonly string[];
}

export interface StatsInput {
  incidents: readonly Incident[];
  problems: readonly Problem[];
  config: Config;
  now: Date;
  /** The regulatory rules in force; with them, incidents with a `regulatory` block add `regulatory`. */
  rules?: RuleSet;
}

export interface StatsReport {
  now: string;
  timezone: string;
  since?: string;
  until?: string;
  by?: GroupBy;
  definitions: MetricInfo[];
  counts: {
    /** Every valid incident read. */
    incidents: number;
    /** Incidents the metrics are computed over. */
    counted: number;
    /** Incidents left out by mode, per mode. */
    excludedModes: Record<string, number>;
    /** Incidents left out because their date is outside --since/--until. */
    outsideWindow: number;
    /**
     * Incidents that were no failure (canceled, or determined a false positive or a duplicate): in
     * the status counts, left out of every metric, target, recurrence and time between failures.
     */
    dismissed: number;
    problems: number;
  };
  /** Counted incidents per status, in lifecycle order. */
  byStatus: Array<{ status: string; incidents: number }>;
  overall: GroupStats;
  groups: GroupStats[];
  /**
   * With `by: month`, when the incidents span more than MAX_MONTHS months (a record dated in year 1):
   * the groups are then the months with incidents only, not every month of the span.
   */
  monthsCut?: { first: string; last: string; span: number };
  targets: TargetStats[];
  breaches: Breach[];
  actionItems: ActionItemStats;
  problems: ProblemStats[];
  services: ServiceGaps[];
  /** Regulatory reports per regime; only when some counted incident has a `regulatory` block. */
  regulatory?: RegimeStats[];
}

/**
 * The date an incident is reported under (window, months): declared, else detected, else impact start,
 * the same date the site lists it under. A time no clock can compute counts as missing.
 */
export function incidentDate(inc: Incident): string | undefined {
  const ts = inc.timestamps ?? {};
  return [ts.declared_at, ts.detected_at, ts.impact_started_at].find((t) => parseInstant(t) !== undefined);
}

/**
 * The incident's times as the metrics read them, in milliseconds, read once through the one parser:
 * `resolved_at` is the last resolution, and a time that cannot be computed is missing (validate
 * reports it as TIME_INVALID), so no metric is ever NaN.
 */
function effectiveTimes(inc: Incident, config: Config): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const [k, v] of Object.entries({
    ...(inc.timestamps ?? {}),
    resolved_at: lastResolution(inc, config),
  }))
    out[k] = parseInstant(v);
  return out;
}

/**
 * One incident's durations, metric by metric, as `incident stats` measures them (the config's
 * definitions, the last resolution): the site charts these, so its numbers are the stats' numbers.
 * A metric whose start or end is missing, or whose end is before its start, is left out.
 */
export function incidentDurations(
  inc: Incident,
  config: Config,
  defs: readonly MetricInfo[] = metricDefinitions(config),
): Array<{ metric: MetricInfo; ms: number }> {
  const ts = effectiveTimes(inc, config);
  const out: Array<{ metric: MetricInfo; ms: number }> = [];
  for (const metric of defs) {
    const a = ts[metric.start];
    const b = ts[metric.end];
    if (a !== undefined && b !== undefined && b >= a) out.push({ metric, ms: b - a });
  }
  return out;
}

function metricSummary(values: number[], missing: number, negative: number): MetricSummary {
  return { ...summarize(values), missing, negative };
}

interface Prepared {
  inc: Incident;
  ts: Record<string, number | undefined>;
  open: boolean;
}

function groupStats(
  key: string,
  label: string,
  members: readonly Prepared[],
  defs: readonly MetricInfo[],
): GroupStats {
  const metrics = {} as Record<MetricId, MetricSummary>;
  for (const def of defs) {
    const values: number[] = [];
    let missing = 0;
    let negative = 0;
    for (const p of members) {
      const a = p.ts[def.start];
      const b = p.ts[def.end];
      const ms = a !== undefined && b !== undefined ? b - a : Number.NaN;
      if (Number.isNaN(ms)) missing++;
      else if (ms < 0) negative++;
      else values.push(ms);
    }
    metrics[def.id] = metricSummary(values, missing, negative);
  }
  return { key, label, incidents: members.length, open: members.filter((p) => p.open).length, metrics };
}

/** `YYYY-MM-DD` of an instant in the zone. */

const NONE = "(none)";

/** No failure after all: canceled, or determined a false positive or a duplicate of another. */
export function isDismissed(inc: Incident): boolean {
  return (
    inc.status === "canceled" || inc.determination === "false_positive" || inc.determination === "duplicate"
  );
}

export function computeStats(input: StatsInput, options: StatsOptions = {}): StatsReport {
  const { config, now } = input;
  const tz = config.timezone;
  const defs = metricDefinitions(config);
  const excluded = excludedModes(config, options.includeModes);
  const leftOut: Record<string, number> = {};
  let outsideWindow = 0;
  let dismissed = 0;
  /** Incidents of the report's modes and dates; `counted` is those of them that were failures. */
  const inWindow: Prepared[] = [];
  const counted: Prepared[] = [];
  for (const inc of input.incidents) {
    if (!isCounted(inc, excluded)) {
      const mode = inc.mode ?? "standard";
      leftOut[mode] = (leftOut[mode] ?? 0) + 1;
      continue;
    }
    const ms = parseInstant(incidentDate(inc));
    if (
      (options.since || options.until) &&
      (ms === undefined ||
        (options.since && ms < options.since.getTime()) ||
        (options.until && ms >= options.until.getTime()))
    ) {
      outsideWindow++;
      continue;
    }
    const prepared = { inc, ts: effectiveTimes(inc, config), open: isOpen(inc.status, config) };
    inWindow.push(prepared);
    if (isDismissed(inc)) dismissed++;
    else counted.push(prepared);
  }
  const countedIds = new Set(counted.map((p) => p.inc.id));

  // Problem links are written on both sides; either side alone links the pair.
  const problemsOf = new Map<string, Set<string>>();
  const link = (incId: string, prbId: string) => {
    const s = problemsOf.get(incId) ?? new Set<string>();
    s.add(prbId);
    problemsOf.set(incId, s);
  };
  for (const p of input.problems) for (const id of p.incident_refs ?? []) link(id, p.id);
  for (const inc of input.incidents) for (const id of inc.problem_refs ?? []) link(inc.id, id);

  // Status counts in lifecycle order.
  const statusCount = new Map<string, number>();
  for (const p of inWindow) statusCount.set(p.inc.status, (statusCount.get(p.inc.status) ?? 0) + 1);
  const stateOrder = config.lifecycle.states.map((s) => s.id);
  const byStatus = [
    ...stateOrder.filter((s) => statusCount.has(s)),
    ...[...statusCount.keys()].filter((s) => !stateOrder.includes(s)).sort(),
  ].map((status) => ({ status, incidents: statusCount.get(status) as number }));

  const cut: { monthsCut?: StatsReport["monthsCut"] } = {};
  const groups = options.by ? buildGroups(options.by, counted, defs, config, problemsOf, cut) : [];

  // Response targets, measured from detected_at.
  const targets: TargetStats[] = [];
  const breaches: Breach[] = [];
  for (const sev of config.severities) {
    const members = counted.filter((p) => p.inc.severity === sev.id);
    for (const target of TARGET_NAMES) {
      const limit = sev.targets?.[target];
      if (!limit) continue;
      const limitMs = durationMs(limit);
      if (Number.isNaN(limitMs)) continue;
      const row: TargetStats = {
        severity: sev.id,
        target,
        limit,
        limitMs,
        measured: 0,
        breached: 0,
        notMeasured: 0,
      };
      for (const p of members) {
        const start = p.ts.detected_at;
        const end = p.ts[TARGET_END[target]];
        let tookMs: number;
        let ongoing = false;
        if (start !== undefined && end !== undefined) {
          tookMs = end - start;
          // An end before the start is a data error, not a fast response: not measured.
          if (!(tookMs >= 0)) {
            row.notMeasured++;
            continue;
          }
        } else if (start !== undefined && p.open) {
          tookMs = now.getTime() - start;
          ongoing = true;
          // Still open and within the target: not judged yet.
          if (tookMs <= limitMs) continue;
        } else {
          row.notMeasured++;
          continue;
        }
        row.measured++;
        if (tookMs > limitMs) {
          row.breached++;
          breaches.push({
            id: p.inc.id,
            title: p.inc.title,
            severity: sev.id,
            target,
            limit,
            limitMs,
            tookMs,
            overMs: tookMs - limitMs,
            ongoing,
          });
        }
      }
      targets.push(row);
    }
  }
  const severityRank = new Map(config.severities.map((s, i) => [s.id, i]));
  breaches.sort(
    (a, b) =>
      (severityRank.get(a.severity) ?? 0) - (severityRank.get(b.severity) ?? 0) ||
      TARGET_NAMES.indexOf(a.target) - TARGET_NAMES.indexOf(b.target) ||
      b.overMs - a.overMs ||
      a.id.localeCompare(b.id),
  );

  // Action items of the incidents in the report and of the problem records.
  const today = localDate(now, tz);
  const items: Array<{ record: string; item: ActionItem }> = [];
  // A false positive's follow-ups (tune the alert) are real work; a canceled record's are moot.
  for (const p of inWindow)
    if (p.inc.status !== "canceled")
      for (const item of p.inc.action_items ?? []) items.push({ record: p.inc.id, item });
  // Items of canceled records are moot (as `incident remind` sees them).
  for (const prb of input.problems)
    if (prb.status !== "canceled")
      for (const item of prb.action_items ?? []) items.push({ record: prb.id, item });
  const actionItems = actionItemStats(items, today, tz);

  // Recurrence: incidents per problem.
  const problems: ProblemStats[] = input.problems
    .map((prb) => {
      const linked = new Set<string>(prb.incident_refs ?? []);
      for (const [incId, prbs] of problemsOf) if (prbs.has(prb.id)) linked.add(incId);
      return {
        id: prb.id,
        title: prb.title,
        status: prb.status,
        incidents: [...linked].filter((id) => countedIds.has(id)).length,
        linked: linked.size,
      };
    })
    .sort((a, b) => b.incidents - a.incidents || a.id.localeCompare(b.id));

  // Time between failures: gaps between the detection of consecutive incidents per service.
  const detections = new Map<string, number[]>();
  for (const p of counted) {
    const ms = p.ts.detected_at;
    if (ms === undefined) continue;
    for (const s of new Set(p.inc.services ?? [])) {
      const list = detections.get(s) ?? [];
      list.push(ms);
      detections.set(s, list);
    }
  }
  const services: ServiceGaps[] = [...detections.entries()]
    .map(([service, times]) => {
      times.sort((a, b) => a - b);
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
      const last = times[times.length - 1] as number;
      return {
        service,
        incidents: times.length,
        gaps: gaps.length,
        medianGapMs: median(gaps),
        lastDetected: formatInZone(new Date(last), tz),
      };
    })
    .sort((a, b) => b.incidents - a.incidents || a.service.localeCompare(b.service));

  const regulatory = input.rules
    ? regulatoryStats(
        inWindow.map((p) => p.inc),
        input.rules,
        config,
        now,
      )
    : undefined;
  return {
    now: formatInZone(now, tz),
    timezone: tz,
    since: options.since ? formatInZone(options.since, tz) : undefined,
    until: options.until ? formatInZone(options.until, tz) : undefined,
    by: options.by,
    definitions: defs,
    counts: {
      incidents: input.incidents.length,
      counted: counted.length,
      excludedModes: leftOut,
      outsideWindow,
      dismissed,
      problems: input.problems.length,
    },
    byStatus,
    overall: groupStats("all", "All incidents", counted, defs),
    groups,
    ...cut,
    targets,
    breaches,
    actionItems,
    problems,
    services,
    ...(regulatory ? { regulatory } : {}),
  };
}

function buildGroups(
  by: GroupBy,
  counted: readonly Prepared[],
  defs: readonly MetricInfo[],
  config: Config,
  problemsOf: ReadonlyMap<string, ReadonlySet<string>>,
  cut: { monthsCut?: StatsReport["monthsCut"] } = {},
): GroupStats[] {
  const keysOf = (p: Prepared): string[] => {
    const inc = p.inc;
    switch (by) {
      case "severity":
        return [inc.severity ?? NONE];
      case "category":
        return inc.categories?.length ? [...new Set(inc.categories)] : [NONE];
      case "service":
        return inc.services?.length ? [...new Set(inc.services)] : [NONE];
      case "problem": {
        const prbs = problemsOf.get(inc.id);
        return prbs?.size ? [...prbs] : [NONE];
      }
      case "month": {
        const ms = parseInstant(incidentDate(inc));
        return [ms !== undefined ? formatInZone(new Date(ms), config.timezone).slice(0, 7) : NONE];
      }
    }
  };
  const members = new Map<string, Prepared[]>();
  for (const p of counted) {
    for (const key of keysOf(p)) {
      const list = members.get(key) ?? [];
      list.push(p);
      members.set(key, list);
    }
  }
  let keys = [...members.keys()];
  const last = (k: string) => (k === NONE ? 1 : 0);
  if (by === "severity") {
    const order = config.severities.map((s) => s.id);
    keys = [
      ...order.filter((k) => members.has(k)),
      ...keys.filter((k) => !order.includes(k)).sort((a, b) => last(a) - last(b) || a.localeCompare(b)),
    ];
  } else if (by === "month") {
    const months = keys.filter((k) => k !== NONE).sort();
    const first = months[0];
    const end = months[months.length - 1];
    const range = first && end ? monthRange(first, end) : [];
    // Never a silent drop: a span too long to list month by month lists the months with incidents,
    // and the report says so.
    if (range === undefined && first && end)
      cut.monthsCut = { first, last: end, span: monthSpan(first, end) };
    keys = range ?? months;
    if (members.has(NONE)) keys.push(NONE);
  } else if (by === "problem") {
    keys.sort((a, b) => last(a) - last(b) || a.localeCompare(b));
  } else {
    keys.sort(
      (a, b) =>
        last(a) - last(b) ||
        (members.get(b)?.length ?? 0) - (members.get(a)?.length ?? 0) ||
        a.localeCompare(b),
    );
  }
  const severityName = new Map(config.severities.map((s) => [s.id, s.name]));
  return keys.map((key) =>
    groupStats(
      key,
      by === "severity" && severityName.has(key) ? `${key} ${severityName.get(key)}` : key,
      members.get(key) ?? [],
      defs,
    ),
  );
}

function actionItemStats(
  items: ReadonlyArray<{ record: string; item: ActionItem }>,
  today: string,
  tz: string,
): ActionItemStats {
  const out: ActionItemStats = {
    total: items.length,
    open: 0,
    overdue: 0,
    done: 0,
    wontDo: 0,
    doneWithDue: 0,
    doneOnTime: 0,
    overdueItems: [],
  };
  for (const { record, item } of items) {
    if (item.status === "open" || item.status === "in_progress") {
      out.open++;
      // Overdue from the day after the due date, in the configured zone (as `incident remind`).
      const daysOverdue = actionDaysOverdue(item, today);
      if (daysOverdue !== undefined) {
        out.overdue++;
        out.overdueItems.push({
          record,
          id: item.id,
          title: item.title,
          owner: item.owner,
          due: item.due as string,
          status: item.status,
          daysOverdue,
        });
      }
    } else if (item.status === "done") {
      out.done++;
      const completed = parseInstant(item.completed_at);
      if (item.due && completed !== undefined) {
        out.doneWithDue++;
        // On time: completed on or before the due date's last moment in the configured zone.
        if (localDate(new Date(completed), tz) <= item.due) out.doneOnTime++;
      }
    } else if (item.status === "wont_do") out.wontDo++;
  }
  if (out.doneWithDue > 0) out.onTimeRate = out.doneOnTime / out.doneWithDue;
  out.overdueItems.sort(
    (a, b) => b.daysOverdue - a.daysOverdue || a.record.localeCompare(b.record) || a.id.localeCompare(b.id),
  );
  return out;
}

/**
 * The parts of an incident that stats and lists read, copied so that nothing else of the parsed file
 * stays in memory (100,000 records fit in a few hundred megabytes this way).
 */
export function slimIncident(inc: Incident): Incident {
  const resolutions = (inc.timeline ?? []).filter((e) => e.type === "status_change" && e.to === "resolved");
  return structuredClone({
    schema_version: inc.schema_version,
    id: inc.id,
    title: inc.title,
    status: inc.status,
    mode: inc.mode,
    severity: inc.severity,
    priority: inc.priority,
    categories: inc.categories,
    services: inc.services,
    roles: inc.roles?.incident_commander ? { incident_commander: inc.roles.incident_commander } : undefined,
    timestamps: inc.timestamps,
    timeline: resolutions.map((e) => ({ at: e.at, type: e.type, text: "", from: e.from, to: e.to })),
    action_items: inc.action_items?.map(slimActionItem),
    problem_refs: inc.problem_refs,
  });
}

/** The fields of an action item that stats and reminders read. */
function slimActionItem(a: ActionItem): ActionItem {
  return {
    id: a.id,
    title: a.title,
    class: a.class,
    owner: a.owner,
    due: a.due,
    status: a.status,
    completed_at: a.completed_at,
  };
}

/** The parts of a problem record that stats and lists read (see `slimIncident`). */
export function slimProblem(p: Problem): Problem {
  return structuredClone({
    schema_version: p.schema_version,
    id: p.id,
    title: p.title,
    status: p.status,
    owner: p.owner,
    services: p.services,
    categories: p.categories,
    incident_refs: p.incident_refs,
    timestamps: p.timestamps,
    action_items: p.action_items?.map(slimActionItem),
  });
}
