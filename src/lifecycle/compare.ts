// What a pull request may do to one record, as a pure function of its base and head versions and
// the base branch's lifecycle: new records start in an initial state, the status path recorded by
// the added status_change entries is legal edge by edge and ends at the new status, `id`,
// `declared_at` and the mode never change, merged timeline entries are never rewritten, final
// records are frozen. A mode whose records need no status_change entries (config `lifecycle.modes`)
// lets a new record arrive in any state and moves an existing one edge by edge without entries.

import { isDeepStrictEqual } from "node:util";
import type { LifecycleDef, SeverityDef, TransitionDef } from "../config/types.js";
import type { Finding } from "../diagnostics/diagnostic.js";
import { modeOf } from "./modes.js";
import { findState } from "./requirements.js";
import { parseInstant } from "./time.js";
import { checkTransition, isEdge } from "./transition.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

export interface Move {
  from: string;
  to: string;
  /** When the move was recorded (the timeline entry's `at`). */
  at?: string;
  /** Index of the status_change entry in the head timeline. */
  index?: number;
}

export interface ChangeReport {
  findings: Finding[];
  /** The status path the pull request records, edge by edge. */
  moves: Move[];
}

const IMMUTABLE = [["id"], ["timestamps", "declared_at"]] as const;

/** States strictly between `from` and `to` on a shortest path of the lifecycle, if any path exists. */
export function statesBetween(lifecycle: LifecycleDef, from: string, to: string): string[] | undefined {
  const prev = new Map<string, string>([[from, from]]);
  const queue = [from];
  while (queue.length > 0) {
    const cur = queue.shift() as string;
    if (cur === to) break;
    for (const t of lifecycle.transitions) {
      if (t.from === cur && !prev.has(t.to)) {
        prev.set(t.to, cur);
        queue.push(t.to);
      }
    }
  }
  if (!prev.has(to)) return undefined;
  const path: string[] = [];
  for (let s = prev.get(to) as string; s !== from; s = prev.get(s) as string) path.unshift(s);
  return path;
}

/**
 * `timeline`: whether the record keeps status_change entries (incidents do; problem records have no
 * timeline, so their status change is judged as one direct move).
 */
