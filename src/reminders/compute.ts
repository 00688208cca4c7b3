// What is overdue at a given instant: action items past their due date, postmortems past their
// business-day deadline, incidents stuck in a state, problems without an owner. Pure: takes records,
// the effective config and `now`, returns the digest.

import type { Config } from "../config/types.js";
import { actionDaysOverdue, addBusinessDays, daysBetween, localDate } from "../lifecycle/calendar.js";
import { lastResolution } from "../lifecycle/resolution.js";
import { parseInstant } from "../lifecycle/time.js";
import { durationMs } from "../lifecycle/transition.js";
import type { ActionItem, Incident, Problem } from "../model/types.js";
import { computeObligations } from "../regulatory/compute.js";
import type { RuleSet } from "../regulatory/types.js";

export interface OverdueActionItem {
  /** The incident or problem id holding the action item. */
  record: string;
  recordTitle: string;
  id: string;
  title: string;
  owner: string;
  /** YYYY-MM-DD: the last day it was on time. */
  due: string;
  status: "open" | "in_progress";
  /** Calendar days past `due`, at least 1. */
  daysOverdue: number;
  tracker?: string;
}

export interface OverduePostmortem {
  incident: string;
  title: string;
  severity: string;
  resolvedAt: string;
  /** YYYY-MM-DD: resolution date plus the policy's business days. */
  due: string;
  businessDays: number;
  daysOverdue: number;
  /** Who is reminded: the incident manager, else the incident commander. */
  owner?: string;
}

export interface StuckIncident {
  incident: string;
  title: string;
  severity?: string;
  status: string;
  /** When the incident entered its current state (RFC 3339, as written in the file). */
  since: string;
  /** Milliseconds in the state at `now`. */
  forMs: number;
  /** The configured limit (ISO 8601 duration). */
  limit: string;
  owner?: string;
}

/** A regulatory report due within the window, or overdue (`incident obligations` has the detail). */
export interface RegulatoryFilingDue {
  incident: string;
  title: string;
  regime: string;
  regimeName: string;
  report: string;
  reportName: string;
  state: "due" | "overdue";
  /** The outer limit, RFC 3339 in the regime's zone. */
  deadline: string;
  zone: string;
  /** Milliseconds from `now` to the deadline; negative when overdue. */
  leftMs: number;
  /** The primary duty is to report without undue delay. */
  withoutUndueDelay: boolean;
  owner?: string;
}

export interface UnownedProblem {
  problem: string;
  title: string;
  status: string;
}

export interface Digest {
  /** `now` in the configured zone, RFC 3339. */
  now: string;
  /** Today's date in the configured zone. */
  today: string;
  timezone: string;
  /** Regulatory reports overdue or due within the window, soonest first: listed first. */
  filings: RegulatoryFilingDue[];
  actionItems: OverdueActionItem[];
  postmortems: OverduePostmortem[];
  stuck: StuckIncident[];
  unownedProblems: UnownedProblem[];
  /** Incidents left out because of their mode (`reminders.exclude_modes`). */
  excludedIncidents: number;
}

export interface ReminderInput {
  incidents: readonly Incident[];
  problems: readonly Problem[];
  config: Config;
  now: Date;
  /** `now` as written for people (RFC 3339 in the zone); defaults to the UTC ISO string. */
  nowText?: string;
  /** The regulatory rules in force; without them no filing is reminded. */
  rules?: RuleSet;
  /** How far ahead a regulatory deadline is listed, in milliseconds (default 24 hours). */
  withinMs?: number;
}

/** Regulatory deadlines listed by default: those within a day, and every overdue one. */
export const DEFAULT_FILING_WINDOW_MS = 24 * 3_600_000;

/** Problem states in which the problem is still being worked and so needs an owner. */
const CLOSED_PROBLEM_STATES = new Set(["resolved", "closed", "canceled"]);

