// Use case: judge a pull request's changes to incident and problem files. Everything is read from
// git objects (never the working tree), and config, schemas and lifecycle come from the base commit,
// so a pull request cannot loosen the rules it is judged by.

import { basename } from "node:path";
import type { Config } from "../config/types.js";
import type { Diagnostic, Finding } from "../diagnostics/diagnostic.js";
import { compareDiagnostics, makeDiagnostic } from "../diagnostics/diagnostic.js";
import { UserError } from "../diagnostics/errors.js";
import { GitRepo } from "../io/git.js";
import { approvalsNeeded, checkChange, type Move } from "../lifecycle/compare.js";
import { locateFinding, validateRecordBytes } from "../validate/file.js";
import type { RecordKind } from "../validate/semantic.js";
import { checkBytes, parseYamlDocument } from "../yaml/parse.js";
import { CONFIG_FILE, configAtCommit, findRoot } from "./validateRepo.js";

/** Who approved the pull request, as the forge reports it (GitHub logins, latest valid review each). */
export interface ApprovalSource {
  approvers(): Promise<Set<string>>;
}

export interface CheckOptions {
  dir: string;
  base: string;
  head: string;
  /** When the check runs (the reopen window is judged at this time or later). */
  now?: Date;
  /** Reads approvals; given the base config's review policy. Without it approvals are missing. */
  approvals?: (countStale: boolean) => ApprovalSource;
}

export interface TouchedRecord {
  file: string;
  id?: string;
  title?: string;
  severity?: string;
  from?: string;
  to?: string;
  findings: number;
}

export interface CheckReport {
  root: string;
  base: string;
  head: string;
  files: number;
  diagnostics: Diagnostic[];
  touched: TouchedRecord[];
}

/** The check could not run (a revision did not resolve, the base config is broken): exit 2. */
export class CheckAbort extends UserError {
  constructor(
    message: string,
    readonly diagnostic: Diagnostic,
  ) {
    super(message);
  }
}

const YAML_FILE = /\.ya?ml$/;
const REGULAR = new Set(["100644", "100755"]);
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

function kindOf(path: string, config: Config): RecordKind {
  const problems = config.paths.problems.replace(/\/+$/, "");
  return path.startsWith(`${problems}/`) ? "problem" : "incident";
}

function isUnder(path: string, dir: string): boolean {
  return path.startsWith(`${dir.replace(/\/+$/, "")}/`);
}

const idOf = (path: string) => basename(path).replace(YAML_FILE, "");

