// Revisions for `incident check --base/--head` and `--at REV`: only a commit id, HEAD or a plain
// branch or tag name (git's check-ref-format rules) reaches git; revision syntax that would select
// another commit (`pr^{/regex}`, `main@{1.day.ago}`, `HEAD@{0}`, `HEAD~2`, `a..b`) and anything
// that could be an option is refused as a usage error, exit 2.

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkRevision, RevisionRefused, revisionProblem } from "../src/io/git.js";
import { cli, repoRoot } from "./helpers/cli.js";

const ACCEPTED = [
  "HEAD",
  "main",
  "pr",
  "v1.2.3",
  "feature/incident-42",
  "refs/heads/main",
  "refs/tags/v1.0",
  "release-2026.05",
  "a1b2",
  "3f2a9c1",
  "0123456789abcdef0123456789abcdef01234567",
  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  "ABCDEF12",
  "user@host",
  "caf\u00e9",
];

const REFUSED = [
  "",
  "pr^{/regex}",
  "main@{1.day.ago}",
  "HEAD@{0}",
  "@{-1}",
  "@{upstream}",
  "HEAD~2",
  "HEAD^",
  "main^{commit}",
  "a..b",
  "a...b",
  ":/fix",
  "main:incidents/x.yaml",
  "-x",
  "--output=x",
  "--end-of-options",
  "refs/heads/*",
  "ma?n",
  "ma[i]n",
  "a\\b",
  "a b",
  "a\tb",
  "a\nb",
  "a\u007fb",
  "a\u0085b",
  "a\u202eb",
  "@",
  "/main",
  "main/",
  "a//b",
  "main.",
  ".hidden",
  "refs/heads/.x",
  "main.lock",
  "refs/heads/x.lock/y",
  "x".repeat(256),
];

describe("revisionProblem", () => {
  it.each(ACCEPTED)("accepts %j", (rev) => {
    expect(revisionProblem(rev)).toBeUndefined();
    expect(() => checkRevision(rev)).not.toThrow();
  });

  it.each(REFUSED)("refuses %j", (rev) => {
    expect(revisionProblem(rev)).toBeTypeOf("string");
    expect(() => checkRevision(rev)).toThrow(RevisionRefused);
    expect(() => checkRevision(rev)).toThrow(/is not a plain branch, tag or commit id/);
  });

  it("never accepts a name that starts with `-` or holds git revision syntax", async () => {
    // Every printable ASCII character in every position of a short name.
    const syntax = /^-|\.\.|@\{|[~^:?*[\\\s]/;
    for (let c = 0x20; c < 0x7f; c++) {
      const ch = String.fromCharCode(c);
      for (const rev of [`${ch}main`, `ma${ch}in`, `main${ch}`, `${ch}${ch}`]) {
        if (revisionProblem(rev) === undefined) expect(syntax.test(rev), JSON.stringify(rev)).toBe(false);
      }
    }
  });
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** test/fixtures/repo committed on `main`, with a second commit on `pr`. */
function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), "incident-rev-"));
  dirs.push(dir);
  cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
      cwd: dir,
      encoding: "utf8",
    });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "pr");
  git("commit", "-q", "--allow-empty", "-m", "pr");
  return dir;
}

describe("the CLI refuses revision syntax", () => {
  it("check --base/--head: exit 2 with BASE_UNRESOLVED, plain names still work", async () => {
    const dir = repo();
    for (const [base, head] of [
      ["main", "pr^{/regex}"],
      ["main@{1.day.ago}", "pr"],
      ["main", "HEAD@{0}"],
    ] as const) {
      const r = await cli(["check", "--base", base, "--head", head, "-C", dir, "--format", "json"]);
      expect(r.status, `${base} ${head}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain("is not a plain branch, tag or commit id");
      const report = JSON.parse(r.stdout) as { ok: boolean; diagnostics: Array<{ code: string }> };
      expect(report.ok).toBe(false);
      expect(report.diagnostics.map((d) => d.code)).toEqual(["BASE_UNRESOLVED"]);
    }
    const ok = await cli(["check", "--base", "main", "--head", "pr", "-C", dir, "--format", "json"]);
    expect(ok.status, ok.stderr).toBe(0);
  });

  it("stats --at REV: exit 2 for revision syntax, nothing on stdout; a branch name works", async () => {
    const dir = repo();
    for (const rev of ["pr^{/regex}", "main@{1.day.ago}", "HEAD@{0}"]) {
      const r = await cli(["stats", "-C", dir, "--at", rev]);
      expect(r.status, `${rev}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("is not a plain branch, tag or commit id");
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const ok = await cli(["stats", "-C", dir, "--at", "main", "--format", "json"]);
    expect(ok.status, ok.stderr).toBe(0);
  });
});
