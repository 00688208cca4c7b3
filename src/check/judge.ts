// The judge of a pull request: a pure function of what the gatherer read from git (the base commit's
// rules, the changed paths, their blobs at the merge base, the base tip and the head, the ids of both
// trees) and the clock. It returns the findings, the records touched, the approvals the changes need
// and the linked records whose head versions the cross-file rules must see. Reviews and linked
// records are read only when this asks for them (see judgeApprovals and judgeLinks).

import { basename } from "node:path/posix";
import type { Config, RoleName } from "../config/types.js";
import type { Diagnostic, Finding } from "../diagnostics/diagnostic.js";
import { compareDiagnostics, makeDiagnostic } from "../diagnostics/diagnostic.js";
import { approvalApplies, approvalsNeeded, checkChange, type Move } from "../lifecycle/compare.js";
import { lifecycleForMode, modeOf } from "../lifecycle/modes.js";
import { checkRegulatoryChange } from "../regulatory/enforce.js";
import type { RuleSet } from "../regulatory/types.js";
import type { Validators } from "../schema/load.js";
import { type FileContext, locateFinding, validateRecord } from "../validate/file.js";
import { checkRecordPath } from "../validate/placement.js";
import { readRecord } from "../validate/read.js";
import { checkRepository, type FileFacts } from "../validate/repository.js";
import type { RecordFacts, RecordKind } from "../validate/semantic.js";
import type { ParsedYaml } from "../yaml/parse.js";

/**
 * Who approved the pull request, as the forge reports it (GitHub logins, latest valid review each):
 * the port the gatherer reads approvals through when the judge asks for them.
 */
export interface ApprovalSource {
  approvers(): Promise<Set<string>>;
}

/** A blob as the gatherer found it: its bytes, or only its size when it is over the limit. */
export type Blob = { bytes: Uint8Array } | { size: number };

export interface PathChange {
  status: "A" | "M" | "D" | "T";
  path: string;
  oldMode: string;
  newMode: string;
}

export interface RecordChange extends PathChange {
  /** The file at the head, the merge base and the base branch's tip (when it moved on). */
  head?: Blob;
  mergeBase?: Blob;
  tip?: Blob;
}

