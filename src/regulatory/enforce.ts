// What a pull request may not do to an incident's regulatory record: close it while an obligation
// that applies still lacks a report, leave a regime undetermined past the configured time after the
// first trigger, or rewrite the record of what happened (trigger times and filings are
// append-only). Pure: the record before and after the change, the rules, the config and `now` in;
// findings with pointers out, for the pull-request judge to locate.

import type { Config } from "../config/types.js";
import type { Finding } from "../diagnostics/diagnostic.js";
import { durationMs } from "../lifecycle/transition.js";
import { computeObligations, firstTriggerMs, type ObligationStatus, regulatoryOf } from "./compute.js";
import type { RuleSet } from "./types.js";

/**
 * Findings for changing `before` (undefined for a new file) into `after` at `now`:
 * - REGULATORY_REWRITTEN: a merged trigger's `at` changed or the trigger was removed; a merged
 *   filing changed or was removed (filings only grow at the end).
 * - REGULATORY_REPORT_MISSING: the change closes the incident (status moves into `closed`) while an
 *   obligation with `applies: yes` has a report not filed (config `close_requires_reports`).
 * - REGULATORY_UNDETERMINED: an enabled regime is `undetermined` (or not assessed) longer than
 *   `undetermined_after` after the first trigger.
 */
export function checkRegulatoryChange(
  before: unknown,
  after: unknown,
  rules: RuleSet,
  config: Config,
  now: Date,
): Finding[] {
  const out: Finding[] = [];
  out.push(...checkAppendOnly(before, after));
  const settings = config.regulatory;
  const obligations = computeObligations(after, rules, config, now);
  const status = (v: unknown) =>
    v && typeof v === "object" ? (v as { status?: unknown }).status : undefined;
  if (
    (settings?.close_requires_reports ?? true) &&
    status(after) === "closed" &&
    status(before) !== "closed"
  ) {
    for (const o of obligations) if (o.applies === "yes") out.push(...missingReports(o, rules));
  }
  const limit = settings?.undetermined_after === undefined ? "PT72H" : settings.undetermined_after;
  const limitMs = typeof limit === "string" ? durationMs(limit) : Number.NaN;
  const first = firstTriggerMs(regulatoryOf(after), now.getTime());
  if (Number.isFinite(limitMs) && first !== undefined && now.getTime() > first + limitMs) {
    const enabled = new Set(settings?.enabled ?? []);
    for (const o of obligations) {
      if (o.applies !== "undetermined") continue;
      // Only the regimes the organisation enabled must be decided; an extra one may stay open.
      if (!enabled.has(o.regime) && !o.assessed) continue;
      out.push({
        code: "REGULATORY_UNDETERMINED",
        message: `whether \`${o.regime}\` (${o.name}) applies is ${o.assessed ? "still undetermined" : "not assessed"} ${limit} after the first trigger; set \`applies\` to yes or no with a reason`,
        pointer:
          o.index !== undefined ? `/regulatory/obligations/${o.index}/applies` : "/regulatory/obligations",
        ...(o.index === undefined ? { target: "parent" as const } : {}),
      });
    }
  }
  return out;
}

