// When an incident counts as open, and when it was last resolved: shared by metrics, lists and
// reminders so that a reopened incident is judged the same way everywhere. Pure.

import type { Config } from "../config/types.js";
import type { Incident } from "../model/types.js";
import { parseInstant } from "./time.js";

/** Not yet resolved, closed or canceled. */
export function isOpen(status: string, config: Config): boolean {
  if (status === "resolved") return false;
  const state = config.lifecycle.states.find((s) => s.id === status);
  return !state?.terminal;
}

/**
 * When the incident was last resolved. A reopen (`resolved -> in_progress`) keeps `resolved_at`, so a
 * later resolution is found as the last `status_change` to `resolved` in the timeline; an incident
 * that is open again has no resolution yet. Only computable times count (validate reports the others).
 */
export function lastResolution(inc: Incident, config: Config): string | undefined {
  if (isOpen(inc.status, config)) return undefined;
  let best: string | undefined;
  let bestMs = Number.NEGATIVE_INFINITY;
  for (const at of [
    inc.timestamps?.resolved_at,
    ...(inc.timeline ?? []).filter((e) => e.type === "status_change" && e.to === "resolved").map((e) => e.at),
  ]) {
    const ms = parseInstant(at);
    if (ms !== undefined && ms > bestMs) {
      best = at;
      bestMs = ms;
    }
  }
  return best;
}
