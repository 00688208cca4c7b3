// The lifecycle a record is judged by, given its mode: the live rules for `standard` (and for any
// mode the config gives no rules), the mode's presence rules otherwise. The one place that answers
// it, for validate, the effective schemas, the pull-request check and `incident status`/`close`.

import type { LifecycleDef, ModeId, ModeRules } from "../config/types.js";

/** The mode of a record value: its `mode` when that is a string, else `standard` (the schema default). */
export function modeOf(record: unknown): string {
  const mode =
    record !== null && typeof record === "object" ? (record as { mode?: unknown }).mode : undefined;
  return typeof mode === "string" ? mode : "standard";
}

/** A lifecycle with the mode's presence switches resolved. */
export interface ModeLifecycle extends LifecycleDef {
  mode: string;
  /** Closing a major record needs the postmortem fields. */
  postmortem: boolean;
  /** A confirmed `sec.*` incident needs the `security` block. */
  security: boolean;
  /** Every status is reached by `status_change` timeline entries. */
  statusChanges: boolean;
}

/** The mode's rules, when the config gives the mode any; never for `standard` (nor a prototype key). */
export function modeRules(lifecycle: LifecycleDef, mode: string): ModeRules | undefined {
  const modes = lifecycle.modes;
  if (mode === "standard" || !modes || !Object.hasOwn(modes, mode)) return undefined;
  return modes[mode as ModeId];
}

/**
 * The effective lifecycle of a record of `mode`. For `standard` its states and transitions are the
 * configured ones, unchanged (the same objects); for a mode with rules each state listed in the mode's
 * `requires` gets that list instead of its own, and the presence switches follow the mode.
 */
export function lifecycleForMode(lifecycle: LifecycleDef, mode: string): ModeLifecycle {
  const rules = modeRules(lifecycle, mode);
  if (!rules) return { ...lifecycle, mode, postmortem: true, security: true, statusChanges: true };
  const requires = rules.requires ?? {};
  return {
    ...lifecycle,
    states: lifecycle.states.map((s) =>
      Object.hasOwn(requires, s.id) && Array.isArray(requires[s.id])
        ? { ...s, requires: [...(requires[s.id] as string[])] }
        : s,
    ),
    mode,
    postmortem: rules.postmortem ?? true,
    security: rules.security ?? true,
    statusChanges: rules.status_changes ?? true,
  };
}

/** The modes the config gives rules, in a stable order (for the effective schemas). */
export function modesWithRules(lifecycle: LifecycleDef): string[] {
  return Object.keys(lifecycle.modes ?? {})
    .filter((m) => modeRules(lifecycle, m) !== undefined)
    .sort();
}