export interface JudgeInput {
  /** The base commit's effective config and validators. */
  config: Config;
  validators: Validators;
  /**
   * Every changed path of the pull request. Blobs are given for the record files (YAML files under
   * the record folders); `recordCandidate` says which paths the gatherer read.
   */
  changes: readonly RecordChange[];
  /** Record ids (file names) in the base tree and in the head tree, with their paths. */
  baseIds: ReadonlyMap<string, string>;
  headIds: ReadonlyMap<string, string>;
  /** Whether the base branch moved on since the merge base (then `tip` versions are given). */
  baseMoved: boolean;
  now: Date;
  /** Stops judging further files after this instant (each is then an INTERNAL_ERROR). */
  deadline?: number;
  /** The regulatory rule set of the base config (bundled rules merged with the config's). */
  regulatory?: RuleSet;
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

/** An approval a change needs, with the place its finding points at when it is missing. */
export interface NeededApproval {
  file: string;
  role: RoleName;
  /**
   * What needs it: a move `from -> to`, a protected path, or a severity change that drops an
   * approval a later move would need (lowering a SEV2 in one pull request, canceling it in the next).
   */
  what: { move: Move } | { path: string } | { severity: { from: string; to: string } };
  line: number;
  column: number;
  pointer: string;
}

/** A touched record's links, to be checked against the head versions of the records it names. */
export interface LinkCheck {
  file: string;
  facts: RecordFacts;
  parsed?: ParsedYaml;
}

export interface Judgement {
  diagnostics: Diagnostic[];
  touched: TouchedRecord[];
  approvals: NeededApproval[];
  links: LinkCheck[];
  /** Ids whose head versions judgeLinks needs: every record a touched record links to or linked to. */
  linkedIds: string[];
}

const YAML_FILE = /\.ya?ml$/i;
const REGULAR = new Set(["100644", "100755"]);
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const idOf = (path: string) => basename(path).replace(YAML_FILE, "");
const at1 = { line: 1, column: 1 };

function isUnder(path: string, dir: string): boolean {
  return path.startsWith(`${dir.replace(/\/+$/, "")}/`);
}

/**
 * Whether a path is inside a record folder; `anyCase`: also when it differs only in letter case,
 * since `Incidents/...` lands on the real record on a case-insensitive checkout.
 */
export function isRecordPath(path: string, config: Config, anyCase = false): boolean {
  const p = anyCase ? path.toLowerCase() : path;
  return [config.paths.incidents, config.paths.problems].some((d) =>
    isUnder(p, anyCase ? d.toLowerCase() : d),
  );
}

/** Whether the gatherer must read this changed path's blobs for the judge. */
export function needsBlobs(c: PathChange, config: Config): boolean {
  return c.status !== "D" && isRecordPath(c.path, config) && YAML_FILE.test(c.path) && REGULAR.has(c.newMode);
}

export function kindOf(path: string, config: Config): RecordKind {
  return isUnder(path, config.paths.problems) ? "problem" : "incident";
}

/** Judges every changed path. Pure: no IO, no clock but `input.now`. */
export function judgePullRequest(input: JudgeInput): Judgement {
  const { config } = input;
  const recordDirs = [config.paths.incidents, config.paths.problems];
  const out: Judgement = { diagnostics: [], touched: [], approvals: [], links: [], linkedIds: [] };
  const linked = new Set<string>();

  judgeProtected(input, out);

  const anyCase = input.changes.filter((c) => isRecordPath(c.path, config, true));
  const exact = anyCase.filter((c) => recordDirs.some((d) => isUnder(c.path, d)));
  const exactSet = new Set(exact);
  for (const c of anyCase) {
    if (!exactSet.has(c)) {
      out.diagnostics.push(
        makeDiagnostic(
          "UNSAFE_PATH",
          `${c.path} differs from the record folders only in letter case`,
          c.path,
          at1,
        ),
      );
    }
  }
  const records = exact.filter(
    (c) =>
      YAML_FILE.test(c.path) ||
      !REGULAR.has(c.newMode) ||
      c.status === "T" ||
      c.path
        .split("/")
        .slice(0, -1)
        .some((seg) => YAML_FILE.test(seg)),
  );
  const added = records.filter((c) => c.status === "A");
  const deleted = records.filter((c) => c.status === "D");
  const addedIds = new Map<string, string[]>();
  for (const c of added) {
    const list = addedIds.get(idOf(c.path));
    if (list) list.push(c.path);
    else addedIds.set(idOf(c.path), [c.path]);
  }
  const renamedIds = new Set(deleted.map((c) => idOf(c.path)).filter((id) => addedIds.has(id)));

  for (const c of records) {
    if (input.deadline !== undefined && Date.now() > input.deadline) {
      out.diagnostics.push(
        makeDiagnostic(
          "INTERNAL_ERROR",
          `${c.path} was not judged: the check ran out of its time budget; nothing unjudged may merge`,
          c.path,
          at1,
        ),
      );
      continue;
    }
    try {
      judgeRecord(input, c, { addedIds, renamedIds, deleted }, out, linked);
    } catch (err) {
      // One file's failure is that file's finding, never the end of the whole check.
      out.diagnostics.push(
        makeDiagnostic(
          "INTERNAL_ERROR",
          `the check failed on this file (${(err as Error).message ?? err}); it is refused until the tool is fixed`,
          c.path,
          at1,
        ),
      );
    }
  }
  out.linkedIds = [...linked].sort();
  out.diagnostics.sort(compareDiagnostics);
  return out;
}

interface Batch {
  addedIds: Map<string, string[]>;
  renamedIds: Set<string>;
  deleted: readonly RecordChange[];
}

function judgeRecord(input: JudgeInput, c: RecordChange, batch: Batch, out: Judgement, linked: Set<string>) {
  const { config, validators } = input;
  const kind = kindOf(c.path, config);
  const fileDiags: Diagnostic[] = [];
  const push = (code: Diagnostic["code"], message: string) =>
    fileDiags.push(makeDiagnostic(code, message, c.path, at1));
  const id = idOf(c.path);
  if (c.status === "D") {
    if (!batch.renamedIds.has(id) && (YAML_FILE.test(c.path) || !REGULAR.has(c.oldMode)))
      push(
        "INCIDENT_DELETED",
        `${c.path} is deleted; records are never deleted (cancel it, or mark it a duplicate)`,
      );
    out.diagnostics.push(...fileDiags);
    return;
  }
  if (!REGULAR.has(c.newMode)) {
    const what =
      c.newMode === "120000"
        ? "a symbolic link"
        : c.newMode === "160000"
          ? "a submodule"
          : `mode ${c.newMode}`;
    push("UNSAFE_PATH", `${c.path} is ${what}; records must be regular files`);
    out.diagnostics.push(...fileDiags);
    return;
  }
  if (!YAML_FILE.test(c.path)) {
    // A folder named like a record (`INC-2026-0009.yaml/notes.md`) is no record, and no place for files.
    if (
      c.path
        .split("/")
        .slice(0, -1)
        .some((seg) => YAML_FILE.test(seg))
    )
      push("RECORD_MISPLACED", `${c.path} is inside a folder named like a record; records are files`);
    out.diagnostics.push(...fileDiags);
    return;
  }
  // Records live at one path each; a file anywhere else is not read by the reports at all.
  const place = checkRecordPath(c.path, config);
  if ("code" in place && place.code === "RECORD_MISPLACED") push("RECORD_MISPLACED", place.message);
  if (c.status === "A") {
    const dupes = batch.addedIds.get(id) ?? [];
    if (batch.renamedIds.has(id)) {
      const from = batch.deleted.find((d) => idOf(d.path) === id)?.path;
      push("INCIDENT_RENAMED", `${id} moved from ${from}; records keep their path`);
    } else if (input.baseIds.has(id)) {
      push(
        "ID_COLLISION",
        `${id} already exists in the base branch as ${input.baseIds.get(id)} (declared in parallel, merged first): rebase on the base branch and run \`${kind === "problem" ? "incident problem new" : "incident new"}\` again with the same details (it takes the next free id), or move this file to the next free id and change its \`id\` to match`,
      );
    } else if (dupes.length > 1) {
      push(
        "ID_COLLISION",
        `${id} is also added as ${dupes.filter((p) => p !== c.path).join(", ")}: keep one record under this id and move each other one to a free id, changing its \`id\` to match`,
      );
    }
  }
  const ctx: FileContext = { config, validators, mode: "both" };
  const maxBytes = config.limits.max_file_bytes;
  const head = c.head;
  if (!head) {
    push("UNSAFE_PATH", `${c.path} could not be read as a file from the head commit`);
    out.diagnostics.push(...fileDiags);
    return;
  }
  if (!("bytes" in head)) {
    push(
      "FILE_TOO_LARGE",
      `file is ${head.size} bytes, over the limit of ${maxBytes} (limits.max_file_bytes); it was not read`,
    );
    out.diagnostics.push(...fileDiags);
    out.touched.push({ file: c.path, id, findings: fileDiags.length });
    return;
  }
  // Every changed file is read by both parsers: the value judged here is the value every report reads.
  const read = readRecord(head.bytes, { maxBytes, mode: "both" });
  const result = validateRecord(c.path, kind, read, ctx);
  fileDiags.push(...result.diagnostics);
  const headValue = read.value;
  const parsed = read.parsed;
  const baseValue = c.status !== "A" ? readBase(c.mergeBase, maxBytes) : undefined;
  if (c.status !== "A" && baseValue === undefined) {
    // Without a readable base version nothing can be compared, so nothing is allowed.
    push(
      "BASE_INVALID",
      `the base version of ${c.path} is not valid YAML, so this change cannot be judged; repair it on the base branch first`,
    );
  }
  const tipValue = c.status !== "A" && input.baseMoved ? readBase(c.tip, maxBytes) : undefined;
  if (headValue !== undefined && parsed) {
    const findings: Finding[] = [];
    // An incident is judged by its mode's rules: the mode it has on the base branch (a change of
    // mode is refused, MODE_IMMUTABLE), the head's for a new record.
    const lifecycle =
      kind === "incident"
        ? lifecycleForMode(config.lifecycle, modeOf(baseValue ?? headValue))
        : lifecycleForMode(config.problem_lifecycle, "standard");
    const tipStatus = isObj(tipValue) ? tipValue.status : undefined;
    if (typeof tipStatus === "string" && lifecycle.states.some((s) => s.terminal && s.id === tipStatus)) {
      findings.push({
        code: "INCIDENT_FROZEN",
        message: `the record is \`${tipStatus}\` on the base branch now, which is final; this pull request can no longer change it`,
        pointer: "/status",
      });
    }
    let moves: Move[] = [];
    if (c.status === "A" || baseValue !== undefined) {
      const baseBytes = c.mergeBase && "bytes" in c.mergeBase ? c.mergeBase.bytes : undefined;
      const change = checkChange(c.status === "A" ? undefined : baseValue, headValue, lifecycle, {
        timeline: kind === "incident",
        statusChanges: lifecycle.statusChanges,
        now: input.now,
        // A mode change (chmod +x) is a change of the file as much as a changed byte.
        bytesChanged: !(baseBytes && equalBytes(baseBytes, head.bytes)) || c.oldMode !== c.newMode,
      });
      // Notification duties: triggers and filings are append-only, closing needs every report due,
      // and an obligation cannot stay undetermined for long.
      if (kind === "incident" && input.regulatory) {
        const before = c.status === "A" ? undefined : baseValue;
        for (const f of checkRegulatoryChange(before, headValue, input.regulatory, config, input.now))
          findings.push(f);
      }
      // A record that is already final on the base branch is reported once (above), not twice.
      for (const f of change.findings)
        if (!(f.code === "INCIDENT_FROZEN" && findings.some((g) => g.code === "INCIDENT_FROZEN")))
          findings.push(f);
      moves = change.moves;
    }
    for (const ref of result.facts?.refs ?? []) {
      if (!input.headIds.has(ref.id))
        findings.push({
          code: "REF_UNRESOLVED",
          message: `${ref.kind} \`${ref.id}\` does not exist`,
          pointer: ref.pointer,
        });
    }
    // The highest claim wins: lowering the severity in the pull request, or a base branch that
    // raised it since, does not dodge an approval.
    const severities = [headValue, baseValue, tipValue].map((v) => (isObj(v) ? v.severity : undefined));
    for (const n of approvalsNeeded(moves, lifecycle, severities, input.config.severities)) {
      const pointer = n.index !== undefined ? `/timeline/${n.index}/to` : "/status";
      const d = locateFinding({ code: "APPROVAL_MISSING", message: "", pointer }, c.path, parsed);
      out.approvals.push({
        file: c.path,
        role: n.role as RoleName,
        what: { move: { from: n.from, to: n.to, index: n.index } },
        line: d.line,
        column: d.column,
        pointer,
      });
    }
    for (const role of approvalsDropped(lifecycle, input.config.severities, baseValue, tipValue, headValue)) {
      const d = locateFinding(
        { code: "APPROVAL_MISSING", message: "", pointer: "/severity" },
        c.path,
        parsed,
      );
      out.approvals.push({
        file: c.path,
        role: role.role,
        what: { severity: { from: role.from, to: role.to } },
        line: d.line,
        column: d.column,
        pointer: "/severity",
      });
    }
    for (const f of findings) fileDiags.push(locateFinding(f, c.path, parsed));
    if (result.facts) {
      out.links.push({ file: c.path, facts: result.facts, parsed });
      // Links at the head and the links the base had: removing one side of a pair breaks it too.
      for (const r of result.facts.refs) linked.add(r.id);
      for (const v of [baseValue, tipValue]) for (const r of refIds(v)) linked.add(r);
    }
  }
  out.diagnostics.push(...fileDiags);
  const h = isObj(headValue) ? headValue : {};
  const b = isObj(baseValue) ? baseValue : {};
  out.touched.push({
    file: c.path,
    id: typeof h.id === "string" ? h.id : id,
    title: typeof h.title === "string" ? h.title : undefined,
    severity: typeof h.severity === "string" ? h.severity : undefined,
    from: typeof b.status === "string" ? b.status : undefined,
    to: typeof h.status === "string" ? h.status : undefined,
    findings: fileDiags.length,
  });
}

/**
 * The approvals a severity change takes away: an approval that applies to the severity the base has
 * and not to the one the head has (SEV2 -> SEV3 drops the sign-off for closing or canceling), so the
 * change itself needs it. Otherwise a pull request lowers the severity and the next one closes.
 */
function approvalsDropped(
  lifecycle: Config["lifecycle"],
  defs: Config["severities"],
  ...[base, tip, head]: unknown[]
): Array<{ role: RoleName; from: string; to: string }> {
  const sevOf = (v: unknown) => (isObj(v) && typeof v.severity === "string" ? v.severity : undefined);
  const to = sevOf(head);
  const out = new Map<RoleName, { role: RoleName; from: string; to: string }>();
  for (const from of [sevOf(base), sevOf(tip)]) {
    if (from === undefined || from === to) continue;
    for (const t of lifecycle.transitions) {
      const a = t.approval;
      if (!a) continue;
      const applies = (sev: string | undefined) => approvalApplies(a, sev, defs);
      if (applies(from) && !applies(to)) out.set(a.role, { role: a.role, from, to: to ?? "(none)" });
    }
  }
  return [...out.values()];
}

/** The ids a record value links to (problem_refs, incident_refs, related). */
function refIds(v: unknown): string[] {
  if (!isObj(v)) return [];
  const out: string[] = [];
  const add = (x: unknown) => {
    if (typeof x === "string") out.push(x);
  };
  for (const key of ["problem_refs", "incident_refs"])
    if (Array.isArray(v[key])) (v[key] as unknown[]).forEach(add);
  if (isObj(v.related)) {
    add(v.related.duplicate_of);
    add(v.related.parent);
    if (Array.isArray(v.related.related)) v.related.related.forEach(add);
  }
  return out;
}

function readBase(blob: Blob | undefined, maxBytes: number): unknown {
  // The base branch was checked when it merged; a size over today's limit still refuses the change.
  if (!blob || !("bytes" in blob)) return undefined;
  return readRecord(blob.bytes, { maxBytes, mode: "full" }).value;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Paths that change how every record is read or judged: a pull request that touches one needs a
 * maintainer's approval, because its effect shows only after the merge (`.gitattributes` can turn
 * every record into CRLF; the config, schemas and templates are the rules and the outputs).
 */
export function protectedReason(path: string, config: Config): string | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  const lower = path.toLowerCase();
  const dir = (d: string) => lower.startsWith(`${d.replace(/\/+$/, "").toLowerCase()}/`);
  if (name === ".gitattributes") return "git attributes change how every file is checked out";
  if (lower === ".gitmodules") return "submodules change what the repository contains";
  if (lower === "incident.config.yaml") return "the config holds the rules every record is judged by";
  if (dir(".github")) return "workflows and actions run the check and publish the reports";
  if (dir(".incident")) return "the generated schemas are what editors and reports validate against";
  if (dir(config.paths.schemas) || dir("schemas"))
    return "the schemas are the rules every record is judged by";
  if (dir(config.paths.templates)) return "the templates render every postmortem and page";
  if (name === "codeowners" && (lower === "codeowners" || dir("docs") || dir(".github")))
    return "CODEOWNERS decides who must review";
  return undefined;
}