export function checkChange(
  before: unknown,
  after: unknown,
  lifecycle: LifecycleDef,
  opts: {
    timeline?: boolean;
    now?: Date;
    /**
     * Whether the file's bytes changed, when the caller knows: a final record is final to the byte
     * (comments and layout are part of what people read and cite), not only by value.
     */
    bytesChanged?: boolean;
    /**
     * Whether statuses are reached by status_change entries (the record's mode decides; default
     * true). When false, a new record may arrive in any state, needing the approvals of the moves into
     * it: its entries, if any, are history from another system (an import), which need not have
     * walked this lifecycle edge by edge. An existing record moves one edge per pull request, or along
     * the entries the pull request adds.
     */
    statusChanges?: boolean;
  } = {},
): ChangeReport {
  const findings: Finding[] = [];
  const moves: Move[] = [];
  const a = isObj(after) ? after : {};
  const headStatus = typeof a.status === "string" ? a.status : undefined;
  const headTimeline = Array.isArray(a.timeline) ? a.timeline : [];
  let start: string | undefined;
  let added: unknown[];

  const isMove = (e: unknown) => isObj(e) && e.type === "status_change";
  if (before === undefined) {
    if (opts.statusChanges === false) return { findings, moves: arrival(lifecycle, headStatus) };
    // A new record starts in an initial state; every timeline entry is new.
    const initial = lifecycle.states.filter((s) => s.initial).map((s) => s.id);
    const firstMove = headTimeline.find((e) => isObj(e) && e.type === "status_change") as Obj | undefined;
    start = typeof firstMove?.from === "string" ? firstMove.from : headStatus;
    if (start !== undefined && !initial.includes(start)) {
      findings.push({
        code: "TRANSITION_FORBIDDEN",
        message: `a new record must start in ${initial.map((s) => `\`${s}\``).join(" or ")}, not \`${start}\``,
        pointer: firstMove ? `/timeline/${headTimeline.indexOf(firstMove)}/from` : "/status",
      });
      return { findings, moves };
    }
    added = headTimeline;
  } else {
    const b = isObj(before) ? before : {};
    start = typeof b.status === "string" ? b.status : undefined;
    const changed = opts.bytesChanged ?? !isDeepStrictEqual(b, a);
    if (start !== undefined && findState(lifecycle, start)?.terminal && changed) {
      findings.push({
        code: "INCIDENT_FROZEN",
        message: `the record was already \`${start}\` in the base branch, which is final; record a recurrence as a new record linked to this one`,
        pointer: "/status",
      });
      return { findings, moves };
    }
    for (const path of IMMUTABLE) {
      const old = getIn(b, path);
      const now = getIn(a, path);
      if (old !== undefined && !isDeepStrictEqual(old, now)) {
        findings.push({
          code: "FIELD_IMMUTABLE",
          message: `\`${path.join(".")}\` was ${JSON.stringify(old)} in the base branch and never changes`,
          pointer: `/${path.join("/")}`,
          target: now === undefined ? "parent" : "value",
        });
      }
    }
    // The mode decides which presence rules hold (and whether metrics count the record): a record
    // keeps the mode it was merged with, or a pull request could move it out of the live rules.
    if (modeOf(b) !== modeOf(a)) {
      findings.push({
        code: "MODE_IMMUTABLE",
        message: `\`mode\` was \`${modeOf(b)}\` in the base branch and never changes; the mode decides which rules hold and whether metrics count the record`,
        pointer: "/mode",
        target: a.mode === undefined ? "parent" : "value",
      });
    }
    const baseTimeline = Array.isArray(b.timeline) ? b.timeline : [];
    const rewritten = baseTimeline.findIndex((e, i) => !isDeepStrictEqual(e, headTimeline[i]));
    if (rewritten >= 0) {
      findings.push({
        code: "TIMELINE_REWRITTEN",
        message:
          rewritten < headTimeline.length
            ? `timeline entry ${rewritten} differs from the one already merged; the timeline is append-only (add a correcting entry instead)`
            : `timeline entries from ${rewritten} on were removed; the timeline is append-only`,
        pointer: rewritten < headTimeline.length ? `/timeline/${rewritten}` : "/timeline",
      });
      return { findings, moves };
    }
    added = headTimeline.slice(baseTimeline.length);
  }

  if (opts.timeline === false || (opts.statusChanges === false && !added.some(isMove)))
    return directMove(start, headStatus, before, a, lifecycle, findings, moves, opts.now);

  // Walk the status_change entries the pull request adds.
  let current = start;
  let previous: unknown = before;
  for (let i = 0; i < added.length; i++) {
    const e = added[i];
    if (!isObj(e) || e.type !== "status_change") continue;
    const index = headTimeline.length - added.length + i;
    const from = typeof e.from === "string" ? e.from : undefined;
    const to = typeof e.to === "string" ? e.to : undefined;
    if (from === undefined || to === undefined) continue;
    if (from !== current) {
      findings.push({
        code: "STATUS_UNRECORDED",
        message: `timeline entry ${index} moves from \`${from}\`, but the record was \`${current}\` at that point`,
        pointer: `/timeline/${index}/from`,
      });
      return { findings, moves };
    }
    if (!isEdge(lifecycle, from, to)) {
      const between = statesBetween(lifecycle, from, to);
      findings.push(
        between && between.length > 0
          ? {
              code: "TRANSITION_SKIPPED",
              message: `\`${from}\` -> \`${to}\` skips ${between.map((s) => `\`${s}\``).join(", ")}; record each move`,
              pointer: `/timeline/${index}/to`,
            }
          : {
              code: "TRANSITION_FORBIDDEN",
              message: `the lifecycle has no move from \`${from}\` to \`${to}\``,
              pointer: `/timeline/${index}/to`,
            },
      );
      return { findings, moves };
    }
    const at = typeof e.at === "string" ? e.at : undefined;
    // A move is judged no earlier than the check runs: a backdated entry cannot slip into the
    // reopen window.
    // (An uncomputable `at` is a TIME_INVALID finding of validate; the check's clock still judges.)
    const recorded = parseInstant(e.at);
    const when = opts.now
      ? new Date(Math.max(opts.now.getTime(), recorded ?? Number.NEGATIVE_INFINITY))
      : recorded === undefined
        ? undefined
        : new Date(recorded);
    if (when === undefined) {
      findings.push({
        code: "TIME_INVALID",
        message: `timeline entry ${index} has no time the checker can compute, so the move \`${from}\` -> \`${to}\` cannot be judged`,
        pointer: `/timeline/${index}/at`,
      });
    }
    // Edge-level rules (reopen window); requirements are judged on the final file by validate.
    for (const f of checkTransition(previous ?? { status: from }, { ...a, status: to }, lifecycle, when)) {
      if (f.code === "REOPEN_WINDOW_EXPIRED") findings.push({ ...f, pointer: `/timeline/${index}/to` });
      if (f.code === "TIME_INVALID") findings.push(f);
    }
    moves.push({ from, to, at, index });
    current = to;
    previous = { ...a, status: to };
  }
  if (headStatus !== undefined && current !== headStatus) {
    findings.push({
      code: "STATUS_UNRECORDED",
      message: `status is \`${headStatus}\` but the pull request records no move from \`${current}\` to it; add status_change timeline entries (incident status does this)`,
      pointer: "/status",
    });
  }
  return { findings, moves };
}