/** Reports of an applicable obligation that closing would leave unfiled. */
function missingReports(o: ObligationStatus, rules: RuleSet): Finding[] {
  const out: Finding[] = [];
  const regime = rules.regimes.find((r) => r.id === o.regime);
  for (const r of o.reports) {
    if (r.state === "filed_on_time" || r.state === "filed_late" || r.state === "on_request") continue;
    if (r.state === "not_required") continue;
    const rule = regime?.reports.find((x) => x.id === r.report);
    // A clock whose event never happened (no ransom paid) has nothing to report; a missing
    // awareness or decision is itself a gap in the record.
    const anchor = rule?.from;
    if (r.state === "not_triggered" && anchor && "trigger" in anchor) {
      const kind = rules.triggers.find((t) => t.id === anchor.trigger)?.kind;
      if (kind === "event") continue;
    }
    if (r.state === "not_triggered" && anchor && "report" in anchor) {
      // Reported through the earlier report, unless that one is filed (then this one is due).
      const earlier = o.reports.find((x) => x.report === anchor.report);
      if (earlier && earlier.state !== "filed_on_time" && earlier.state !== "filed_late") continue;
    }
    out.push({
      code: "REGULATORY_REPORT_MISSING",
      message: `closing needs the \`${r.report}\` report (${r.name}) of \`${o.regime}\`, which applies: ${r.note ?? (r.deadline ? `due by ${r.deadline}` : "not filed")}; record it under regulatory.filings`,
      pointer: o.index !== undefined ? `/regulatory/obligations/${o.index}` : "/regulatory",
    });
  }
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

function checkAppendOnly(before: unknown, after: unknown): Finding[] {
  const out: Finding[] = [];
  const a = isObj(before) && isObj(before.regulatory) ? before.regulatory : undefined;
  if (!a) return out;
  const b = isObj(after) && isObj(after.regulatory) ? after.regulatory : {};
  const oldTriggers = isObj(a.triggers) ? a.triggers : {};
  const newTriggers = isObj(b.triggers) ? b.triggers : {};
  for (const [id, t] of Object.entries(oldTriggers)) {
    const now = newTriggers[id];
    const oldAt = isObj(t) ? t.at : undefined;
    if (!isObj(now)) {
      out.push({
        code: "REGULATORY_REWRITTEN",
        message: `trigger \`${id}\` (at ${String(oldAt)}) was removed; recorded triggers stay`,
        pointer: `/regulatory/triggers/${pointerKey(id)}`,
        target: "parent",
      });
    } else if (now.at !== oldAt) {
      out.push({
        code: "REGULATORY_REWRITTEN",
        message: `trigger \`${id}\` moved from ${String(oldAt)} to ${String(now.at)}; a recorded trigger time never changes (a clock counted from it would change)`,
        pointer: `/regulatory/triggers/${pointerKey(id)}/at`,
      });
    }
  }
  // An obligation merged as applying stays applying: flipping it to `no` (or dropping it) would
  // remove the duty to report, so a pull request could then close without the reports.
  const newObligations = Array.isArray(b.obligations) ? b.obligations : [];
  for (const o of Array.isArray(a.obligations) ? a.obligations : []) {
    if (!isObj(o) || o.applies !== "yes") continue;
    const j = newObligations.findIndex((n) => isObj(n) && n.regime === o.regime);
    const now = newObligations[j];
    if (isObj(now) && now.applies === "yes") continue;
    out.push({
      code: "REGULATORY_REWRITTEN",
      message: `obligation \`${String(o.regime)}\` was recorded as applying; it stays so (a duty to report cannot be withdrawn in a pull request)`,
      pointer: j >= 0 ? `/regulatory/obligations/${j}/applies` : "/regulatory/obligations",
      ...(j >= 0 ? {} : { target: "parent" as const }),
    });
  }
  const oldFilings = Array.isArray(a.filings) ? a.filings : [];
  const newFilings = Array.isArray(b.filings) ? b.filings : [];
  oldFilings.forEach((f, i) => {
    if (i >= newFilings.length) {
      out.push({
        code: "REGULATORY_REWRITTEN",
        message: `filing ${i} (${describe(f)}) was removed; filings are append-only`,
        pointer: "/regulatory/filings",
      });
    } else if (JSON.stringify(f) !== JSON.stringify(newFilings[i])) {
      out.push({
        code: "REGULATORY_REWRITTEN",
        message: `filing ${i} (${describe(f)}) was changed; filings are append-only, add a new one instead`,
        pointer: `/regulatory/filings/${i}`,
      });
    }
  });
  return out;
}

function describe(f: unknown): string {
  if (!isObj(f)) return "not a filing";
  return `${String(f.regime)} ${String(f.report)} submitted ${String(f.submitted_at)}`;
}

function pointerKey(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}