function judgeProtected(input: JudgeInput, out: Judgement): void {
  const role = input.config.reviews.protected_changes.role;
  for (const c of input.changes) {
    if (protectedReason(c.path, input.config) === undefined) continue;
    out.approvals.push({ file: c.path, role, what: { path: c.path }, line: 1, column: 1, pointer: "" });
  }
}

/**
 * The approvals that are missing, given who approved (undefined: reviews could not be read). Pure:
 * `approvers` are GitHub logins, latest valid review each.
 */
export function judgeApprovals(
  needed: readonly NeededApproval[],
  config: Config,
  approvers: ReadonlySet<string> | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lowered = approvers ? new Set([...approvers].map((a) => a.toLowerCase())) : undefined;
  for (const n of needed) {
    const holders = config.people.filter((p) => p.roles?.includes(n.role));
    const logins = holders.map((p) => (p.github ?? p.handle).toLowerCase());
    if (lowered && logins.some((l) => lowered.has(l))) continue;
    const who =
      holders.length > 0
        ? holders.map((p) => `@${p.github ?? p.handle}`).join(", ")
        : `someone with the ${n.role} role`;
    const noReviews = lowered
      ? ""
      : "; reviews can only be read with GitHub context (a token and the pull request number)";
    if ("severity" in n.what) {
      out.push(
        makeDiagnostic(
          "APPROVAL_MISSING",
          `changing the severity from \`${n.what.severity.from}\` to \`${n.what.severity.to}\` drops the sign-off that closing or canceling it needs, so the change needs an approving review from an ${n.role} (${who})${noReviews}`,
          n.file,
          { line: n.line, column: n.column, pointer: n.pointer },
        ),
      );
    } else if ("move" in n.what) {
      out.push(
        makeDiagnostic(
          "APPROVAL_MISSING",
          `\`${n.what.move.from}\` -> \`${n.what.move.to}\` needs an approving review from an ${n.role} (${who})${noReviews}`,
          n.file,
          { line: n.line, column: n.column, pointer: n.pointer },
        ),
      );
    } else {
      out.push(
        makeDiagnostic(
          "PROTECTED_CHANGE",
          `${n.what.path} is protected (${protectedReason(n.what.path, config) ?? "it changes how records are judged"}): changing it needs an approving review from a ${n.role} (${who})${noReviews}`,
          n.file,
          { line: 1, column: 1 },
        ),
      );
    }
  }
  return out;
}

