// Which incident modes the numbers count: the modes in config `metrics.exclude_modes` are left out
// unless `--include-modes` names them. One answer for `incident stats`, the site's metrics page and
// anything else that counts incidents, so the same flag means the same thing everywhere.

import type { Config } from "../config/types.js";
import { UsageError } from "../diagnostics/errors.js";
import type { Incident } from "../model/types.js";

/** Every incident mode (the `mode` enum of incident.schema.json). */
export const INCIDENT_MODES: readonly string[] = ["standard", "test", "gameday", "retrospective"];

/** The modes left out: those the config excludes, minus those included by the caller. */
export function excludedModes(config: Config, include: readonly string[] = []): Set<string> {
  const included = new Set(include);
  return new Set(config.metrics.exclude_modes.filter((m) => !included.has(m)));
}

/** Whether an incident of this mode is counted (a record without `mode` is `standard`). */
export function isCounted(inc: Pick<Incident, "mode">, excluded: ReadonlySet<string>): boolean {
  return !excluded.has(inc.mode ?? "standard");
}

/**
 * The value of `--include-modes`: a comma-separated list of modes. Undefined gives none; an empty or
 * unknown mode is a usage error (exit 2) that names the modes.
 */
export function parseIncludeModes(value: string | undefined): string[] {
  if (value === undefined) return [];
  const modes = value
    .split(",")
    .map((m) => m.trim())
    .filter(Boolean);
  const bad = modes.filter((m) => !INCIDENT_MODES.includes(m));
  if (bad.length > 0 || modes.length === 0)
    throw new UsageError(
      `--include-modes takes a comma-separated list of ${INCIDENT_MODES.join(", ")}${bad.length ? `; not a mode: ${bad.join(", ")}` : ""}`,
    );
  return [...new Set(modes)];
}
