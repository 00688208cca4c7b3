// Finds incident and problem files in a repository without following symbolic links, and refuses
// paths that resolve outside it, links of any name in the record folders, and YAML files there that
// are not where a record goes (src/validate/placement.ts).

import { lstatSync, readdirSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Config } from "../config/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { makeDiagnostic } from "../diagnostics/diagnostic.js";
import { checkRecordPath } from "../validate/placement.js";
import type { RecordKind } from "../validate/semantic.js";

export interface FoundFile {
  /** Relative to the repository root, forward slashes. */
  file: string;
  abs: string;
  kind: RecordKind;
}

export interface Discovery {
  files: FoundFile[];
  diagnostics: Diagnostic[];
}

const YAML_FILE = /\.ya?ml$/;
// `INC-2026-0001.YAML` is not a record's name, but it is meant as one: found, and reported misplaced.
const YAML_FILE_ANY_CASE = /\.ya?ml$/i;
const CONFIG_FILE_NAME = "incident.config.yaml";

export function toRepoPath(root: string, abs: string): string {
  return relative(root, abs).split(sep).join("/");
}

function kindOf(rel: string, config: Config): RecordKind {
  const problems = config.paths.problems.replace(/\/+$/, "");
  return rel === problems || rel.startsWith(`${problems}/`) ? "problem" : "incident";
}

/** Every record file under the configured paths, or under the given paths (files or folders). */
export function discoverFiles(
  root: string,
  config: Config,
  paths: readonly string[],
  cwd: string,
): Discovery {
  const files: FoundFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const realRoot = realpathSync(root);
  const seen = new Set<string>();
  const incidentsDir = resolve(root, config.paths.incidents);
  const problemsDir = resolve(root, config.paths.problems);
  const isRecordPath = (abs: string) => isInside(incidentsDir, abs) || isInside(problemsDir, abs);
  const misplaced = (rel: string, message: string) =>
    diagnostics.push(makeDiagnostic("RECORD_MISPLACED", message, rel, { line: 1, column: 1 }));
  /** A file found by a walk (only `.yaml`/`.yml` names are records) or named on the command line. */
  const add = (abs: string, named = false) => {
    const rel = toRepoPath(root, abs);
    if (seen.has(rel)) return;
    seen.add(rel);
    // A misplaced file is reported and still validated. FILE_LOCATION and ID_PATTERN verdicts are
    // left to the per-file judge, which reports them from the id inside with its position.
    if (isRecordPath(abs) && YAML_FILE_ANY_CASE.test(rel)) {
      const place = checkRecordPath(rel, config);
      if ("code" in place && place.code === "RECORD_MISPLACED") misplaced(rel, place.message);
    }
    // `X.YAML` is reported above but, as before, not read as a record.
    if (named || YAML_FILE.test(rel)) files.push({ file: rel, abs, kind: kindOf(rel, config) });
  };
  const refuseLink = (abs: string) => {
    let where = "";
    try {
      const target = realpathSync(abs);
      if (!isInside(realRoot, target)) where = " that resolves outside the repository";
    } catch {
      where = " whose target does not exist";
    }
    diagnostics.push(
      makeDiagnostic(
        "FILE_SYMLINK",
        `symbolic link${where}; incident files must be regular files`,
        toRepoPath(root, abs),
        {
          line: 1,
          column: 1,
        },
      ),
    );
  };
  const walk = (dir: string, depth: number) => {
    if (depth > 16) return;
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = join(dir, e.name);
      // Links of any name are refused (a linked postmortem or asset is as untrusted as a record).
      if (e.isSymbolicLink()) refuseLink(abs);
      else if (e.isDirectory()) {
        if (YAML_FILE_ANY_CASE.test(e.name)) {
          const rel = toRepoPath(root, abs);
          misplaced(
            rel,
            `\`${JSON.stringify(rel).slice(1, -1)}\` is a folder named like a record file; records are files`,
          );
        }
        walk(abs, depth + 1);
      } else if (e.isFile() && YAML_FILE_ANY_CASE.test(e.name)) add(abs);
    }
  };
  // A configured folder that is itself a link (or sits behind one) is refused, not followed.
  const walkRecords = (dir: string) => {
    const st = lstatSync(dir, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isSymbolicLink() || !isInside(realRoot, realpathSync(dir))) refuseLink(dir);
    else if (st.isDirectory()) walk(dir, 0);
  };
  if (paths.length === 0) {
    walkRecords(incidentsDir);
    if (!isInside(incidentsDir, problemsDir)) walkRecords(problemsDir);
  }
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      diagnostics.push(
        makeDiagnostic("FILE_UNREADABLE", `no such file or folder: ${p}`, p, { line: 1, column: 1 }),
      );
      continue;
    }
    if (!isInside(realRoot, real) || !isInside(resolve(root), abs)) {
      diagnostics.push(
        makeDiagnostic("PATH_OUTSIDE_REPO", `${p} is outside the repository at ${root}`, p, {
          line: 1,
          column: 1,
        }),
      );
      continue;
    }
    // The config file is always validated as config, never as a record.
    if (toRepoPath(root, abs) === CONFIG_FILE_NAME) continue;
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) refuseLink(abs);
    else if (st.isDirectory()) {
      // A named folder contributes the records inside the configured folders, not every YAML file.
      if (isRecordPath(abs)) walk(abs, 0);
      else if (isInside(abs, incidentsDir)) walkRecords(incidentsDir);
      if (isInside(abs, problemsDir) && !isInside(incidentsDir, problemsDir) && !isRecordPath(abs))
        walkRecords(problemsDir);
    } else add(abs, true);
  }
  return { files, diagnostics };
}

export function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
