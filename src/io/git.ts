// Git as a source of data: revisions resolved to commits, the files a pull request changes, trees and
// blobs read from the object store (never from the working tree). Revisions are checked before they
// reach git, and `--end-of-options` keeps any that slip through from being read as options.

import { spawn } from "node:child_process";
import { type SimpleGit, simpleGit } from "simple-git";
import { UsageError } from "../diagnostics/errors.js";

/** git cannot give what the command needs (a revision, a tree): the command cannot run, exit 2. */
export class GitError extends UsageError {}

/** A revision refused before it reaches git: not a plain branch, tag or commit id. */
export class RevisionRefused extends GitError {}

const HEX_ID = /^(?:[0-9a-fA-F]{4,40}|[0-9a-fA-F]{64})$/;
// Controls (C0, DEL, C1), line separators and bidi controls: never in a name a person typed on purpose.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * Why `rev` is not accepted as a revision, or undefined when it is. Accepted: a full or abbreviated
 * commit id (4 to 40 hex digits, or 64), `HEAD`, or a branch or tag name (`main`, `v1.2`,
 * `refs/heads/x`) by git's check-ref-format rules, one-level names allowed. Everything else git could
 * read as more than a name is refused: ranges and navigation (`..`, `^`, `~`, `@{`, `:`), globs
 * (`?`, `*`, `[`), `\`, blanks and controls, a leading `-` (an option), and names git itself refuses
 * (`.lock` components, a leading or trailing `/` or `.`, `//`, `@`).
 */
