// The regulatory clocks of one incident: for each obligation it records (and each enabled regime it
// has not assessed yet), each report's outer deadline, whether "without undue delay" is the primary
// duty, and where the report stands at `now`: filed on time, filed late, due, overdue, not yet
// triggered, on request, or not required. Pure: the record, the rules, the config and `now` in.

import type { Config } from "../config/types.js";
import { formatInZone, parseInstant } from "../lifecycle/time.js";
import { addPeriod, type ClockZone, describeWithin, endOfYear, rollToNoon } from "./clock.js";
import { enabledRegimes } from "./rules.js";
import type {
  Anchor,
  FilingRecord,
  ObligationRecord,
  RegimeRule,
  RegulatoryRecord,
  ReportRule,
  RuleSet,
} from "./types.js";

export type ReportState =
  | "filed_on_time"
  | "filed_late"
  | "due"
  | "overdue"
  | "not_triggered"
  | "on_request"
  | "not_required";

export interface ReportStatus {
  report: string;
  name: string;
  state: ReportState;
  /** The primary duty is to report without undue delay; `deadline` is only the outer limit. */
  withoutUndueDelay: boolean;
  /** When the clock started (RFC 3339 in the regime's zone). */
  startedAt?: string;
  /** The outer limit (RFC 3339 in the regime's zone). */
  deadline?: string;
  deadlineMs?: number;
  /** How the deadline was counted: `72 h after aware`, `capped at 24 h after aware`, ... */
  basis?: string;
  /** Milliseconds from `now` to the deadline (negative when overdue); only while not filed. */
  leftMs?: number;
  /** The first filing of this report, as recorded. */
  submittedAt?: string;
  reference?: string;
  lateReason?: string;
  /** Index of that filing in `regulatory.filings`. */
  filing?: number;
  /** Why a report is not triggered or not required, or what else to know. */
  note?: string;
}