export async function checkPullRequest(opts: CheckOptions): Promise<CheckReport> {
  const root = findRoot(opts.dir);
  const git = new GitRepo(root);
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
  const recordDirs = [config.paths.incidents, config.paths.problems];

  // Case-insensitive pathspecs: `Incidents/...` would land on the real record on a case-insensitive
  // checkout, so such paths are found and refused rather than ignored.
  const changedAnyCase = await git.changedFiles(
    mergeBase,
    head,
    recordDirs.map((d) => `:(icase)${d}`),
  );
  const changed = changedAnyCase.filter((c) => recordDirs.some((d) => isUnder(c.path, d)));
  const diagnostics: Diagnostic[] = [];
  const at1 = (code: Diagnostic["code"], message: string, file: string) =>
    diagnostics.push(makeDiagnostic(code, message, file, { line: 1, column: 1 }));

  // Ids in the base branch and in the head tree (file name == id).
  const baseIds = new Map<string, string>();
  const headIds = new Set<string>();
  for (const dir of new Set(recordDirs)) {
    for (const e of await git.listTree(base, dir))
      if (YAML_FILE.test(e.path)) baseIds.set(idOf(e.path), e.path);
    for (const e of await git.listTree(head, dir)) if (YAML_FILE.test(e.path)) headIds.add(idOf(e.path));
  }

  for (const c of changedAnyCase) {
    if (!changed.includes(c)) {
      diagnostics.push(
        makeDiagnostic(
          "UNSAFE_PATH",
          `${c.path} differs from the record folders only in letter case`,
          c.path,
          { line: 1, column: 1 },
        ),
      );
    }
  }
  const records = changed.filter(
    (c) => YAML_FILE.test(c.path) || !REGULAR.has(c.newMode) || c.status === "T",
  );
  const specs: string[] = [];
  for (const c of records) {
    if (c.status !== "D") specs.push(`${head}:${c.path}`);
    if (c.status !== "A") specs.push(`${mergeBase}:${c.path}`);
    // The base branch may have moved on since the merge base (closing the record, for example).
    if (c.status !== "A" && base !== mergeBase) specs.push(`${base}:${c.path}`);
  }
  const blobs = await git.readBlobs(specs);

  const added = records.filter((c) => c.status === "A");
  const deleted = records.filter((c) => c.status === "D");
  const addedIds = new Map<string, string[]>();
  for (const c of added) addedIds.set(idOf(c.path), [...(addedIds.get(idOf(c.path)) ?? []), c.path]);
  const renamedIds = new Set(deleted.map((c) => idOf(c.path)).filter((id) => addedIds.has(id)));

  const touched: TouchedRecord[] = [];
  let approvalSource: ApprovalSource | undefined;
  for (const c of records) {
    const kind = kindOf(c.path, config);
    if (c.status === "D") {
      if (!renamedIds.has(idOf(c.path))) {
        at1(
          "INCIDENT_DELETED",
          `${c.path} is deleted; records are never deleted (cancel it, or mark it a duplicate)`,
          c.path,
        );
      }
      continue;
    }
    if (c.newMode === "120000" || c.newMode === "160000" || !REGULAR.has(c.newMode)) {
      const what =
        c.newMode === "120000"
          ? "a symbolic link"
          : c.newMode === "160000"
            ? "a submodule"
            : `mode ${c.newMode}`;
      at1("UNSAFE_PATH", `${c.path} is ${what}; records must be regular files`, c.path);
      continue;
    }
    if (!YAML_FILE.test(c.path)) continue;
    const bytes = blobs.get(`${head}:${c.path}`);
    if (!bytes) {
      at1("UNSAFE_PATH", `${c.path} could not be read as a file from ${opts.head}`, c.path);
      continue;
    }
    const fileDiags: Diagnostic[] = [];
    const id = idOf(c.path);
    if (c.status === "A") {
      const dupes = addedIds.get(id) ?? [];
      if (renamedIds.has(id)) {
        const from = deleted.find((d) => idOf(d.path) === id)?.path;
        fileDiags.push(
          makeDiagnostic("INCIDENT_RENAMED", `${id} moved from ${from}; records keep their path`, c.path, {
            line: 1,
            column: 1,
          }),
        );
      } else if (baseIds.has(id)) {
        fileDiags.push(
          makeDiagnostic(
            "ID_COLLISION",
            `${id} already exists in the base branch as ${baseIds.get(id)}`,
            c.path,
            { line: 1, column: 1 },
          ),
        );
      } else if (dupes.length > 1) {
        const others = dupes.filter((p) => p !== c.path).join(", ");
        fileDiags.push(
          makeDiagnostic("ID_COLLISION", `${id} is also added as ${others}`, c.path, { line: 1, column: 1 }),
        );
      }
    }
    // The position-aware parser for every changed file: the value validated is the value compared,
    // and anything the strict parser refuses is a finding (the fast path is only for `validate`).
    const result = validateRecordBytes(c.path, kind, bytes, { config, validators, fullParse: true });
    fileDiags.push(...result.diagnostics);
    const checked = checkBytes(bytes, config.limits.max_file_bytes);
    const parsed = checked.text !== undefined ? parseYamlDocument(checked.text) : undefined;
    const headValue = parsed?.value;
    const baseValue = c.status !== "A" ? parseBlob(blobs.get(`${mergeBase}:${c.path}`)) : undefined;
    if (c.status !== "A" && baseValue === undefined) {
      // Without a readable base version nothing can be compared, so nothing is allowed.
      fileDiags.push(
        makeDiagnostic(
          "BASE_INVALID",
          `the base version of ${c.path} is not valid YAML, so this change cannot be judged; repair it on the base branch first`,
          c.path,
          { line: 1, column: 1 },
        ),
      );
    }
    let moves: Move[] = [];
    if (headValue !== undefined && parsed) {
      const findings: Finding[] = [];
      const lifecycle = kind === "incident" ? config.lifecycle : config.problem_lifecycle;
      // A base version that does not parse cannot be compared; the head is still validated.
      const tipValue =
        c.status !== "A" && base !== mergeBase ? parseBlob(blobs.get(`${base}:${c.path}`)) : undefined;
      const tipStatus = isObj(tipValue) ? tipValue.status : undefined;
      if (typeof tipStatus === "string" && lifecycle.states.some((s) => s.terminal && s.id === tipStatus)) {
        findings.push({
          code: "INCIDENT_FROZEN",
          message: `the record is \`${tipStatus}\` on the base branch now, which is final; this pull request can no longer change it`,
          pointer: "/status",
        });
      } else if (c.status === "A" || baseValue !== undefined) {
        // (A base that does not parse was reported above.)
        const change = checkChange(c.status === "A" ? undefined : baseValue, headValue, lifecycle, {
          timeline: kind === "incident",
          now: opts.now ?? new Date(),
          bytesChanged: !(blobs.get(`${mergeBase}:${c.path}`)?.equals(bytes) ?? false),
        });
        findings.push(...change.findings);
        moves = change.moves;
      }
      for (const ref of result.facts?.refs ?? []) {
        if (!headIds.has(ref.id))
          findings.push({
            code: "REF_UNRESOLVED",
            message: `${ref.kind} \`${ref.id}\` does not exist`,
            pointer: ref.pointer,
          });
      }
      // The highest claim wins: lowering the severity in the pull request, or a base branch that
      // raised it since, does not dodge an approval.
      const severities = [
        isObj(headValue) ? headValue.severity : undefined,
        isObj(baseValue) ? baseValue.severity : undefined,
        isObj(tipValue) ? tipValue.severity : undefined,
      ];
      const needed = approvalsNeeded(moves, lifecycle, severities);
      if (needed.length > 0) {
        approvalSource ??= opts.approvals?.(config.reviews.count_stale_approvals);
        findings.push(...(await checkApprovals(needed, config, approvalSource)));
      }
      for (const f of findings) fileDiags.push(locateFinding(f, c.path, parsed));
    }
    diagnostics.push(...fileDiags);
    const h = isObj(headValue) ? headValue : {};
    const b = isObj(baseValue) ? baseValue : {};
    touched.push({
      file: c.path,
      id: typeof h.id === "string" ? h.id : id,
      title: typeof h.title === "string" ? h.title : undefined,
      severity: typeof h.severity === "string" ? h.severity : undefined,
      from: typeof b.status === "string" ? b.status : undefined,
      to: typeof h.status === "string" ? h.status : undefined,
      findings: fileDiags.length,
    });
  }
  diagnostics.sort(compareDiagnostics);
  return { root, base, head, files: records.length, diagnostics, touched };
}

