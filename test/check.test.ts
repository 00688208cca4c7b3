// `incident check` end to end, in real temporary git repositories: a base commit and a pull-request
// commit, through the CLI (exit codes, git objects, revisions, the base branch moving on, records
// written by the authoring commands). The rules scenario by scenario run in memory in
// test/judge-scenarios.test.ts; more git scenarios are in test/check-*.test.ts.

import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli as incident, repoRoot, runCli } from "./helpers/cli.js";
import { codes, expectCode, newIncident, note, pos, statusChange } from "./helpers/records.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/**
 * A git repository made from test/fixtures/repo: `setup` shapes the files of the base commit on
 * `main`, then the `pr` branch is checked out for the scenario's pull-request commits.
 */
function repo(setup?: (dir: string) => void): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), "incident-check-"));
  dirs.push(dir);
  cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
  setup?.(dir);
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
  diagnostics: Array<{ code: string; file: string; line: number; column: number; message: string }>;
}

async function check(
  dir: string,
  base = "main",
  head = "pr",
): Promise<{ status: number | null; report: Report }> {
  const r = await incident(["check", "--base", base, "--head", head, "-C", dir, "--format", "json"]);
  return { status: r.status, report: JSON.parse(r.stdout) as Report };
}

const INC1 = "incidents/2026/INC-2026-0001.yaml";
const INC2 = "incidents/2026/INC-2026-0002.yaml";
const INC3 = "incidents/2026/INC-2026-0003.yaml";
const PRB1 = "incidents/problems/PRB-2026-0001.yaml";

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
function write(dir: string, file: string, text: string): void {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
}
function edit(dir: string, file: string, change: (text: string) => string): void {
  const before = read(dir, file);
  const after = change(before);
  if (after === before) throw new Error(`the edit of ${file} changed nothing`);
  write(dir, file, after);
}
/** Appends YAML lines to the end of a record (its timeline is the last block in these files). */
const append = (dir: string, file: string, yaml: string) => edit(dir, file, (t) => `${t.trimEnd()}\n${yaml}`);

function commit(git: (...args: string[]) => string, message = "pr"): void {
  git("add", "-A");
  git("commit", "-qm", message);
}