export function revisionProblem(rev: string): string | undefined {
  if (rev === "") return "it is empty";
  if (rev.length > 255) return "it is longer than 255 characters";
  if (HEX_ID.test(rev) || rev === "HEAD") return undefined;
  if (rev.startsWith("-")) return "it starts with `-` and would be read as an option";
  if (CONTROL.test(rev) || /\s/.test(rev)) return "it contains a blank or a control character";
  if (rev.includes("..")) return "it contains `..` (a range)";
  if (rev.includes("@{")) return "it contains `@{` (a reflog or upstream selector)";
  const bad = /[~^:?*[\\]/.exec(rev);
  if (bad) return `it contains \`${bad[0]}\`, which git reads as revision syntax, not as part of a name`;
  if (rev === "@") return "it is `@`, git's other name for HEAD";
  if (rev.startsWith("/") || rev.endsWith("/") || rev.includes("//"))
    return "it has an empty path component (a leading, trailing or doubled `/`)";
  if (rev.endsWith(".")) return "it ends with `.`";
  for (const part of rev.split("/")) {
    if (part.startsWith(".")) return "it has a path component that starts with `.`";
    if (part.endsWith(".lock")) return "it has a path component that ends with `.lock`";
  }
  return undefined;
}

/** Throws RevisionRefused (a usage error, exit 2) unless `revisionProblem` accepts `rev`. */
export function checkRevision(rev: string): void {
  const problem = revisionProblem(rev);
  if (problem !== undefined) {
    throw new RevisionRefused(
      `\`${JSON.stringify(rev).slice(1, -1).slice(0, 80)}\` is not a plain branch, tag or commit id: ${problem}`,
    );
  }
}

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * Methods below take commits that `resolve` returned: full object ids, which can never be read as an
 * option or as revision syntax. Anything else is a programming error, refused before git runs.
 */
function objectId(commit: string): string {
  if (!OBJECT_ID.test(commit))
    throw new GitError(`internal: expected a resolved commit id, got ${JSON.stringify(commit).slice(0, 90)}`);
  return commit;
}

export interface ChangedFile {
  status: "A" | "M" | "D" | "T";
  path: string;
  oldMode: string;
  newMode: string;
}

export class GitRepo {
  private readonly git: SimpleGit;

  constructor(readonly dir: string) {
    this.git = simpleGit({ baseDir: dir, maxConcurrentProcesses: 4, trimmed: false });
  }

  /** The commit id of `rev`, or undefined when git cannot resolve it (missing, shallow clone). */
  async resolve(rev: string): Promise<string | undefined> {
    checkRevision(rev);
    try {
      const out = await this.git.raw([
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        `${rev}^{commit}`,
      ]);
      const sha = out.trim();
      return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha) ? sha : undefined;
    } catch {
      return undefined;
    }
  }

  /** When `commit` (a resolved commit id) was committed. */
  async commitTime(commit: string): Promise<Date> {
    const out = await this.git.raw(["show", "-s", "--format=%ct", objectId(commit), "--"]);
    return new Date(Number(out.trim()) * 1000);
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    try {
      return (await this.git.raw(["merge-base", objectId(a), objectId(b)])).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** Files changed between two commits under the given paths, renames reported as delete + add. */
  async changedFiles(from: string, to: string, paths: readonly string[]): Promise<ChangedFile[]> {
    const out = await this.git.raw([
      "diff",
      "--raw",
      "-z",
      "--no-renames",
      "--no-ext-diff",
      objectId(from),
      objectId(to),
      "--",
      ...paths,
    ]);
    const parts = out.split("\0");
    const files: ChangedFile[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const meta = parts[i] as string;
      const m = /^:(\d{6}) (\d{6}) [0-9a-f]+ [0-9a-f]+ ([AMDT])/.exec(meta);
      if (!m) continue;
      files.push({
        oldMode: m[1] as string,
        newMode: m[2] as string,
        status: m[3] as ChangedFile["status"],
        path: parts[i + 1] as string,
      });
    }
    return files;
  }

  /** Every path in the tree of `commit` under `prefix`, with its mode. */
  async listTree(commit: string, prefix: string): Promise<Array<{ path: string; mode: string }>> {
    const out = await this.git.raw(["ls-tree", "-r", "-z", "--full-tree", objectId(commit), "--", prefix]);
    return out
      .split("\0")
      .filter((l) => l !== "")
      .map((l) => {
        const tab = l.indexOf("\t");
        return { mode: l.slice(0, 6), path: l.slice(tab + 1) };
      });
  }

  /**
   * The type and size of many `commit:path` objects with one `git cat-file --batch-check` process,
   * without reading their content: a hostile blob is measured before it is read.
   */
  objectSizes(specs: readonly string[]): Promise<Map<string, { type: string; size: number } | undefined>> {
    return new Promise((resolvePromise, reject) => {
      const result = new Map<string, { type: string; size: number } | undefined>();
      if (specs.length === 0) return resolvePromise(result);
      const child = spawn("git", ["cat-file", "--batch-check"], {
        cwd: this.dir,
        stdio: ["pipe", "pipe", "pipe"],
      });
      const chunks: Buffer[] = [];
      child.stdout.on("data", (c: Buffer) => chunks.push(c));
      child.on("error", reject);
      child.on("close", (code) => {
        if (code !== 0) return reject(new GitError(`git cat-file failed (exit ${code})`));
        const lines = Buffer.concat(chunks).toString("utf8").split("\n");
        specs.forEach((spec, i) => {
          const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(lines[i] ?? "");
          result.set(spec, m ? { type: m[1] as string, size: Number(m[2]) } : undefined);
        });
        resolvePromise(result);
      });
      child.stdin.end(specs.map((s) => (s.includes("\n") ? "invalid\n" : `${s}\n`)).join(""));
    });
  }

  /**
   * Reads many `commit:path` blobs with one `git cat-file --batch` process. Missing objects and
   * anything that is not a blob come back as undefined.
   */
  readBlobs(specs: readonly string[]): Promise<Map<string, Buffer | undefined>> {
    return new Promise((resolvePromise, reject) => {
      const result = new Map<string, Buffer | undefined>();
      if (specs.length === 0) return resolvePromise(result);
      const child = spawn("git", ["cat-file", "--batch"], { cwd: this.dir, stdio: ["pipe", "pipe", "pipe"] });
      const chunks: Buffer[] = [];
      child.stdout.on("data", (c: Buffer) => chunks.push(c));
      child.on("error", reject);
      child.on("close", (code) => {
        if (code !== 0) return reject(new GitError(`git cat-file failed (exit ${code})`));
        const buf = Buffer.concat(chunks);
        let pos = 0;
        for (const spec of specs) {
          const nl = buf.indexOf(10, pos);
          const header = buf.subarray(pos, nl).toString("utf8");
          pos = nl + 1;
          const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
          if (!m) {
            result.set(spec, undefined);
            continue;
          }
          const size = Number(m[2]);
          result.set(spec, m[1] === "blob" ? Buffer.from(buf.subarray(pos, pos + size)) : undefined);
          pos += size + 1;
        }
        resolvePromise(result);
      });
      // Object names with a newline cannot be asked for in batch mode.
      child.stdin.end(specs.map((s) => (s.includes("\n") ? "invalid\n" : `${s}\n`)).join(""));
    });
  }
}
