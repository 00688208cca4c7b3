// Use case: what is overdue in a repository at a given instant. Reads the config and every incident
// and problem file, keeps the records that pass their schema, locates what is wrong with the others
// (file, line, column) and computes the reminder digest from the rest.

import { readFileSync } from "node:fs";
import type { Config } from "../config/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { compareDiagnostics, makeDiagnostic } from "../diagnostics/diagnostic.js";
import { discoverFiles } from "../io/discover.js";
import { parseTime } from "../lifecycle/time.js";
import type { Incident, Problem } from "../model/types.js";
import { computeReminders, type Digest } from "../reminders/compute.js";
import { validateRecordBytes } from "../validate/file.js";
import { parseFast } from "../yaml/fast.js";
import { checkBytes, parseYamlDocument } from "../yaml/parse.js";
import { findRoot, loadRepoConfig } from "./validateRepo.js";

export interface RemindOptions {
  /** The repository (or a folder inside it). */
  dir: string;
  /** The instant to judge at, as typed: `now`, `-1d`, RFC 3339, or a local time in the config's zone. */
  now?: string;
  /** The current time (tests pin it). */
  clock?: Date;
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
  const root = findRoot(opts.dir);
  const { config, validators, diagnostics } = await loadRepoConfig(root);
  const configInvalid = diagnostics.some((d) => d.severity === "error");
  // A bad --now is a TimeError (a usage error) before any record is read.
  const nowText = parseTime(opts.now ?? "now", opts.clock ?? new Date(), config.timezone);
  const found = discoverFiles(root, config, [], root);
  diagnostics.push(...found.diagnostics);
  const incidents: Incident[] = [];
  const problems: Problem[] = [];
  const invalidFiles: string[] = [];
  for (const f of found.files) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(f.abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      diagnostics.push(
        makeDiagnostic("FILE_UNREADABLE", `cannot read: ${code}`, f.file, { line: 1, column: 1 }),
      );
      invalidFiles.push(f.file);
      continue;
    }
    const checked = checkBytes(bytes, config.limits.max_file_bytes);
    // The screened fast parser where it is safe (as `validate` does), the strict one otherwise.
    const fast =
      checked.text !== undefined && checked.findings.length === 0 ? parseFast(checked.text) : undefined;
    const parsed = fast || checked.text === undefined ? undefined : parseYamlDocument(checked.text);
    const value = fast ? fast.value : parsed && parsed.findings.length === 0 ? parsed.value : undefined;
    if (value !== undefined && validators[f.kind](value)) {
      if (f.kind === "incident") incidents.push(value as Incident);
      else problems.push(value as Problem);
      continue;
    }
    invalidFiles.push(f.file);
    const result = validateRecordBytes(f.file, f.kind, bytes, { config, validators });
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    diagnostics.push(
      ...(errors.length > 0
        ? errors
        : [makeDiagnostic("INTERNAL_ERROR", "not a valid record", f.file, { line: 1, column: 1 })]),
    );
  }
  incidents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  problems.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const digest = computeReminders({
    incidents,
    problems,
    config,
    now: new Date(Date.parse(nowText)),
    nowText,
  });
  diagnostics.sort(compareDiagnostics);
  return { root, config, digest, invalidFiles, diagnostics, configInvalid };
}