/** Runs an authoring command of the built CLI in `dir`; it must succeed. */
async function cli(dir: string, ...args: string[]): Promise<string> {
  const r = await incident([...args, "-C", dir]);
  expect(r.status, `incident ${args.join(" ")}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/**
 * INC-2026-0002 resolved on 2026-04-15 (it is in_progress in the fixture), with the given severity:
 * the base of the reopen and approval scenarios.
 */
function resolveInc2(dir: string, severity = "SEV2", resolvedAt = "2026-04-15T10:00:00Z"): void {
  edit(dir, INC2, (t) =>
    t
      .replace("status: in_progress", "status: resolved")
      .replace("severity: SEV3", `severity: ${severity}`)
      .replace(
        "  acknowledged_at: 2026-04-14T08:40:00Z\n",
        `  acknowledged_at: 2026-04-14T08:40:00Z\n  mitigated_at: ${resolvedAt}\n  resolved_at: ${resolvedAt}\n`,
      )
      .replace("detection:\n", "resolution:\n  code: fixed\n  summary: Blocked the network.\ndetection:\n"),
  );
  append(dir, INC2, statusChange(resolvedAt, "in_progress", "resolved", "Network blocked."));
}

describe("incident check", () => {
  it("passes a pull request that changes nothing", async () => {
    const { dir } = repo();
    const { status, report } = await check(dir);
    expect(status).toBe(0);
    expect(report.diagnostics).toEqual([]);
  });

  it("refuses a status change without status_change entries, and one that skips states", async () => {
    const { dir, git } = repo();
    const path = join(dir, INC3);
    writeFileSync(path, readFileSync(path, "utf8").replace(/^status: new$/m, "status: resolved"));
    git("commit", "-qam", "jump");
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    expectCode(report, "STATUS_UNRECORDED", INC3);
    const text = readFileSync(path, "utf8");
    writeFileSync(
      path,
      `${text.trimEnd()}\n  - at: 2026-11-20T10:00:00Z\n    type: status_change\n    from: new\n    to: resolved\n    text: Done.\n`,
    );
    git("commit", "-qam", "jump with entry");
    expectCode((await check(dir)).report, "TRANSITION_SKIPPED", INC3);
  });

  it("fails closed with exit 2 on a revision it cannot resolve, and refuses option-like revisions", async () => {
    const { dir } = repo();
    const r = await check(dir, "does-not-exist");
    expect(r.status).toBe(2);
    expectCode(r.report, "BASE_UNRESOLVED");
    const bad = await incident(["check", "--base", "--output=x", "--head", "pr", "-C", dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("not a plain branch");
  });
});

describe("incident check: a proper pull request", () => {
  it("passes an incident triaged with the CLI and a log entry on another (exit 0, no findings)", async () => {
    const { dir, git } = repo();
    await cli(
      dir,
      "set",
      "INC-2026-0003",
      "summary=Image latency is ten times the usual.",
      "severity=SEV3",
      "impact=medium",
      "urgency=medium",
      "priority=P3",
      "categories+=ops.performance",
      "services+=web-storefront",
      "roles.incident_commander=jlee",
    );
    await cli(
      dir,
      "status",
      "INC-2026-0003",
      "triaged",
      "--by",
      "jlee",
      "--at",
      "2026-05-02T08:00:00Z",
      "--note",
      "SEV3.",
    );
    await cli(
      dir,
      "log",
      "INC-2026-0002",
      "Sessions revoked.",
      "--by",
      "mei.tanaka",
      "--at",
      "2026-04-14T09:00:00Z",
    );
    commit(git, "triage");
    const { status, report } = await check(dir);
    expect(report.diagnostics).toEqual([]);
    expect(status).toBe(0);
  });

  it("passes a new incident declared with `incident new`", async () => {
    const { dir, git } = repo();
    const out = JSON.parse(
      await cli(
        dir,
        "new",
        "--title",
        "Search returns no results",
        "--detected-at",
        "2026-06-01T10:00:00Z",
        "--by",
        "jlee",
        "--json",
      ),
    ) as { id: string; path: string };
    expect(existsSync(join(dir, out.path))).toBe(true);
    commit(git, "declare");
    const { status, report } = await check(dir);
    expect(report.diagnostics).toEqual([]);
    expect(status).toBe(0);
  });

  it("judges the committed head, never the working tree", async () => {
    const { dir, git } = repo();
    append(dir, INC2, note("2026-04-14T09:00:00Z", "Sessions revoked."));
    commit(git);
    // Break the committed file and add an invalid untracked record, without committing either.
    write(dir, INC2, "status: [broken\n");
    write(dir, "incidents/2026/INC-2026-0009.yaml", "id: nope\nstatus: nowhere\n");
    const { status, report } = await check(dir);
    expect(report.diagnostics).toEqual([]);
    expect(status).toBe(0);
  });
});

describe("incident check: what a pull request may not touch", () => {
  // Bug: the frozen rule compares the head with the merge base, not with the base commit. A pull
  // request branched before INC-2026-0002 was canceled on main can still edit it, and the edit merges
  // cleanly (git merge-tree), so a canceled incident changes after all.
  it("INCIDENT_FROZEN: an incident canceled on the base branch after the pull request branched off", async () => {
    const { dir, git } = repo();
    edit(dir, INC2, (t) => t.replace("title: Suspicious logins", "title: Suspicious sign-ins"));
    commit(git, "retitle");
    git("checkout", "-q", "main");
    edit(dir, INC2, (t) =>
      t
        .replace("status: in_progress", "status: canceled")
        .replace("determination: suspected", "determination: false_positive")
        .replace(
          "  acknowledged_at: 2026-04-14T08:40:00Z\n",
          "  acknowledged_at: 2026-04-14T08:40:00Z\n  canceled_at: 2026-04-14T10:00:00Z\n",
        )
        .replace("detection:\n", "resolution:\n  code: no_action\n  summary: A pen test.\ndetection:\n"),
    );
    append(
      dir,
      INC2,
      statusChange("2026-04-14T10:00:00Z", "in_progress", "canceled", "A scheduled pen test."),
    );
    commit(git, "cancel on main");
    git("checkout", "-q", "pr");
    // The two branches merge without a conflict: the merged tree has a canceled, retitled incident.
    git("merge-tree", "--write-tree", "main", "pr");
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    expectCode(report, "INCIDENT_FROZEN", INC2);
  });

  it("INCIDENT_DELETED: git rm of an incident and of a problem record", async () => {
    const { dir, git } = repo();
    git("rm", "-q", INC3, PRB1);
    commit(git);
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    expectCode(report, "INCIDENT_DELETED", INC3, 1, 1);
    expectCode(report, "INCIDENT_DELETED", PRB1, 1, 1);
  });

  it("INCIDENT_RENAMED: git mv of a record to another year folder", async () => {
    const { dir, git } = repo();
    const moved = "incidents/2025/INC-2026-0003.yaml";
    mkdirSync(join(dir, "incidents/2025"));
    git("mv", INC3, moved);
    commit(git);
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    const d = expectCode(report, "INCIDENT_RENAMED", moved, 1, 1);
    expect(d.message).toContain(INC3);
    expect(report.diagnostics.filter((x) => x.file === INC3)).toEqual([]);
  });

  it("ID_COLLISION: an id in the base tree (also one added on main later), and two new files with one id", async () => {
    const { dir, git } = repo();
    // main moves on: INC-2026-0006 is declared there after the pull request branched off.
    git("checkout", "-q", "main");
    write(dir, "incidents/2026/INC-2026-0006.yaml", newIncident("INC-2026-0006", "Search is slow"));
    commit(git, "declared on main");
    git("checkout", "-q", "pr");
    const same = "incidents/2026/INC-2026-0002.yml";
    const twinA = "incidents/2026/INC-2026-0005.yaml";
    const twinB = "incidents/2026/INC-2026-0005.yml";
    const late = "incidents/2026/INC-2026-0006.yaml";
    write(dir, same, newIncident("INC-2026-0002", "Logins again"));
    write(dir, twinA, newIncident("INC-2026-0005", "Search is down"));
    write(dir, twinB, newIncident("INC-2026-0005", "Search is down too"));
    write(dir, late, newIncident("INC-2026-0006", "Search errors"));
    commit(git);
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    expect(expectCode(report, "ID_COLLISION", same, 1, 1).message).toContain(INC2);
    expectCode(report, "ID_COLLISION", twinA, 1, 1);
    expectCode(report, "ID_COLLISION", twinB, 1, 1);
    expectCode(report, "ID_COLLISION", late, 1, 1);
  });

  it("UNSAFE_PATH: symlinks (to /etc/passwd, to a FIFO, over a record, as a folder) and a submodule, never read", async () => {
    const { dir, git } = repo();
    const fifoDir = mkdtempSync(join(tmpdir(), "incident-fifo-"));
    dirs.push(fifoDir);
    const fifo = join(fifoDir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const passwd = "incidents/2026/INC-2026-0005.yaml";
    const pipe = "incidents/2026/INC-2026-0006.yaml";
    const folder = "incidents/2027";
    const sub = "incidents/2026/sub";
    symlinkSync("/etc/passwd", join(dir, passwd));
    symlinkSync(fifo, join(dir, pipe));
    symlinkSync("/etc", join(dir, folder));
    rmSync(join(dir, INC3));
    symlinkSync("/etc/passwd", join(dir, INC3));
    git("add", "-A");
    const sha = git("rev-parse", "main").trim();
    git("update-index", "--add", "--cacheinfo", `160000,${sha},${sub}`);
    git("commit", "-qm", "links");
    // In a child process: a read of the FIFO would block, and a time limit must be able to end it.
    const r = runCli(["check", "--base", "main", "--head", "pr", "-C", dir, "--format", "json"], {
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    for (const file of [passwd, pipe, folder, INC3, sub]) {
      expectCode(report, "UNSAFE_PATH", file, 1, 1);
      expect(codes(report, file)).toEqual(["UNSAFE_PATH"]);
    }
    expect(expectCode(report, "UNSAFE_PATH", sub).message).toContain("submodule");
    expect(r.stdout).not.toContain("root:");
  });
});

describe("incident check: validation and references", () => {
  it("APPROVAL_MISSING: closing a SEV2 incident properly, without GitHub context to read reviews", async () => {
    const { dir, git } = repo((d) => resolveInc2(d, "SEV2"));
    await cli(
      dir,
      "set",
      "INC-2026-0002",
      "impact_assessment.summary=Twelve accounts taken over.",
      "root_cause=Passwords leaked elsewhere.",
      "contributing_factors+=No rate limit on logins.",
      "lessons.went_well+=The SIEM rule fired fast.",
    );
    await cli(
      dir,
      "action",
      "add",
      "INC-2026-0002",
      "--title",
      "Rate-limit logins",
      "--owner",
      "lucas.moreau",
      "--due",
      "2026-12-31",
      "--class",
      "prevent",
    );
    await cli(dir, "close", "INC-2026-0002", "--at", "2026-04-20T10:00:00Z");
    commit(git, "close");
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    const at = pos(read(dir, INC2), "    to: closed", "closed", -1);
    const d = expectCode(report, "APPROVAL_MISSING", INC2, at.line, at.column);
    expect(d.message).toContain("incident_manager");
    expect(d.message).toContain("@farah.haddad");
    expect(codes(report)).toEqual(["APPROVAL_MISSING"]);
  });
});

describe("incident check: rules come from the base commit", () => {
  it("a PR that adds `new -> resolved` to incident.config.yaml and uses it is still refused", async () => {
    const { dir, git } = repo();
    const edges = [
      ["new", "triaged"],
      ["new", "in_progress"],
      ["new", "resolved"],
      ["new", "canceled"],
      ["triaged", "in_progress"],
      ["in_progress", "resolved"],
      ["resolved", "closed"],
    ];
    append(
      dir,
      "incident.config.yaml",
      `\nlifecycle:\n  transitions:\n${edges.map(([f, t]) => `    - from: ${f}\n      to: ${t}\n`).join("")}`,
    );
    commit(git, "allow new -> resolved");
    git("branch", "rules");
    await cli(
      dir,
      "set",
      "INC-2026-0003",
      "summary=Image latency is ten times the usual.",
      "severity=SEV4",
      "impact=low",
      "urgency=low",
      "priority=P5",
      "categories+=ops.performance",
      "roles.incident_commander=jlee",
      "determination=confirmed",
      "resolution.code=fixed",
      "resolution.summary=Purged the CDN.",
    );
    // The CLI reads the working tree's (the pull request's) config, so it allows the edge.
    await cli(dir, "resolve", "INC-2026-0003", "--by", "jlee", "--at", "2026-05-02T09:00:00Z");
    commit(git, "use it");
    expect(read(dir, INC3)).toMatch(/from: new\n\s+to: resolved/);
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    const at = pos(read(dir, INC3), "    to: resolved", "resolved", -1);
    const hit = report.diagnostics.find(
      (d) =>
        (d.code === "TRANSITION_SKIPPED" || d.code === "TRANSITION_FORBIDDEN") &&
        d.file === INC3 &&
        d.line === at.line &&
        d.column === at.column,
    );
    expect(hit, JSON.stringify(report.diagnostics, null, 1)).toBeDefined();
    // Changing the rules is itself a protected change that needs a maintainer's approval.
    expectCode(report, "PROTECTED_CHANGE", "incident.config.yaml", 1, 1);
    // Judged from the commit that has the new rule, the same change passes: the base decides.
    const later = await check(dir, "rules", "pr");
    expect(later.report.diagnostics).toEqual([]);
    expect(later.status).toBe(0);
  });

  it("a PR that loosens schemas/ (and the config) and uses the looser values is still refused", async () => {
    const { dir, git } = repo((d) =>
      cpSync(join(repoRoot, "schemas"), join(d, "schemas"), { recursive: true }),
    );
    edit(dir, "schemas/incident.schema.json", (t) => {
      const schema = JSON.parse(t.replaceAll("^SEV[0-9]$", "^SEV[0-9]+$"));
      schema.properties.tlp.enum.push("purple");
      return JSON.stringify(schema, null, 2);
    });
    edit(dir, "schemas/config.schema.json", (t) => t.replaceAll("^SEV[0-9]$", "^SEV[0-9]+$"));
    edit(dir, "incident.config.yaml", (t) =>
      t.replace(
        "teams:\n",
        "severities:\n  - id: SEV9\n    name: Nine\n    description: Loosened.\n    major: false\n  - id: SEV10\n    name: Ten\n    description: Loosened.\n    major: false\nteams:\n",
      ),
    );
    commit(git, "loosen");
    git("branch", "rules");
    edit(dir, INC2, (t) =>
      t.replace("severity: SEV3", "severity: SEV10").replace("tlp: amber", "tlp: purple"),
    );
    edit(dir, INC3, (t) => t.replace("status: new", "status: new\nseverity: SEV9"));
    commit(git, "use it");
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    const sev = pos(read(dir, INC2), "severity:", "SEV10");
    expectCode(report, "SCHEMA_PATTERN", INC2, sev.line, sev.column);
    const tlp = pos(read(dir, INC2), "tlp:", "purple");
    expectCode(report, "SCHEMA_ENUM", INC2, tlp.line, tlp.column);
    const sev9 = pos(read(dir, INC3), "severity:", "SEV9");
    expectCode(report, "UNKNOWN_SEVERITY", INC3, sev9.line, sev9.column);
    expectCode(report, "PROTECTED_CHANGE", "incident.config.yaml");
    expectCode(report, "PROTECTED_CHANGE", "schemas/incident.schema.json");
    // A repository's schema files are never rules (the bundled schemas plus the config are): judged
    // from the commit with the looser files, the change is still refused, since that commit's config
    // breaks the bundled config schema (new severities without their required fields).
    const later = await check(dir, "rules", "pr");
    expect(later.status).not.toBe(0);
    expect(later.report.diagnostics.map((d) => d.file)).toContain("incident.config.yaml");
  });
});

describe("incident check: revisions", () => {
  it("BASE_UNRESOLVED: a shallow clone without the base, a base SHA not fetched, a missing ref (exit 2)", async () => {
    const { dir, git } = repo();
    append(dir, INC2, note("2026-04-14T09:00:00Z", "Sessions revoked."));
    commit(git);
    const mainSha = git("rev-parse", "main").trim();
    const clone = mkdtempSync(join(tmpdir(), "incident-shallow-"));
    dirs.push(clone);
    execFileSync("git", ["clone", "-q", "--depth", "1", "--branch", "pr", `file://${dir}`, clone]);

    for (const base of ["main", "origin/main", mainSha]) {
      const r = await incident(["check", "--base", base, "--head", "HEAD", "-C", clone, "--format", "json"]);
      expect(r.status, `${base}: ${r.stderr}`).toBe(2);
      const report = JSON.parse(r.stdout) as Report;
      expectCode(report, "BASE_UNRESOLVED");
      expect(r.stderr).toContain("fetch-depth: 0");
    }
    // Both tips fetched, but no history to find their merge base in.
    const both = mkdtempSync(join(tmpdir(), "incident-shallow-"));
    dirs.push(both);
    execFileSync("git", ["clone", "-q", "--depth", "1", "--no-single-branch", `file://${dir}`, both]);
    const noHistory = await incident([
      "check",
      "--base",
      "origin/main",
      "--head",
      "origin/pr",
      "-C",
      both,
      "--format",
      "json",
    ]);
    expect(noHistory.status, noHistory.stderr).toBe(2);
    expect(noHistory.stderr).toContain("merge base");
    const report = JSON.parse(noHistory.stdout) as Report;
    expectCode(report, "BASE_UNRESOLVED");

    const missingHead = await check(dir, "main", "no-such-branch");
    expect(missingHead.status).toBe(2);
    expectCode(missingHead.report, "BASE_UNRESOLVED");
    const missingBase = await incident(["check", "--base", "no-such-branch", "--head", "pr", "-C", dir]);
    expect(missingBase.status).toBe(2);
    expect(missingBase.stderr).toContain("no-such-branch");
  });

  it("refuses `--output=x`, `-x` and ranges with `..` with exit 2 before git runs, writing nothing", async () => {
    const { dir } = repo();
    // A `git` first on PATH that logs each call, then runs the real one (in child processes, which
    // find git on their own PATH).
    const bin = mkdtempSync(join(tmpdir(), "incident-fakegit-"));
    dirs.push(bin);
    const log = join(bin, "calls.log");
    const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
    writeFileSync(join(bin, "git"), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
    chmodSync(join(bin, "git"), 0o755);
    const env = { PATH: `${bin}:${process.env.PATH}` };
    // The wrapper works: a normal check goes through it.
    expect(runCli(["check", "--base", "main", "--head", "pr", "-C", dir], { env }).status).toBe(0);
    expect(existsSync(log)).toBe(true);
    rmSync(log);

    const cases: string[][] = [
      ["--base=--output=x", "--head", "pr"],
      ["--base", "main", "--head=--output=x"],
      ["--base=-x", "--head", "pr"],
      ["--base", "main..pr", "--head", "pr"],
      ["--base", "main", "--head", "main...pr"],
      ["--base", "../main", "--head", "pr"],
    ];
    for (const args of cases) {
      const r = runCli(["check", ...args, "-C", dir, "--format", "json"], { cwd: dir, env });
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain("not a plain branch");
      // A bad base stops everything; with a bad head, only the (valid) base was resolved.
      const calls = existsSync(log) ? readFileSync(log, "utf8") : "";
      if (args[0] === "--base" && args[1] === "main") {
        expect(calls.trim().split("\n")).toEqual([
          "rev-parse --verify --quiet --end-of-options main^{commit}",
        ]);
      } else {
        expect(calls, `git ran for ${args.join(" ")}`).toBe("");
      }
      rmSync(log, { force: true });
    }
    expect(existsSync(join(dir, "x"))).toBe(false);
    expect(existsSync(join(repoRoot, "x"))).toBe(false);
  });
});