export function computeReminders(input: ReminderInput): Digest {
  const { config, now } = input;
  const tz = config.timezone;
  const today = localDate(now, tz);
  const holidays = new Set(config.reminders.holidays);
  const excluded = new Set(config.reminders.exclude_modes);
  const incidents = input.incidents.filter((i) => !excluded.has(i.mode ?? "standard"));
  const digest: Digest = {
    now: input.nowText ?? now.toISOString(),
    today,
    timezone: tz,
    filings: [],
    actionItems: [],
    postmortems: [],
    stuck: [],
    unownedProblems: [],
    excludedIncidents: input.incidents.length - incidents.length,
  };

  const records: ReadonlyArray<Incident | Problem> = [...incidents, ...input.problems];
  for (const r of records) {
    // A canceled record was not an incident (or problem) after all: its follow-ups lapse with it.
    if (r.status === "canceled") continue;
    for (const item of r.action_items ?? []) {
      const overdue = overdueAction(item, today);
      if (overdue) digest.actionItems.push({ record: r.id, recordTitle: r.title, ...overdue });
    }
  }

  for (const inc of incidents) {
    const pm = overduePostmortem(inc, config, today, holidays);
    if (pm) digest.postmortems.push(pm);
    const stuck = stuckIncident(inc, config, now);
    if (stuck) digest.stuck.push(stuck);
  }

  if (input.rules) {
    const window = input.withinMs ?? DEFAULT_FILING_WINDOW_MS;
    for (const inc of incidents) {
      if (inc.status === "canceled") continue;
      digest.filings.push(...filingsDue(inc, input.rules, config, now, window));
    }
  }

  for (const p of input.problems) {
    if (CLOSED_PROBLEM_STATES.has(p.status)) continue;
    if (typeof p.owner === "string" && p.owner.trim() !== "") continue;
    digest.unownedProblems.push({ problem: p.id, title: p.title, status: p.status });
  }

  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  digest.filings.sort(
    (a, b) => a.leftMs - b.leftMs || byId(a.incident, b.incident) || byId(a.report, b.report),
  );
  digest.actionItems.sort((a, b) => byId(a.due, b.due) || byId(a.record, b.record) || byId(a.id, b.id));
  digest.postmortems.sort((a, b) => byId(a.due, b.due) || byId(a.incident, b.incident));
  digest.stuck.sort((a, b) => b.forMs - a.forMs || byId(a.incident, b.incident));
  digest.unownedProblems.sort((a, b) => byId(a.problem, b.problem));
  return digest;
}

/** An action item is overdue when it is still open or in progress and its due date is before today. */
function overdueAction(
  item: ActionItem,
  today: string,
): Omit<OverdueActionItem, "record" | "recordTitle"> | undefined {
  const days = actionDaysOverdue(item, today);
  if (days === undefined) return undefined;
  return {
    id: item.id,
    title: item.title,
    owner: item.owner,
    due: item.due as string,
    status: item.status as "open" | "in_progress",
    daysOverdue: days,
    ...(item.tracker ? { tracker: item.tracker } : {}),
  };
}

/**
 * A postmortem is due `due_business_days` business days after the local date of `resolved_at`, for
 * severities whose policy requires one. It is done once the review meeting is recorded
 * (`review.held_at`) or the incident is closed (closing such an incident requires the postmortem
 * fields). So only `resolved` incidents without `review.held_at` can be overdue: the clock starts at
 * resolution, and a reopened incident is back to work, not to writing.
 */
export function overduePostmortem(
  inc: Incident,
  config: Config,
  today: string,
  holidays: ReadonlySet<string>,
): OverduePostmortem | undefined {
  if (inc.status !== "resolved" || inc.review?.held_at) return undefined;
  const sev = config.severities.find((s) => s.id === inc.severity);
  const businessDays = sev?.postmortem.due_business_days;
  if (!sev?.postmortem.required || businessDays === undefined) return undefined;
  // A reopened incident's postmortem is due from its last resolution, not its first.
  const resolvedAt = lastResolution(inc, config);
  // An uncomputable time is missing here (validate reports it as TIME_INVALID).
  const ms = parseInstant(resolvedAt);
  if (resolvedAt === undefined || ms === undefined) return undefined;
  const due = addBusinessDays(localDate(new Date(ms), config.timezone), businessDays, holidays);
  const days = daysBetween(due, today);
  if (!(days > 0)) return undefined;
  const owner = inc.roles?.incident_manager ?? inc.roles?.incident_commander;
  return {
    incident: inc.id,
    title: inc.title,
    severity: sev.id,
    resolvedAt,
    due,
    businessDays,
    daysOverdue: days,
    ...(owner ? { owner } : {}),
  };
}

