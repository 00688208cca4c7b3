// Git repositories for the benchmark's `incident check` row: a generated corpus committed on `main`,
// then a `pr` branch that appends one `note` timeline entry to the same number of open incidents, so
// that the check of the same kind of pull request can be timed in a small and a large repository.

import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CorpusStats, generateCorpus } from "./generate.js";

/** Statuses whose incidents get the note, in order of preference (all non-final). */
const PREFERRED = ["in_progress", "on_hold", "mitigated"];
const FALLBACK = ["triaged", "new"];
/** Later than every timestamp the generator writes. */
const NOTE_AT = "2030-01-01T00:00:00Z";

export interface PrRepo {
  dir: string;
  stats: CorpusStats;
  /** Files tracked on `main`. */
  tracked: number;
  /** Size of .git after the repack, bytes. */
  gitBytes: number;
  /** Changed files (relative paths), and how many of them per status. */
  changed: string[];
  byStatus: Record<string, number>;
  ms: number;
}

const GIT_CONFIG = [
  "-c",
  "user.name=incident-as-code bench",
  "-c",
  "user.email=bench@example.invalid",
  "-c",
  "commit.gpgsign=false",
  "-c",
  "core.autocrlf=false",
  "-c",
  "core.hooksPath=/dev/null",
  // A commit of 10k new files would start `git gc --auto` in the background during the timed runs.
  "-c",
  "gc.auto=0",
];

export function git(dir: string, args: string[]): string {
  const r = spawnSync("git", [...GIT_CONFIG, ...args], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0)
    throw new Error(`git ${args.join(" ")} in ${dir}: exit ${r.status} ${r.stderr ?? String(r.error)}`);
  return r.stdout;
}

function duSync(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const f of readdirSync(path)) total += duSync(join(path, f));
  return total;
}

/** The text with a `note` entry appended to its top-level `timeline:` block. */
export function appendNote(text: string, file: string): string {
  const stamps = text.match(/\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?Z/g) ?? [];
  const latest = stamps.sort().at(-1);
  if (latest !== undefined && latest >= NOTE_AT) throw new Error(`${file} has a timestamp ${latest}`);
  const lines = text.split("\n");
  const start = lines.indexOf("timeline:");
  if (start < 0) throw new Error(`${file} has no top-level timeline`);
  let end = start + 1;
  while (end < lines.length && (lines[end] === "" || (lines[end] as string).startsWith(" "))) end++;
  // Trailing blank lines (the end of the file) stay after the new entry.
  while (end > start + 1 && lines[end - 1] === "") end--;
  lines.splice(end, 0, `  - at: "${NOTE_AT}"`, "    type: note", "    text: Benchmark note");
  return lines.join("\n");
}

/**
 * Generates `count` incidents into `dir`, commits them on `main` (one commit), and commits on a `pr`
 * branch a note appended to `touch` non-final incidents (preferably in_progress, on_hold or
 * mitigated; triaged and new fill up a corpus that has too few). The objects end up in one pack, as
 * in a clone.
 */
export function buildPrRepo(dir: string, count: number, seed: number, touch = 20): PrRepo {
  const started = performance.now();
  const stats = generateCorpus(dir, count, seed);
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "--no-verify", "-m", `corpus: ${count} incidents (seed ${seed})`]);
  const tracked = git(dir, ["ls-files", "-z"]).split("\0").filter(Boolean);
  git(dir, ["checkout", "-q", "-b", "pr"]);

  const incidents = tracked.filter((f) => /^incidents\/\d{4}\/[^/]+\.yaml$/.test(f)).sort();
  const statusOf = new Map<string, string>();
  for (const f of incidents) {
    const m = /^status: (\S+)$/m.exec(readFileSync(join(dir, f), "utf8"));
    if (m) statusOf.set(f, m[1] as string);
  }
  const changed: string[] = [];
  for (const wanted of [PREFERRED, FALLBACK]) {
    for (const f of incidents) {
      if (changed.length >= touch) break;
      if (wanted.includes(statusOf.get(f) ?? "")) changed.push(f);
    }
  }
  if (changed.length < touch)
    throw new Error(`only ${changed.length} non-final incidents in ${dir}, ${touch} wanted`);
  const byStatus: Record<string, number> = {};
  for (const f of changed) {
    const path = join(dir, f);
    writeFileSync(path, appendNote(readFileSync(path, "utf8"), f));
    const s = statusOf.get(f) as string;
    byStatus[s] = (byStatus[s] ?? 0) + 1;
  }
  git(dir, ["commit", "-q", "--no-verify", "-a", "-m", `notes on ${touch} incidents`]);
  git(dir, ["repack", "-a", "-d", "-q"]);
  return {
    dir,
    stats,
    tracked: tracked.length,
    gitBytes: duSync(join(dir, ".git")),
    changed,
    byStatus,
    ms: performance.now() - started,
  };
}
