// When an incident counts as open, and when it was last resolved: shared by metrics, lists and
// reminders so that a reopened incident is judged the same way everywhere. Pure.

import type { Config } from "../config/types.js";
import type { Incident } from "../model/types.js";

/** Not yet resolved, closed or canceled. */
export function isOpen(status: string, config: Config): boolean {
  if (status === "resolved") return false;
  const state = config.lifecycle.states.find((s) => s.id === status);
  return !state?.terminal;
}

/**
 * When the incident was last resolved. A reopen (`resolved -> in_progress`) keeps `resolved_at`, so a
 * later resolution is found as the last `status_change` to `resolved` in the timeline; an incident
 * that is open again has no resolution yet.
 */
export function lastResolution(inc: Incident, config: Config): string | undefined {
  if (isOpen(inc.status, config)) return undefined;
  let best = inc.timestamps?.resolved_at;
  let bestMs = best ? Date.parse(best) : Number.NEGATIVE_INFINITY;
  for (const e of inc.timeline ?? []) {
    if (e.type !== "status_change" || e.to !== "resolved") continue;
    const ms = Date.parse(e.at);
    if (ms > bestMs) {
      best = e.at;
      bestMs = ms;
    }
  }
  return best;
}
