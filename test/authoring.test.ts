// The authoring CLI as a user runs it: a full walk through the lifecycle in a temporary git
// repository. Refusals, round trips, two writers at once, `new` and the terminal prompts are in
// test/authoring-*.test.ts.

import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, cliIn, repoRoot } from "./helpers/cli.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A git repository holding the fixture config and records. */
function gitRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "incident-walk-"));
  dirs.push(dir);
  cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
  cpSync(join(repoRoot, "schemas"), join(dir, "schemas"), { recursive: true });
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base");
  return dir;
}

function incident(dir: string, ...args: string[]) {
  return cliIn(dir, args);
}

async function ok(dir: string, ...args: string[]): Promise<string> {
  const r = await incident(dir, ...args);
  expect(r.stderr, `${args.join(" ")}\n${r.stderr}`).toBe("");
  expect(r.status, args.join(" ")).toBe(0);
  return r.stdout;
}

function people(dir: string): { commander: string; manager: string } {
  const config = readFileSync(join(dir, "incident.config.yaml"), "utf8");
  const handles = [...config.matchAll(/handle: ([\w.-]+)/g)].map((m) => m[1] as string);
  return { commander: handles[0] as string, manager: handles[1] as string };
}

describe("authoring walk", () => {
  it("declares an incident and walks it to closed, keeping hand-written comments", async () => {
    const dir = gitRepo();
    const { commander } = people(dir);
    const out = await ok(dir, "new", "--title", "Checkout API returns 5xx after deploy", "--json");
    const { id, path } = JSON.parse(out) as { id: string; path: string };
    expect(id).toMatch(/^INC-\d{4}-\d{4}$/);
    const file = join(dir, path);
    expect(readFileSync(file, "utf8").split("\n")[0]).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/\.\.\/\.incident\/schemas\/incident\.schema\.json$/,
    );
    // A person adds comments by hand.
    writeFileSync(
      file,
      `# Hand-written: bridge in #inc-checkout\n${readFileSync(file, "utf8").replace(/^title: (.*)$/m, "title: $1 # keep this title")}`,
    );
    const survives = () => {
      const t = readFileSync(file, "utf8");
      expect(t).toContain("# Hand-written: bridge in #inc-checkout\n");
      expect(t).toContain(" # keep this title");
    };
    const cat =
      readFileSync(join(dir, "incident.config.yaml"), "utf8").match(/id: (ops\.[a-z_]+|sec\.[a-z_]+)/)?.[1] ??
      "ops.change";

    // Triage refuses until the triage fields exist, naming each with an example command.
    const before = readFileSync(file);
    const refused = await incident(dir, "triage", id);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("severity");
    expect(refused.stderr).toContain(`incident set ${id} severity=`);
    expect(readFileSync(file).equals(before)).toBe(true);

    await ok(
      dir,
      "set",
      id,
      "summary=Checkout fails for card payments",
      "severity=SEV2",
      "impact=high",
      "urgency=medium",
      "priority=P2",
      `categories+=${cat}`,
      `roles.incident_commander=@${commander}`,
    );
    survives();
    await ok(dir, "triage", id, "--note", "SEV2: card payments only");
    await ok(dir, "start", id);
    await ok(dir, "log", id, "Rolled back to the previous release", "--type", "action");
    await ok(dir, "mitigate", id);
    await ok(
      dir,
      "set",
      id,
      "determination=confirmed",
      "resolution.code=rolled_back",
      "resolution.summary=Rolled back the release",
    );
    await ok(dir, "resolve", id);
    await ok(
      dir,
      "set",
      id,
      "impact_assessment.summary=About 4% of card checkouts failed for 40 minutes",
      "root_cause=A renamed config key",
      "contributing_factors+=No canary for config changes",
      "lessons.went_well+=Rollback took four minutes",
    );
    await ok(
      dir,
      "action",
      "add",
      id,
      "--title",
      "Canary for config changes",
      "--owner",
      `@${commander}`,
      "--due",
      "2026-12-31",
      "--class",
      "prevent",
    );
    survives();
    const closed = await incident(dir, "close", id);
    expect(closed.stderr).toBe("");
    expect(closed.status).toBe(0);
    survives();
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^status: closed$/m);
    for (const to of ["triaged", "in_progress", "mitigated", "resolved", "closed"])
      expect(text).toContain(`to: ${to}`);
    const v = await cli(["validate", "-C", dir, "--format", "json", "--no-cache"]);
    expect(JSON.parse(v.stdout).diagnostics).toEqual([]);
    expect(v.status).toBe(0);
    // Closed is final.
    const frozen = readFileSync(file);
    const again = await incident(dir, "set", id, "summary=changed");
    expect(again.status).toBe(1);
    const reopen = await incident(dir, "reopen", id);
    expect(reopen.status).toBe(1);
    expect(reopen.stderr).toContain("final");
    expect(readFileSync(file).equals(frozen)).toBe(true);
  });
});