async function checkApprovals(
  needed: Array<Move & { role: string }>,
  config: Config,
  source: ApprovalSource | undefined,
): Promise<Finding[]> {
  const approvers = source ? await source.approvers() : undefined;
  const out: Finding[] = [];
  for (const n of needed) {
    const holders = config.people.filter((p) => p.roles?.includes(n.role as never));
    const logins = new Set(holders.map((p) => (p.github ?? p.handle).toLowerCase()));
    const ok = approvers ? [...approvers].some((a) => logins.has(a.toLowerCase())) : false;
    if (ok) continue;
    const who =
      holders.length > 0
        ? holders.map((p) => `@${p.github ?? p.handle}`).join(", ")
        : `someone with the ${n.role} role`;
    out.push({
      code: "APPROVAL_MISSING",
      message: approvers
        ? `\`${n.from}\` -> \`${n.to}\` needs an approving review from an ${n.role} (${who})`
        : `\`${n.from}\` -> \`${n.to}\` needs an approving review from an ${n.role} (${who}); reviews can only be read with GitHub context (a token and the pull request number)`,
      pointer: n.index !== undefined ? `/timeline/${n.index}/to` : "/status",
    });
  }
  return out;
}

/** A blob's parsed value, or undefined when it is missing or not plain YAML. */
function parseBlob(bytes: Buffer | undefined): unknown {
  const text = bytes ? checkBytes(bytes, Number.POSITIVE_INFINITY).text : undefined;
  return text !== undefined ? parseYamlDocument(text).value : undefined;
}
