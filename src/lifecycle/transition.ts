// The transition rules as a pure function of (before, after, lifecycle): which edges exist, which
// states are final, how long a resolved incident may be reopened, and what the target state needs.
// Shared by the authoring CLI and the pull-request check.

import type { LifecycleDef, StateDef } from "../config/types.js";
import type { Finding } from "../diagnostics/diagnostic.js";
import { toPointer } from "../diagnostics/diagnostic.js";
import { findState, missingRequirements, parentState } from "./requirements.js";
import { parseInstant } from "./time.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const statusOf = (v: unknown) => (isObj(v) && typeof v.status === "string" ? v.status : undefined);

export function isEdge(lifecycle: LifecycleDef, from: string, to: string): boolean {
  return lifecycle.transitions.some((t) => t.from === from && t.to === to);
}

export function targetsFrom(lifecycle: LifecycleDef, from: string): string[] {
  return lifecycle.transitions.filter((t) => t.from === from).map((t) => t.to);
}

/** ISO 8601 duration (PnDTnHnMnS, weeks allowed) in milliseconds; NaN when malformed. */
export function durationMs(iso: string): number {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
  if (!m || iso === "P" || iso.endsWith("T")) return Number.NaN;
  const [, w, d, h, min, s] = m;
  return (
    ((((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60 +
      Number(s ?? 0)) *
    1000
  );
}

/**
 * Findings for moving a record from `before` to `after`: an unknown or forbidden edge, a change to a
 * final record, a reopen past the window, and what the target state requires that `after` lacks.
 * `now` is when the move happens (for the reopen window).
 */
export function checkTransition(
  before: unknown,
  after: unknown,
  lifecycle: LifecycleDef,
  now?: Date,
): Finding[] {
  const from = statusOf(before);
  const to = statusOf(after);
  const out: Finding[] = [];
  if (to === undefined) return out;
  const target = findState(lifecycle, to);
  if (!target) {
    return [
      {
        code: "UNKNOWN_STATE",
        message: `\`${to}\` is not a state; states: ${lifecycle.states.map((s) => s.id).join(", ")}`,
        pointer: "/status",
      },
    ];
  }
  if (from !== undefined) {
    const source = findState(lifecycle, from);
    if (source?.terminal) {
      return [
        {
          code: "INCIDENT_FROZEN",
          message: `the record is \`${from}\`, which is final; a recurrence is a new record linked to this one`,
          pointer: "/status",
        },
      ];
    }
    if (from !== to && !isEdge(lifecycle, from, to)) {
      const allowed = targetsFrom(lifecycle, from);
      out.push({
        code: "TRANSITION_FORBIDDEN",
        message: `cannot move from \`${from}\` to \`${to}\`; from \`${from}\` the lifecycle allows: ${allowed.join(", ") || "nothing"}`,
        pointer: "/status",
      });
      return out;
    }
    const reopen = reopenExpired(before, from, to, lifecycle, now);
    if (reopen) out.push(reopen);
  }
  for (const r of missingRequirements(lifecycle, after, to)) {
    out.push({
      code: "STATE_REQUIRED",
      message: `status \`${to}\` requires \`${r.path}\`${r.since === to ? "" : ` (required from \`${r.since}\` on)`}`,
      pointer: toPointer(r.path.split(".")),
      target: "parent",
    });
  }
  return out;
}

function reopenExpired(
  before: unknown,
  from: string,
  to: string,
  lifecycle: LifecycleDef,
  now?: Date,
): Finding | undefined {
  const resolved = findState(lifecycle, from);
  if (!lifecycle.reopen_window || !now || !resolved?.timestamp || from !== "resolved") return undefined;
  const target = findState(lifecycle, to);
  // Moving back along the lifecycle from `resolved` is a reopen; staying `resolved` is not.
  if (!target || lifecycle.states.indexOf(target) >= lifecycle.states.indexOf(resolved)) return undefined;
  const ts = isObj(before) && isObj(before.timestamps) ? before.timestamps[resolved.timestamp] : undefined;
  const window = durationMs(lifecycle.reopen_window);
  if (ts === undefined || ts === null || Number.isNaN(window)) return undefined;
  const at = parseInstant(ts);
  // A resolution time no clock can read must not open the window forever: refuse the reopen.
  if (at === undefined) {
    return {
      code: "TIME_INVALID",
      message: `\`timestamps.${resolved.timestamp}\` is ${typeof ts === "string" ? JSON.stringify(ts.slice(0, 40)) : `a ${typeof ts}`} in the base branch, not a time the checker can compute, so the reopen window (${lifecycle.reopen_window}) cannot be judged; declare a new incident and link it with related.related`,
      pointer: `/timestamps/${resolved.timestamp}`,
    };
  }
  if (now.getTime() - at <= window) return undefined;
  return {
    code: "REOPEN_WINDOW_EXPIRED",
    message: `resolved at ${ts}, longer ago than the reopen window (${lifecycle.reopen_window}); declare a new incident and link it with related.related`,
    pointer: "/status",
  };
}

/**
 * The states whose timestamps a move to `to` should set: the target, plus states on its inheritance
 * chain that the record skipped (new -> in_progress also triages), newest last. A lifecycle whose
 * records do not record their moves (`statusChanges: false`, a retrospective mode) sets the target's
 * timestamp only: the skipped states of a backfilled record happened at unknown times, and "now"
 * would be an invented one.
 */
export function timestampsToSet(
  lifecycle: LifecycleDef & { statusChanges?: boolean },
  record: unknown,
  to: string,
): StateDef[] {
  // Moving back (on_hold -> in_progress, a reopen) keeps the first time the state was reached:
  // overwriting acknowledged_at would falsify time to acknowledge.
  const from =
    isObj(record) && typeof record.status === "string" ? findState(lifecycle, record.status) : undefined;
  const target = findState(lifecycle, to);
  const backwards =
    from !== undefined &&
    target !== undefined &&
    lifecycle.states.indexOf(target) < lifecycle.states.indexOf(from);
  const chain: StateDef[] = [];
  const seen = new Set<string>();
  for (let s = findState(lifecycle, to); s && !seen.has(s.id); s = parentState(lifecycle, s)) {
    seen.add(s.id);
    chain.unshift(s);
  }
  const ts = isObj(record) && isObj(record.timestamps) ? record.timestamps : {};
  const skipped = lifecycle.statusChanges !== false;
  return chain.filter(
    (s) =>
      s.timestamp !== undefined &&
      (skipped || s.id === to) &&
      (ts[s.timestamp] === undefined || (s.id === to && !backwards)),
  );
}
