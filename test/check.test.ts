// `incident check` scenarios in real temporary git repositories: a base commit and a pull-request
// commit, one scenario per code. Extended in test/check-*.test.ts.

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./helpers/cli.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo(): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), "incident-check-"));
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
  return { dir, git };
}

interface Report {
  ok: boolean;
  diagnostics: Array<{ code: string; file: string; line: number; column: number }>;
}

function check(dir: string, base = "main", head = "pr"): { status: number | null; report: Report } {
  const r = runCli(["check", "--base", base, "--head", head, "-C", dir, "--format", "json"]);
  return { status: r.status, report: JSON.parse(r.stdout) as Report };
}

function expectCode(report: Report, code: string, file?: string, line?: number): void {
  const hit = report.diagnostics.find(
    (d) =>
      d.code === code && (file === undefined || d.file === file) && (line === undefined || d.line === line),
  );
  expect(hit, `${code} in ${JSON.stringify(report.diagnostics, null, 1)}`).toBeDefined();
}

const INC3 = "incidents/2026/INC-2026-0003.yaml";

describe("incident check", () => {
  it("passes a pull request that changes nothing", () => {
    const { dir } = repo();
    const { status, report } = check(dir);
    expect(status).toBe(0);
    expect(report.diagnostics).toEqual([]);
  });

  it("refuses a status change without status_change entries, and one that skips states", () => {
    const { dir, git } = repo();
    const path = join(dir, INC3);
    writeFileSync(path, readFileSync(path, "utf8").replace(/^status: new$/m, "status: resolved"));
    git("commit", "-qam", "jump");
    const { status, report } = check(dir);
    expect(status).toBe(1);
    expectCode(report, "STATUS_UNRECORDED", INC3);
    const text = readFileSync(path, "utf8");
    writeFileSync(
      path,
      `${text.trimEnd()}\n  - at: 2026-11-20T10:00:00Z\n    type: status_change\n    from: new\n    to: resolved\n    text: Done.\n`,
    );
    git("commit", "-qam", "jump with entry");
    expectCode(check(dir).report, "TRANSITION_SKIPPED", INC3);
  });

  it("fails closed with exit 2 on a revision it cannot resolve, and refuses option-like revisions", () => {
    const { dir } = repo();
    const r = check(dir, "does-not-exist");
    expect(r.status).toBe(2);
    expectCode(r.report, "BASE_UNRESOLVED");
    const bad = runCli(["check", "--base", "--output=x", "--head", "pr", "-C", dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("not a plain branch");
  });
});