/**
 * A new record arriving in `status` without status_change entries: the moves into that state that
 * need an approval, one per distinct approval, so arriving does not dodge a sign-off.
 */
function arrival(lifecycle: LifecycleDef, status: string | undefined): Move[] {
  if (status === undefined || lifecycle.states.some((s) => s.initial && s.id === status)) return [];
  const seen = new Set<string>();
  const out: Move[] = [];
  for (const t of lifecycle.transitions) {
    if (t.to !== status || !t.approval) continue;
    const key = JSON.stringify(t.approval);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ from: t.from, to: t.to });
  }
  return out;
}

/** A record without a timeline: the status may move along one edge per pull request. */
function directMove(
  start: string | undefined,
  to: string | undefined,
  before: unknown,
  after: Obj,
  lifecycle: LifecycleDef,
  findings: Finding[],
  moves: Move[],
  now: Date | undefined,
): ChangeReport {
  if (start === undefined || to === undefined || start === to) return { findings, moves };
  if (!isEdge(lifecycle, start, to)) {
    const between = statesBetween(lifecycle, start, to);
    findings.push(
      between && between.length > 0
        ? {
            code: "TRANSITION_SKIPPED",
            message: `\`${start}\` -> \`${to}\` skips ${between.map((s) => `\`${s}\``).join(", ")}; move one state per pull request`,
            pointer: "/status",
          }
        : {
            code: "TRANSITION_FORBIDDEN",
            message: `the lifecycle has no move from \`${start}\` to \`${to}\``,
            pointer: "/status",
          },
    );
    return { findings, moves };
  }
  for (const f of checkTransition(before ?? { status: start }, after, lifecycle, now)) {
    if (f.code === "REOPEN_WINDOW_EXPIRED" || f.code === "TIME_INVALID") findings.push(f);
  }
  moves.push({ from: start, to });
  return { findings, moves };
}

function getIn(v: Obj, path: readonly string[]): unknown {
  let cur: unknown = v;
  for (const k of path) {
    if (!isObj(cur) || !Object.hasOwn(cur, k)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/**
 * Whether an approval applies to an incident of severity `severity` (undefined: none set). An
 * approval that names neither `severities` nor `major` applies to every incident; otherwise the
 * severity must be listed, or be marked `major` in `defs` when the approval says `major: true`.
 */
export function approvalApplies(
  approval: NonNullable<TransitionDef["approval"]>,
  severity: unknown,
  defs: readonly SeverityDef[],
): boolean {
  if (approval.severities === undefined && approval.major !== true) return true;
  if (typeof severity !== "string") return false;
  if (approval.severities?.includes(severity)) return true;
  return approval.major === true && defs.some((d) => d.id === severity && d.major);
}

/**
 * The approvals the recorded moves need under the base branch's lifecycle. `severities` holds the
 * base and the head severity: lowering the severity in the same pull request does not dodge an
 * approval. `defs` are the base branch's severities (which of them are major).
 */
export function approvalsNeeded(
  moves: readonly Move[],
  lifecycle: LifecycleDef,
  severities: readonly unknown[],
  defs: readonly SeverityDef[],
): Array<Move & { role: string }> {
  const out: Array<Move & { role: string }> = [];
  for (const m of moves) {
    const t = lifecycle.transitions.find((x) => x.from === m.from && x.to === m.to);
    const approval = t?.approval;
    if (!approval) continue;
    const applies = [undefined, ...severities].some((s) => approvalApplies(approval, s, defs));
    if (!applies) continue;
    out.push({ ...m, role: approval.role });
  }
  return out;
}
