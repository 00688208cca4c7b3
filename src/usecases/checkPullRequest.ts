// Use case: gather what the judge of a pull request needs from git, then judge it
// (src/check/judge.ts). Everything is read from git objects (never the working tree), and config,
// schemas and lifecycle come from the base commit, so a pull request cannot loosen the rules it is
// judged by. Blobs are measured before they are read; reviews and linked records are read only when
// the judge asks for them.

import { basename } from "node:path";
import {
  type ApprovalSource,
  type Blob,
  isRecordPath,
  judgeApprovals,
  judgeLinks,
  judgePullRequest,
  needsBlobs,
  type RecordChange,
  type TouchedRecord,
} from "../check/judge.js";
import { CONFIG_FILE, configAtCommit, findRoot } from "../config/load.js";
import type { Config } from "../config/types.js";
import type { Diagnostic, Finding } from "../diagnostics/diagnostic.js";
import { compareDiagnostics, makeDiagnostic } from "../diagnostics/diagnostic.js";
import { UsageError } from "../diagnostics/errors.js";
import { GitRepo } from "../io/git.js";
import { bundledRules, ruleSetSchema } from "../regulatory/bundled.js";
import { mergeRules } from "../regulatory/rules.js";

export type { ApprovalSource, TouchedRecord };

export interface CheckOptions {
  dir: string;
  base: string;
  head: string;
  /** When the check runs (the reopen window is judged at this time or later). */
  now?: Date;
  /** Reads approvals; given the base config's review policy. Without it approvals are missing. */
  approvals?: (countStale: boolean) => ApprovalSource;
  /** The whole check's time budget in milliseconds (default five minutes). */
  timeBudgetMs?: number;
}

export interface CheckReport {
  root: string;
  base: string;
  head: string;
  files: number;
  diagnostics: Diagnostic[];
  touched: TouchedRecord[];
  /** The base commit's config the pull request was judged by. */
  config: Config;
}

/** The check could not run (a revision did not resolve, the base config is broken): exit 2. */
export class CheckAbort extends UsageError {
  constructor(
    message: string,
    readonly diagnostic: Diagnostic,
  ) {
    super(message);
  }
}

const YAML_FILE = /\.ya?ml$/;
const idOf = (path: string) => basename(path).replace(YAML_FILE, "");

/** The whole check's time budget: past it, files not yet judged are refused, never passed. */
const TIME_BUDGET_MS = 5 * 60_000;

