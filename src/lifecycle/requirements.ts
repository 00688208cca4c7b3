// Per-state requirements: a state requires its own fields plus those of the state it builds on
// (by default the state listed before it), so what `triaged` requires, `closed` requires too.

import type { LifecycleDef, StateDef } from "../config/types.js";

export function findState(lifecycle: LifecycleDef, id: string): StateDef | undefined {
  return lifecycle.states.find((s) => s.id === id);
}

/** The state whose requirements `state` inherits, or undefined for the first state. */
export function parentState(lifecycle: LifecycleDef, state: StateDef): StateDef | undefined {
  if (state.inherits !== undefined) return findState(lifecycle, state.inherits);
  const i = lifecycle.states.indexOf(state);
  return i > 0 ? lifecycle.states[i - 1] : undefined;
}

export interface Requirement {
  /** Dotted path such as `timestamps.triaged_at`. */
  path: string;
  /** The state that introduced the requirement. */
  since: string;
}

/** Every requirement of `stateId`, inherited ones first; [] for an unknown state. */
export function requirementsFor(lifecycle: LifecycleDef, stateId: string): Requirement[] {
  const chain: StateDef[] = [];
  const seen = new Set<string>();
  for (let s = findState(lifecycle, stateId); s && !seen.has(s.id); s = parentState(lifecycle, s)) {
    seen.add(s.id);
    chain.unshift(s);
  }
  const out: Requirement[] = [];
  const have = new Set<string>();
  for (const s of chain) {
    for (const path of s.requires) {
      if (have.has(path)) continue;
      have.add(path);
      out.push({ path, since: s.id });
    }
  }
  return out;
}

/**
 * The fields a closed incident needs when its severity requires a postmortem, in the order they
 * are reported. One list for the check and for `incident close`, so both name the same fields.
 */
export const POSTMORTEM_FIELDS = ["root_cause", "contributing_factors", "lessons", "action_items"] as const;

/** Present means: not undefined or null, not an empty string, list or mapping. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

export function getPath(value: unknown, dotted: string): unknown {
  let cur: unknown = value;
  for (const key of dotted.split(".")) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Requirements of the record's current state that it does not meet. */
export function missingRequirements(
  lifecycle: LifecycleDef,
  record: unknown,
  stateId: string,
): Requirement[] {
  return requirementsFor(lifecycle, stateId).filter((r) => !isPresent(getPath(record, r.path)));
}