/**
 * The cross-file rules (references resolve, incident <-> problem links agree on both sides) over the
 * touched records and the head versions of the records they link to. Findings for touched files only.
 */
export function judgeLinks(
  links: readonly LinkCheck[],
  linkedHeads: ReadonlyMap<string, { file: string; bytes: Uint8Array }>,
  config: Config,
  validators: Validators,
): Diagnostic[] {
  const all = new Map<string, LinkCheck>(links.map((l) => [l.file, l]));
  const touchedIds = new Set(links.map((l) => l.facts.id));
  for (const [id, blob] of linkedHeads) {
    if (all.has(blob.file)) continue;
    const kind = kindOf(blob.file, config);
    const read = readRecord(blob.bytes, { maxBytes: config.limits.max_file_bytes, mode: "full" });
    const result = validateRecord(blob.file, kind, read, { config, validators, mode: "full" });
    all.set(blob.file, {
      file: blob.file,
      facts: result.facts ?? { kind, id, refs: [], unparsed: true },
      parsed: read.parsed,
    });
  }
  const facts: FileFacts[] = [...all.values()].map((l) => ({ file: l.file, facts: l.facts }));
  const out: Diagnostic[] = [];
  for (const { file, finding } of checkRepository(facts)) {
    // Ids and unresolved references are judged per file, against the head tree's ids.
    if (finding.code !== "REF_ASYMMETRIC") continue;
    const link = all.get(file) as LinkCheck;
    // A record the pull request did not touch is reported when its link to a touched record is the
    // one left without its other side (the pull request removed that side).
    const target = link.facts.refs.find((r) => r.pointer === finding.pointer)?.id;
    const touched = links.some((l) => l.file === file);
    if (!touched && !(target !== undefined && touchedIds.has(target))) continue;
    out.push(
      link.parsed
        ? locateFinding(finding, file, link.parsed)
        : makeDiagnostic(finding.code, finding.message, file, at1),
    );
  }
  return out;
}
