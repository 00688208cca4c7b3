// Use case: every valid incident and problem of a repository for `incident stats`, `incident list`,
// `incident render` and `incident site`, from the working tree or, with `at`, from the files of a past commit (read as git objects, config
// and schemas from that commit too). Records that are not valid are left out and reported with the
// positions `incident validate` gives them.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { configAtCommit, findRoot, type LoadedConfig, loadRepoConfig } from "../config/load.js";
import type { Config } from "../config/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { compareDiagnostics, makeDiagnostic } from "../diagnostics/diagnostic.js";
import { discoverFiles } from "../io/discover.js";
import { GitError, GitRepo } from "../io/git.js";
import { slimIncident, slimProblem } from "../metrics/compute.js";
import type { Incident, Problem } from "../model/types.js";
import type { Validators } from "../schema/load.js";
import { readOptions, validateRecord } from "../validate/file.js";
import { readRecord } from "../validate/read.js";
import { checkIncident, checkProblem, type RecordKind } from "../validate/semantic.js";

export interface LoadRecordsOptions {
  dir: string;
  /** A revision whose files are read instead of the working tree. */
  at?: string;
  /**
   * Keep every field of each record (rendering needs them all). By default only the fields metrics
   * and lists read are kept, so that 100,000 records fit in memory.
   */
  full?: boolean;
}

export interface RecordSet {
  root: string;
  /** The commit read with `at`. */
  commit?: string;
  /** When that commit was made: the clock a report of that commit is judged at. */
  commitTime?: Date;
  config: Config;
  /** Findings in incident.config.yaml; when there are errors, no records are read. */
  configDiagnostics: Diagnostic[];
  incidents: Incident[];
  problems: Problem[];
  /** Findings of the records that were left out. */
  invalid: Diagnostic[];
  /** How many record files were left out. */
  invalidFiles: number;
  /** Where each valid record is, by id: its path from the repository root. */
  paths: Map<string, string>;
}

/** A revision that does not resolve to a commit. */
export class RevisionUnresolved extends GitError {}

const YAML_FILE = /\.ya?ml$/;
const REGULAR = new Set(["100644", "100755"]);
/** Blobs per `git cat-file --batch` process: bounds the memory one batch holds. */
const BLOB_BATCH = 2000;

export async function loadRecords(opts: LoadRecordsOptions): Promise<RecordSet> {
  const root = findRoot(resolve(opts.dir));
  if (opts.at === undefined) {
    const loaded = await loadRepoConfig(root);
    const set = emptySet(root, loaded);
    if (hasErrors(loaded)) return set;
    const found = discoverFiles(root, loaded.config, [], root);
    set.invalid.push(...found.diagnostics);
    set.invalidFiles += found.diagnostics.length;
    for (const f of found.files) {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(f.abs);
      } catch (err) {
        set.invalid.push(
          makeDiagnostic(
            "FILE_UNREADABLE",
            `cannot read: ${(err as NodeJS.ErrnoException).code ?? err}`,
            f.file,
            {
              line: 1,
              column: 1,
            },
          ),
        );
        set.invalidFiles++;
        continue;
      }
      addRecord(set, f.file, f.kind, bytes, loaded.validators, opts.full);
    }
    return finish(set);
  }

  const git = new GitRepo(root);
  const commit = await git.resolve(opts.at);
  if (!commit) throw new RevisionUnresolved(`cannot resolve \`${opts.at}\` to a commit in ${root}`);
  const loaded = await configAtCommit(git, commit);
  const set = emptySet(root, loaded);
  set.commit = commit;
  set.commitTime = await git.commitTime(commit);
  if (hasErrors(loaded)) return set;
  const { config } = loaded;
  const problemsDir = config.paths.problems.replace(/\/+$/, "");
  const kindOf = (path: string): RecordKind => (path.startsWith(`${problemsDir}/`) ? "problem" : "incident");
  const seen = new Set<string>();
  const files: string[] = [];
  for (const dir of [config.paths.incidents, config.paths.problems]) {
    for (const e of await git.listTree(commit, dir.replace(/\/+$/, ""))) {
      if (!YAML_FILE.test(e.path) || seen.has(e.path)) continue;
      seen.add(e.path);
      if (REGULAR.has(e.mode)) files.push(e.path);
      else {
        set.invalid.push(
          makeDiagnostic(
            e.mode === "120000" ? "FILE_SYMLINK" : "UNSAFE_PATH",
            e.mode === "120000"
              ? "symbolic link; incident files must be regular files"
              : `mode ${e.mode}; records must be regular files`,
            e.path,
            { line: 1, column: 1 },
          ),
        );
        set.invalidFiles++;
      }
    }
  }
  files.sort();
  for (let i = 0; i < files.length; i += BLOB_BATCH) {
    const batch = files.slice(i, i + BLOB_BATCH);
    const blobs = await git.readBlobs(batch.map((p) => `${commit}:${p}`));
    for (const path of batch) {
      const bytes = blobs.get(`${commit}:${path}`);
      if (!bytes) {
        set.invalid.push(
          makeDiagnostic("FILE_UNREADABLE", `cannot read from ${opts.at}`, path, { line: 1, column: 1 }),
        );
        set.invalidFiles++;
        continue;
      }
      addRecord(set, path, kindOf(path), bytes, loaded.validators, opts.full);
    }
  }
  return finish(set);
}

function emptySet(root: string, loaded: LoadedConfig): RecordSet {
  return {
    root,
    config: loaded.config,
    configDiagnostics: loaded.diagnostics,
    incidents: [],
    problems: [],
    invalid: [],
    invalidFiles: 0,
    paths: new Map(),
  };
}

const hasErrors = (loaded: LoadedConfig) => loaded.diagnostics.some((d) => d.severity === "error");

function finish(set: RecordSet): RecordSet {
  set.invalid.sort(compareDiagnostics);
  set.incidents.sort((a, b) => a.id.localeCompare(b.id));
  set.problems.sort((a, b) => a.id.localeCompare(b.id));
  return set;
}

/**
 * Adds the record when the file is valid on its own (bytes, YAML, schema, the per-file checks of
 * `incident validate`); otherwise records its findings, positioned by the full validator.
 */
function addRecord(
  set: RecordSet,
  file: string,
  kind: RecordKind,
  bytes: Uint8Array,
  validators: Validators,
  full = false,
): void {
  const { config } = set;
  const ctx = { config, validators };
  const read = readRecord(bytes, readOptions(ctx));
  const value = read.value;
  const valid =
    value !== undefined &&
    validators[kind](value) &&
    (kind === "incident" ? checkIncident : checkProblem)(value, { config, file }).findings.length === 0;
  if (valid) {
    // The id of the kept (copied) record: a string taken from the parsed value could be a slice of
    // the file's text and keep all of it in memory.
    const record =
      kind === "incident"
        ? full
          ? (value as Incident)
          : slimIncident(value as Incident)
        : full
          ? (value as Problem)
          : slimProblem(value as Problem);
    if (kind === "incident") set.incidents.push(record as Incident);
    else set.problems.push(record as Problem);
    set.paths.set(record.id, file);
    return;
  }
  set.invalidFiles++;
  const diags = validateRecord(file, kind, read, ctx).diagnostics;
  set.invalid.push(
    ...(diags.length > 0
      ? diags
      : [
          makeDiagnostic("INTERNAL_ERROR", "the file could not be read as a record", file, {
            line: 1,
            column: 1,
          }),
        ]),
  );
}