export interface ObligationStatus {
  regime: string;
  name: string;
  status: RegimeRule["status"];
  source: string;
  checked: string;
  authority: string;
  zone: string;
  applies: ObligationRecord["applies"];
  /** False when the incident has no obligation entry for this enabled regime yet. */
  assessed: boolean;
  reason?: string;
  /** Index of the obligation in `regulatory.obligations`, when it has one. */
  index?: number;
  reports: ReportStatus[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** The `regulatory` block of a record, or an empty one (the schema has checked its shape). */
export function regulatoryOf(record: unknown): RegulatoryRecord {
  const reg = isObj(record) ? record.regulatory : undefined;
  return isObj(reg) ? (reg as RegulatoryRecord) : {};
}

/** When the first trigger of the record happened (ms), among triggers at or before `now`. */
export function firstTriggerMs(reg: RegulatoryRecord, nowMs = Number.POSITIVE_INFINITY): number | undefined {
  let first: number | undefined;
  for (const t of Object.values(reg.triggers ?? {})) {
    const ms = parseInstant(t?.at);
    if (ms !== undefined && ms <= nowMs && (first === undefined || ms < first)) first = ms;
  }
  return first;
}

/**
 * The obligations of `incident` at `now`: every regime its `regulatory.obligations` names (known to
 * `rules`), then every enabled regime it has not assessed, once it records a trigger or an
 * obligation. Triggers and filings after `now` are not yet known at `now`.
 */
export function computeObligations(
  incident: unknown,
  rules: RuleSet,
  config: Config,
  now: Date,
): ObligationStatus[] {
  const reg = regulatoryOf(incident);
  const nowMs = now.getTime();
  const out: ObligationStatus[] = [];
  const seen = new Set<string>();
  (reg.obligations ?? []).forEach((o, index) => {
    const regime = rules.regimes.find((r) => r.id === o?.regime);
    if (!regime || seen.has(regime.id)) return;
    seen.add(regime.id);
    out.push(obligationStatus(regime, o, index, reg, rules, nowMs));
  });
  const active = (reg.obligations?.length ?? 0) > 0 || firstTriggerMs(reg, nowMs) !== undefined;
  if (active) {
    for (const regime of enabledRegimes(rules, config.regulatory)) {
      if (seen.has(regime.id)) continue;
      out.push(
        obligationStatus(
          regime,
          { regime: regime.id, applies: "undetermined" },
          undefined,
          reg,
          rules,
          nowMs,
        ),
      );
    }
  }
  return out;
}

function obligationStatus(
  regime: RegimeRule,
  o: ObligationRecord,
  index: number | undefined,
  reg: RegulatoryRecord,
  rules: RuleSet,
  nowMs: number,
): ObligationStatus {
  const status: ObligationStatus = {
    regime: regime.id,
    name: regime.name,
    status: regime.status,
    source: regime.source,
    checked: regime.checked,
    authority: regime.authority,
    zone: regime.zone,
    applies: o.applies,
    assessed: index !== undefined,
    ...(typeof o.reason === "string" ? { reason: o.reason } : {}),
    ...(index !== undefined ? { index } : {}),
    reports: [],
  };
  // A regime that does not apply has no clocks; an undetermined one runs them, since the time to
  // decide is part of the time to report.
  if (o.applies === "no") return status;
  const z: ClockZone = {
    zone: regime.zone,
    holidays: new Set(regime.calendar ? (rules.calendars[regime.calendar] ?? []) : []),
  };
  const ctx: Ctx = { regime, reg, z, nowMs, obligation: o, reports: new Map() };
  for (const report of regime.reports) status.reports.push(reportStatus(report, ctx));
  return status;
}

interface Ctx {
  regime: RegimeRule;
  reg: RegulatoryRecord;
  z: ClockZone;
  nowMs: number;
  obligation: ObligationRecord;
  reports: Map<string, ReportStatus>;
}

interface Filed {
  filing: FilingRecord;
  index: number;
  ms: number;
}

/** Filings of one report of the regime known at `now`, earliest first. */
function filingsOf(ctx: Ctx, report: string): Filed[] {
  const out: Filed[] = [];
  (ctx.reg.filings ?? []).forEach((f, index) => {
    if (f?.regime !== ctx.regime.id || f.report !== report) return;
    const ms = parseInstant(f.submitted_at);
    if (ms !== undefined && ms <= ctx.nowMs) out.push({ filing: f, index, ms });
  });
  return out.sort((a, b) => a.ms - b.ms || a.index - b.index);
}

function triggerMs(ctx: Ctx, id: string): number | undefined {
  const ms = parseInstant(ctx.reg.triggers?.[id]?.at);
  return ms !== undefined && ms <= ctx.nowMs ? ms : undefined;
}

/** When an anchor's clock starts, and how to say it; undefined when it has not happened by `now`. */
function anchorStart(a: Anchor, ctx: Ctx): { ms: number; label: string } | undefined {
  if ("trigger" in a) {
    const ms = triggerMs(ctx, a.trigger);
    if (ms === undefined) return undefined;
    return a.end_of_year
      ? { ms: endOfYear(ms, ctx.z.zone), label: `the end of the year of ${a.trigger}` }
      : { ms, label: a.trigger };
  }
  // Chained clocks count from the latest submission of the earlier report.
  const filed = filingsOf(ctx, a.report);
  const last = filed[filed.length - 1];
  return last ? { ms: last.ms, label: `${a.report} submitted` } : undefined;
}

function missingAnchor(a: Anchor): string {
  return "trigger" in a
    ? `waiting for trigger \`${a.trigger}\``
    : `waiting for the filing of \`${a.report}\``;
}

function reportStatus(report: ReportRule, ctx: Ctx): ReportStatus {
  const { z, nowMs } = ctx;
  const show = (ms: number) => formatInZone(new Date(ms), z.zone);
  const base: ReportStatus = {
    report: report.id,
    name: report.name,
    state: "due",
    withoutUndueDelay: report.undue_delay ?? ctx.regime.undue_delay,
  };
  const result = (r: ReportStatus) => {
    ctx.reports.set(report.id, r);
    return r;
  };
  const affected = ctx.obligation.affected_individuals;
  if (report.affected) {
    const { at_least, below } = report.affected;
    // While the number is unknown, the larger notification is assumed.
    const applies =
      typeof affected === "number"
        ? (at_least === undefined || affected >= at_least) && (below === undefined || affected < below)
        : below === undefined;
    if (!applies)
      return result({
        ...base,
        state: "not_required",
        note:
          typeof affected === "number"
            ? `${affected} people affected`
            : "affected_individuals unknown: the 500-or-more rule is assumed",
      });
  }
  const filed = filingsOf(ctx, report.id);
  const first = filed[0];
  const withFiling = (r: ReportStatus): ReportStatus => {
    if (!first) return r;
    const late = r.deadlineMs !== undefined && first.ms > r.deadlineMs;
    const { leftMs: _left, ...rest } = r;
    return {
      ...rest,
      state: late ? "filed_late" : "filed_on_time",
      submittedAt: first.filing.submitted_at,
      filing: first.index,
      ...(first.filing.reference ? { reference: first.filing.reference } : {}),
      ...(first.filing.late_reason ? { lateReason: first.filing.late_reason } : {}),
    };
  };
  if (report.on_request || !report.from) {
    if (report.on_request) return result(withFiling({ ...base, state: "on_request" }));
  }
  if (!report.from) return result(withFiling({ ...base, state: "due", note: "no clock" }));
  const start = anchorStart(report.from, ctx);
  if (!start)
    return result(withFiling({ ...base, state: "not_triggered", note: missingAnchor(report.from) }));
  const started: ReportStatus = { ...base, startedAt: show(start.ms) };
  if (!report.within) {
    // Without a period the duty is "without undue delay" only.
    return result(
      withFiling({ ...started, state: "due", basis: `without undue delay after ${start.label}` }),
    );
  }
  const zone: ClockZone = report.cutoff ? { ...z, cutoff: report.cutoff } : z;
  let deadline = addPeriod(start.ms, report.within, zone);
  let basis = `${describeWithin(report.within)} after ${start.label}`;
  if (report.not_later_than) {
    const capStart = anchorStart(report.not_later_than.from, ctx);
    if (capStart && start.ms <= addPeriod(capStart.ms, report.not_later_than.within, zone)) {
      const cap = addPeriod(capStart.ms, report.not_later_than.within, zone);
      if (cap < deadline) {
        deadline = cap;
        basis = `${describeWithin(report.not_later_than.within)} after ${capStart.label} (cap)`;
      }
    }
  }
  if (report.only_if_ongoing) {
    // Due only for an incident still being handled at the deadline, and only without the report
    // that would make it unnecessary (the final report, filed by then).
    const ended = triggerMs(ctx, report.only_if_ongoing);
    const finalFiled = ctx.regime.reports
      .filter((r) => r.while_ongoing === report.only_if_ongoing)
      .some((r) => filingsOf(ctx, r.id).some((f) => f.ms <= deadline));
    if ((ended !== undefined && ended <= deadline) || finalFiled)
      return result({
        ...started,
        state: "not_required",
        note: finalFiled
          ? "the final report was filed in time"
          : `${report.only_if_ongoing} before the deadline`,
      });
    if (ended === undefined) basis = `${basis}, only if handling is still ongoing then`;
  }
  if (report.while_ongoing) {
    const ended = triggerMs(ctx, report.while_ongoing);
    if (ended !== undefined && ended > deadline) {
      deadline = addPeriod(ended, report.within, zone);
      basis = `${describeWithin(report.within)} after ${report.while_ongoing} (still ongoing a ${describeWithin(report.within)} after ${start.label})`;
    } else if (ended === undefined && nowMs > deadline && !first) {
      return result({
        ...started,
        state: "not_triggered",
        note: `still ongoing at ${show(deadline)}: due ${describeWithin(report.within)} after trigger \`${report.while_ongoing}\``,
      });
    }
  }
  if (report.roll === "noon_next_working_day") {
    const rolled = rollToNoon(deadline, zone);
    if (rolled !== deadline) {
      deadline = rolled;
      basis = `${basis}, moved to noon of the next working day`;
    }
  }
  const timed: ReportStatus = {
    ...started,
    deadline: show(deadline),
    deadlineMs: deadline,
    basis,
    leftMs: deadline - nowMs,
    state: nowMs > deadline ? "overdue" : "due",
  };
  return result(withFiling(timed));
}

/** Whether a report still needs a filing: due or overdue now. */
export function isOpen(r: ReportStatus): boolean {
  return r.state === "due" || r.state === "overdue";
}
