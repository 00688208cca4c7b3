// `stats --at` and `list --at`: a commit's own schema files are never rules (a catastrophic pattern
// there does not hang either command), and reading a commit has a time limit (INCIDENT_AT_TIMEOUT_MS).

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, repoRoot, runCli, scratchRepo } from "./helpers/cli.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const cacheDir = mkdtempSync(join(tmpdir(), "incident-at-cache-"));
dirs.push(cacheDir);
const env = { INCIDENT_CACHE_DIR: cacheDir };

/** A scratch repository committed as one commit, after `prepare` has changed its files. */
function committedRepo(prepare: (dir: string) => void = () => {}): string {
  const dir = scratchRepo();
  dirs.push(dir);
  prepare(dir);
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.com",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.com",
      },
    });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "records");
  return dir;
}

// 40 a's and a `!`: ^(a+)+$ backtracks through 2^40 ways to split them before failing.
const BACKTRACKING_TITLE = `${"a".repeat(40)}!`;

describe("--at and a commit's schema files", () => {
  const dir = committedRepo((d) => {
    mkdirSync(join(d, "schemas"));
    const evil = JSON.parse(readFileSync(join(repoRoot, "schemas/incident.schema.json"), "utf8"));
    evil.properties.title.pattern = "^(a+)+$";
    writeFileSync(join(d, "schemas/incident.schema.json"), JSON.stringify(evil));
    writeFileSync(
      join(d, "incident.config.yaml"),
      `${readFileSync(join(d, "incident.config.yaml"), "utf8")}\npaths:\n  schemas: schemas\n`,
    );
    const file = join(d, "incidents/2026/INC-2026-0001.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^title: .*$/m, `title: ${BACKTRACKING_TITLE}`));
  });

  // In a child process: a regression would hang, and only a process can be ended.
  it.each([["stats"], ["list"]])(
    "%s --at reads the records by the bundled schemas, without hanging",
    (cmd) => {
      const r = runCli([cmd, "--at", "HEAD", "-C", dir, "--format", "json"], { env, timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe("");
      if (cmd === "list") expect(r.stdout).toContain(BACKTRACKING_TITLE);
    },
  );
});

describe("INCIDENT_AT_TIMEOUT_MS", () => {
  const dir = committedRepo();

  // In a child process: the deadline ends the process (git may still be running).
  it.each([["stats"], ["list"]])(
    "%s --at stops with exit 2 and says why when reading takes too long",
    (cmd) => {
      const r = runCli([cmd, "--at", "HEAD", "-C", dir], { env: { ...env, INCIDENT_AT_TIMEOUT_MS: "1" } });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("INCIDENT_AT_TIMEOUT_MS");
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe("");
    },
  );

  it("does not apply without --at, and a bad value is a usage error", async () => {
    const plain = await cli(["list", "-C", dir], { env: { ...env, INCIDENT_AT_TIMEOUT_MS: "1" } });
    expect(plain.status, plain.stderr).toBe(0);
    for (const bad of ["soon", "-5", "0", "1.5"]) {
      const r = await cli(["list", "--at", "HEAD", "-C", dir], {
        env: { ...env, INCIDENT_AT_TIMEOUT_MS: bad },
      });
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toContain("INCIDENT_AT_TIMEOUT_MS");
    }
  });

  it("the default leaves an ordinary read alone", async () => {
    const r = await cli(["stats", "--at", "HEAD", "-C", dir, "--format", "json"], { env });
    expect(r.status, r.stderr).toBe(0);
  });
});
