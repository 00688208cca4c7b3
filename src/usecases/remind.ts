// Use case: what is overdue in a repository at a given instant. Reads the config and every valid
// incident and problem record (the others are located, file, line and column, and left out) and
// computes the reminder digest from them.

import type { Config } from "../config/types.js";
import { compareDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { parseTime } from "../lifecycle/time.js";
import { bundledRules, ruleSetSchema } from "../regulatory/bundled.js";
import { mergeRules } from "../regulatory/rules.js";
import { computeReminders, type Digest } from "../reminders/compute.js";
import { loadRecords } from "./loadRecords.js";

export interface RemindOptions {
  /** The repository (or a folder inside it). */
  dir: string;
  /** The instant to judge at, as typed: `now`, `-1d`, RFC 3339, or a local time in the config's zone. */
  now?: string;
  /** The current time (tests pin it). */
  clock?: Date;
  /** How far ahead regulatory deadlines are listed, in milliseconds (default 24 hours). */
  withinMs?: number;
}

export interface RemindReport {
  root: string;
  config: Config;
  digest: Digest;
  /** Record files that are not valid records, skipped. */
  invalidFiles: string[];
  /** Why they are invalid, with positions; also the config's own findings. */
  diagnostics: Diagnostic[];
  /** Whether the config has errors (then the built-in defaults were used). */
  configInvalid: boolean;
}

export async function remindRepo(opts: RemindOptions): Promise<RemindReport> {
  // The records `incident stats` reads (valid on their own; the others located and left out).
  const set = await loadRecords({ dir: opts.dir, full: true });
  const { root, config } = set;
  const configInvalid = set.configDiagnostics.some((d) => d.severity === "error");
  // A bad --now is a TimeError (a usage error).
  const nowText = parseTime(opts.now ?? "now", opts.clock ?? new Date(), config.timezone);
  const digest = computeReminders({
    incidents: set.incidents,
    problems: set.problems,
    config,
    now: new Date(Date.parse(nowText)),
    nowText,
    // Regulatory deadlines only where regimes are enabled or recorded; a rule error in the config
    // leaves them out here (`incident obligations` locates it).
    ...regulatoryRules(config),
    ...(opts.withinMs !== undefined ? { withinMs: opts.withinMs } : {}),
  });
  const diagnostics = [...set.configDiagnostics, ...set.invalid].sort(compareDiagnostics);
  const invalidFiles = [...new Set(set.invalid.map((d) => d.file))].sort();
  return { root, config, digest, invalidFiles, diagnostics, configInvalid };
}

function regulatoryRules(config: Config): { rules?: ReturnType<typeof bundledRules> } {
  const { rules, findings } = mergeRules(bundledRules(), config.regulatory, ruleSetSchema());
  return findings.length === 0 ? { rules } : {};
}