describe("incident check: findings of the security review", () => {
  it("UNSAFE_PATH: a record folder spelled with other letter case is refused, not ignored", async () => {
    const { dir, git } = repo();
    write(dir, "Incidents/2026/INC-2026-0001.yaml", read(dir, INC1).replace(/^title: .*$/m, "title: Forged"));
    commit(git);
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    expectCode(report, "UNSAFE_PATH", "Incidents/2026/INC-2026-0001.yaml");
  });
});

describe("incident check: one truth", () => {
  it("PROTECTED_CHANGE: a PR that only makes every record check out with CRLF", async () => {
    const { dir, git } = repo();
    write(dir, ".gitattributes", "incidents/**/*.yaml text eol=crlf\n");
    commit(git);
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    expectCode(report, "PROTECTED_CHANGE", ".gitattributes", 1, 1);
  });

  it("INCIDENT_FROZEN: chmod +x of a closed record, every byte the same", async () => {
    const { dir, git } = repo();
    chmodSync(join(dir, INC1), 0o755);
    git("update-index", "--chmod=+x", INC1);
    commit(git);
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    expectCode(report, "INCIDENT_FROZEN", INC1);
  });

  it("REF_ASYMMETRIC: problem_refs to a problem that does not list the incident", async () => {
    const { dir, git } = repo();
    edit(dir, INC2, (t) => t.replace("tlp: amber\n", "tlp: amber\nproblem_refs: [PRB-2026-0001]\n"));
    commit(git);
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    const at = pos(read(dir, INC2), "problem_refs:", "PRB-2026-0001");
    expectCode(report, "REF_ASYMMETRIC", INC2, at.line, at.column);
    // validate on the merged branch agrees: the check caught what would have broken main.
    const v = await incident(["validate", "-C", dir, "--format", "json", "--no-cache"]);
    expect(v.stdout).toContain("REF_ASYMMETRIC");
  });

  it("FILE_TOO_LARGE: a blob over the limit is measured, never read", async () => {
    const { dir, git } = repo();
    edit(dir, INC3, (t) => `${t}x-padding: "${"a".repeat(1_200_000)}"\n`);
    commit(git);
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    expectCode(report, "FILE_TOO_LARGE", INC3, 1, 1);
  });

  it("a quote that two readers end in different places: check and every report read one record", async () => {
    const { dir, git } = repo();
    // `yaml` closes the first quote at its line end; js-yaml would read on to the `"` in the comment
    // and swallow `status: in_progress`.
    edit(dir, INC2, (t) => t.replace("status: in_progress\n", 'x-a: "ab\\"\nstatus: in_progress\nx-k: #"\n'));
    commit(git);
    const { status, report } = await check(dir);
    expect(status).toBe(1);
    expectCode(report, "YAML_SYNTAX", INC2);
    // validate (fast path where the screen admits), validate --full-parse and list read it alike:
    // the same finding, and no report reads a record the check refused.
    const fast = await incident(["validate", "-C", dir, "--format", "json", "--no-cache"]);
    const full = await incident(["validate", "-C", dir, "--format", "json", "--no-cache", "--full-parse"]);
    expect(fast.status).toBe(1);
    expect(JSON.parse(fast.stdout).diagnostics).toEqual(JSON.parse(full.stdout).diagnostics);
    const list = await incident(["list", "-C", dir, "--format", "json"]);
    expect(list.stdout).not.toContain('"INC-2026-0002"');
  });
});