export async function checkPullRequest(opts: CheckOptions): Promise<CheckReport> {
  const root = findRoot(opts.dir);
  const git = new GitRepo(root);
  const deadline = Date.now() + (opts.timeBudgetMs ?? TIME_BUDGET_MS);
  const unresolved = (rev: string) =>
    new CheckAbort(
      `cannot resolve \`${rev}\` to a commit; in GitHub Actions check out with \`fetch-depth: 0\` so both the base and the head are present`,
      makeDiagnostic(
        "BASE_UNRESOLVED",
        `cannot resolve \`${rev}\` to a commit (shallow clone? use fetch-depth: 0)`,
        "",
        { line: 1, column: 1 },
      ),
    );
  const base = await git.resolve(opts.base);
  if (!base) throw unresolved(opts.base);
  const head = await git.resolve(opts.head);
  if (!head) throw unresolved(opts.head);
  const mergeBase = await git.mergeBase(base, head);
  if (!mergeBase) throw unresolved(`merge base of ${opts.base} and ${opts.head}`);

  // Rules from the base commit.
  const loaded = await configAtCommit(git, base);
  if (loaded.diagnostics.length > 0) {
    const d = loaded.diagnostics[0] as Diagnostic;
    throw new CheckAbort(
      `the base branch's ${CONFIG_FILE} is invalid (${d.code} at ${d.line}:${d.column}); fix it there first`,
      d,
    );
  }
  const { config, validators } = loaded;
  // The notification rules of the base config: the bundled rule set merged with the config's own.
  const regulatory = mergeRules(bundledRules(), config.regulatory, ruleSetSchema());
  if (regulatory.findings.length > 0) {
    const f = regulatory.findings[0] as Finding;
    throw new CheckAbort(
      `the base branch's ${CONFIG_FILE} has broken regulatory rules (${f.code} at ${f.pointer}); fix it there first`,
      makeDiagnostic(f.code, f.message, CONFIG_FILE, { line: 1, column: 1, pointer: f.pointer }),
    );
  }
  const recordDirs = [...new Set([config.paths.incidents, config.paths.problems])];

  // Every changed path: records are judged, and the files that change how records are read
  // (.gitattributes, the config, schemas, templates, workflows) are protected wherever they are.
  const changed = await git.changedFiles(mergeBase, head, []);

  // Ids in the base branch and in the head tree (file name == id).
  const baseIds = new Map<string, string>();
  const headIds = new Map<string, string>();
  for (const dir of recordDirs) {
    for (const e of await git.listTree(base, dir))
      if (YAML_FILE.test(e.path)) baseIds.set(idOf(e.path), e.path);
    for (const e of await git.listTree(head, dir))
      if (YAML_FILE.test(e.path)) headIds.set(idOf(e.path), e.path);
  }

  const baseMoved = base !== mergeBase;
  const specs: string[] = [];
  for (const c of changed) {
    if (!needsBlobs(c, config)) continue;
    specs.push(`${head}:${c.path}`);
    if (c.status !== "A") specs.push(`${mergeBase}:${c.path}`);
    // The base branch may have moved on since the merge base (closing the record, for example).
    if (c.status !== "A" && baseMoved) specs.push(`${base}:${c.path}`);
  }
  const blobs = await readLimited(git, specs, config.limits.max_file_bytes);
  const changes: RecordChange[] = changed.map((c) => ({
    ...c,
    head: blobs.get(`${head}:${c.path}`),
    mergeBase: blobs.get(`${mergeBase}:${c.path}`),
    tip: baseMoved ? blobs.get(`${base}:${c.path}`) : undefined,
  }));

  const judged = judgePullRequest({
    config,
    validators,
    changes,
    baseIds,
    headIds,
    baseMoved,
    now: opts.now ?? new Date(),
    deadline,
    regulatory: regulatory.rules,
  });
  const diagnostics = [...judged.diagnostics];

  // The records the touched ones link to, as the head has them: both sides of a link must agree.
  const linkedSpecs = judged.linkedIds
    .map((id) => headIds.get(id))
    .filter((p): p is string => p !== undefined)
    .map((p) => `${head}:${p}`);
  const linkedBlobs = await readLimited(git, linkedSpecs, config.limits.max_file_bytes);
  const linkedHeads = new Map<string, { file: string; bytes: Uint8Array }>();
  for (const id of judged.linkedIds) {
    const path = headIds.get(id);
    const blob = path ? linkedBlobs.get(`${head}:${path}`) : undefined;
    if (path && blob && "bytes" in blob) linkedHeads.set(id, { file: path, bytes: blob.bytes });
  }
  for (const d of judgeLinks(judged.links, linkedHeads, config, validators)) diagnostics.push(d);

  // Reviews are read only when a change needs an approval.
  if (judged.approvals.length > 0) {
    const source = opts.approvals?.(config.reviews.count_stale_approvals);
    const approvers = source ? await source.approvers() : undefined;
    for (const d of judgeApprovals(judged.approvals, config, approvers)) diagnostics.push(d);
  }
  diagnostics.sort(compareDiagnostics);
  // Findings per file, counted once: a pull request may touch thousands of files.
  const perFile = new Map<string, number>();
  for (const d of diagnostics) perFile.set(d.file, (perFile.get(d.file) ?? 0) + 1);
  const touched = judged.touched.map((t) => ({ ...t, findings: perFile.get(t.file) ?? 0 }));
  const files = changed.filter((c) => isRecordPath(c.path, config, true)).length;
  return { root, base, head, files, diagnostics, touched, config };
}

/** Blobs measured before they are read: one over the limit comes back as its size only. */
async function readLimited(
  git: GitRepo,
  specs: readonly string[],
  maxBytes: number,
): Promise<Map<string, Blob>> {
  const out = new Map<string, Blob>();
  const sizes = await git.objectSizes(specs);
  const small: string[] = [];
  for (const spec of specs) {
    const info = sizes.get(spec);
    if (info?.type !== "blob") continue;
    if (info.size > maxBytes) out.set(spec, { size: info.size });
    else small.push(spec);
  }
  for (const [spec, bytes] of await git.readBlobs(small)) if (bytes) out.set(spec, { bytes });
  return out;
}