/**
 * When the incident entered its current state: the last `status_change` timeline entry into it,
 * else the state's own timestamp (`declared_at` for `new`, `triaged_at`, ...).
 */
export function stateEnteredAt(inc: Incident, config: Config): string | undefined {
  const timeline = Array.isArray(inc.timeline) ? inc.timeline : [];
  for (let i = timeline.length - 1; i >= 0; i--) {
    const e = timeline[i];
    if (e?.type === "status_change" && e.to === inc.status && parseInstant(e.at) !== undefined) return e.at;
  }
  const field = config.lifecycle.states.find((s) => s.id === inc.status)?.timestamp;
  const at = field ? (inc.timestamps as Record<string, string | undefined> | undefined)?.[field] : undefined;
  return parseInstant(at) !== undefined ? at : undefined;
}

export function stuckIncident(inc: Incident, config: Config, now: Date): StuckIncident | undefined {
  const limit = config.reminders.stuck_after[inc.status];
  if (typeof limit !== "string") return undefined;
  const limitMs = durationMs(limit);
  if (Number.isNaN(limitMs)) return undefined;
  const since = stateEnteredAt(inc, config);
  const sinceMs = parseInstant(since);
  if (since === undefined || sinceMs === undefined) return undefined;
  const forMs = now.getTime() - sinceMs;
  if (!(forMs > limitMs)) return undefined;
  const owner = inc.roles?.incident_commander;
  return {
    incident: inc.id,
    title: inc.title,
    ...(inc.severity ? { severity: inc.severity } : {}),
    status: inc.status,
    since,
    forMs,
    limit,
    ...(owner ? { owner } : {}),
  };
}

/** Reports of obligations that apply (or are undetermined) due within `windowMs` of `now`, or overdue. */
export function filingsDue(
  inc: Incident,
  rules: RuleSet,
  config: Config,
  now: Date,
  windowMs: number,
): RegulatoryFilingDue[] {
  const out: RegulatoryFilingDue[] = [];
  const owner = inc.roles?.incident_commander;
  for (const o of computeObligations(inc, rules, config, now)) {
    for (const r of o.reports) {
      if (r.deadline === undefined || r.leftMs === undefined) continue;
      if (r.state !== "overdue" && !(r.state === "due" && r.leftMs <= windowMs)) continue;
      out.push({
        incident: inc.id,
        title: inc.title,
        regime: o.regime,
        regimeName: o.name,
        report: r.report,
        reportName: r.name,
        state: r.state,
        deadline: r.deadline,
        zone: o.zone,
        leftMs: r.leftMs,
        withoutUndueDelay: r.withoutUndueDelay,
        ...(owner ? { owner } : {}),
      });
    }
  }
  return out;
}

/** Whether the digest lists anything at all. */
export function hasReminders(d: Digest): boolean {
  return (
    (d.filings?.length ?? 0) +
      d.actionItems.length +
      d.postmortems.length +
      d.stuck.length +
      d.unownedProblems.length >
    0
  );
}

/** Every handle the digest asks to act, in the order they first appear. */
export function ownersOf(d: Digest): string[] {
  const out: string[] = [];
  for (const o of [
    ...(d.filings ?? []).map((f) => f.owner),
    ...d.actionItems.map((a) => a.owner),
    ...d.postmortems.map((p) => p.owner),
    ...d.stuck.map((s) => s.owner),
  ]) {
    if (o && !out.includes(o)) out.push(o);
  }
  return out;
}