describe("incident check: notification duties", () => {
  const block = (applies: string) =>
    `regulatory:\n  obligations:\n    - regime: eu-gdpr\n      applies: ${applies}\n      reason: Customer emails exposed.\n  triggers:\n    personal_data_breach_aware:\n      at: 2026-04-14T09:00:00Z\n      by: lucas.moreau\n      evidence: SIEM ticket\n`;
  const setup = (applies: string) => (d: string) => {
    append(d, "incident.config.yaml", "regulatory:\n  enabled: [eu-gdpr]\n");
    edit(d, INC2, (t) => t.replace("tlp: amber\n", `tlp: amber\n${block(applies)}`));
  };

  it("REGULATORY_REWRITTEN, REGULATORY_UNDETERMINED and REGULATORY_REPORT_MISSING from the base config's regimes", async () => {
    const rewritten = repo(setup('"yes"'));
    edit(rewritten.dir, INC2, (t) =>
      t
        .replace("at: 2026-04-14T09:00:00Z\n    by:", "at: 2026-04-16T09:00:00Z\n    by:")
        .replace(
          "      at: 2026-04-14T09:00:00Z\n      by: lucas",
          "      at: 2026-04-16T09:00:00Z\n      by: lucas",
        ),
    );
    commit(rewritten.git);
    expectCode((await check(rewritten.dir)).report, "REGULATORY_REWRITTEN", INC2);

    const open = repo(setup("undetermined"));
    append(open.dir, INC2, note("2026-04-20T09:00:00Z", "Still assessing."));
    commit(open.git);
    expectCode((await check(open.dir)).report, "REGULATORY_UNDETERMINED", INC2);

    const closing = repo((d) => {
      setup('"yes"')(d);
      resolveInc2(d, "SEV3");
    });
    edit(closing.dir, INC2, (t) =>
      t
        .replace("status: resolved", "status: closed")
        .replace(
          "  resolved_at: 2026-04-15T10:00:00Z\n",
          "  resolved_at: 2026-04-15T10:00:00Z\n  closed_at: 2026-04-20T10:00:00Z\n",
        ),
    );
    append(closing.dir, INC2, statusChange("2026-04-20T10:00:00Z", "resolved", "closed", "Closed."));
    commit(closing.git);
    expectCode((await check(closing.dir)).report, "REGULATORY_REPORT_MISSING", INC2);
  });
});
