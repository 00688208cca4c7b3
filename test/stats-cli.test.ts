// `incident stats` and `incident list` as a user runs them (in-process through `run()`): formats,
// exit status for usage errors, invalid records left out with positions, and `--at REV` reading a
// past commit from git.

import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { cli, repoRoot, scratchRepo } from "./helpers/cli.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const scratch = () => {
  const d = scratchRepo();
  dirs.push(d);
  return d;
};
const NOW = ["--now", "2026-11-27T00:00:00Z"];

describe("incident stats", () => {
  it("prints a table, JSON, CSV and Markdown of the same numbers", async () => {
    const dir = scratch();
    const table = await cli(["stats", "-C", dir, ...NOW]);
    expect(table.stderr).toBe("");
    expect(table.status).toBe(0);
    expect(table.stdout).toContain("Time to resolve (TTR)");
    const json = await cli(["stats", "-C", dir, ...NOW, "--format", "json", "--by", "severity"]);
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.counts).toMatchObject({ incidents: 4, counted: 3, dismissed: 1, problems: 1 });
    expect(report.groups.map((g: { key: string }) => g.key)).toEqual(["SEV2", "SEV3", "(none)"]);
    const csv = await cli(["stats", "-C", dir, ...NOW, "--format", "csv"]);
    const rows = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    const ttr = rows.find((r) => r.section === "metric" && r.item === "ttr" && r.field === "median_seconds");
    expect(Number(ttr?.value)).toBe(report.overall.metrics.ttr.median);
    const md = await cli(["stats", "-C", dir, ...NOW, "--format", "md"]);
    expect(md.stdout).toContain("| Metric | n | Median | p90 | Mean | Left out |");
  });

  it("JSON keeps C1 and bidi controls from titles escaped, for the terminal, and stays valid JSON", async () => {
    const dir = scratch();
    const file = join(dir, "incidents/2026/INC-2026-0001.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/^title: .*$/m, 'title: "Spoofed \\x9b31m red \\u202e txt"'),
    );
    const spoofed = "Spoofed \u009b31m red \u202e txt";
    for (const args of [["list"], ["stats", ...NOW, "--by", "severity"]]) {
      const r = await cli([...args, "-C", dir, "--format", "json"]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
      JSON.parse(r.stdout);
    }
    const listed = (await cli(["list", "-C", dir, "--format", "json"])).stdout;
    expect(listed).toContain("Spoofed \\u009b31m red \\u202e txt");
    expect(JSON.stringify(JSON.parse(listed))).toContain(spoofed);
  });

  it("prints what the README shows for the examples", async () => {
    const run = await cli(["stats", "--by", "severity", "--now", "2026-11-27T12:00:00Z"]);
    expect(run.status, run.stderr).toBe(0);
    const readme = readFileSync(join(repoRoot, "docs/stats.md"), "utf8");
    expect(readme).toContain(`\`\`\`text\n${run.stdout}\`\`\``);
  });

  it("documents its options in --help; --now stays out of it", async () => {
    const r = await cli(["stats", "--help"]);
    expect(r.status).toBe(0);
    for (const flag of ["--by", "--since", "--until", "--at", "--include-modes", "--format"])
      expect(r.stdout).toContain(flag);
    expect(r.stdout).not.toContain("--now");
  });

  it("refuses bad flag values with a clear message and exit 2", async () => {
    const dir = scratch();
    const cases: Array<[string[], RegExp]> = [
      [["--since", "yesterday"], /--since: cannot read `yesterday`/],
      [["--until", "2026-02-30"], /--until: 2026-02-30 is not a calendar date/],
      [["--since", "2026-06-01", "--until", "2026-05"], /--since 2026-06-01 is not before --until 2026-05/],
      [["--by", "team"], /argument 'team' is invalid/],
      [["--format", "xml"], /argument 'xml' is invalid/],
      [["--include-modes", "drill"], /not a mode: drill/],
      [["--at", "--help"], /is not a plain branch, tag or commit id/],
      [["--at", "a..b"], /is not a plain branch, tag or commit id/],
      [["--now", "soon"], /--now: cannot read `soon`/],
      [["--bogus"], /unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(["stats", "-C", dir, ...args]);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("leaves invalid records out, names them with positions on stderr, exits 1", async () => {
    const dir = scratch();
    writeFileSync(
      join(dir, "incidents/2026/INC-2026-0009.yaml"),
      "schema_version: 1\nid: INC-2026-0009\ntitle: Broken\nstatus: resolvedd\ntimestamps:\n  detected_at: 2026-01-01T00:00:00Z\n  declared_at: 2026-01-01T00:00:00Z\ntimeline: []\n",
    );
    writeFileSync(join(dir, "incidents/2026/INC-2026-0010.yaml"), "id: [unclosed\n");
    const r = await cli(["stats", "-C", dir, ...NOW, "--format", "json"]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).counts.incidents).toBe(4);
    expect(r.stderr).toMatch(/^incidents\/2026\/INC-2026-0009\.yaml:4:9 SCHEMA_ENUM /m);
    expect(r.stderr).toMatch(/^incidents\/2026\/INC-2026-0010\.yaml:\d+:\d+ YAML_SYNTAX /m);
    expect(r.stderr).toContain("left out 2 invalid record file(s)");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses to compute with a broken config (exit 1, positions)", async () => {
    const dir = scratch();
    writeFileSync(
      join(dir, "incident.config.yaml"),
      "schema_version: 1\nmetrics:\n  definitions:\n    ttr: {start: detected_at, end: fixed_at}\n",
    );
    const r = await cli(["stats", "-C", dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^incident\.config\.yaml:4:\d+ SCHEMA_ENUM /m);
    expect(r.stdout).toBe("");
  });

  it("--at REV reads the records and the config of a past commit from git", async () => {
    const dir = scratch();
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: dir,
        encoding: "utf8",
      });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "first"], {
      cwd: dir,
      env: { ...process.env, GIT_COMMITTER_DATE: "2026-05-01T12:00:00Z" },
    });
    git("tag", "v1");
    // The second commit removes a record and changes the zone; the working tree then drops another.
    rmSync(join(dir, "incidents/2026/INC-2026-0004.yaml"));
    writeFileSync(
      join(dir, "incident.config.yaml"),
      execFileSync("git", ["show", "HEAD:incident.config.yaml"], { cwd: dir, encoding: "utf8" }).replace(
        "timezone: UTC",
        "timezone: Europe/Berlin",
      ),
    );
    git("add", "-A");
    git("commit", "-qm", "second");
    rmSync(join(dir, "incidents/2026/INC-2026-0003.yaml"));

    const at = async (rev: string) => {
      const r = await cli(["stats", "-C", dir, ...NOW, "--format", "json", "--at", rev]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      return JSON.parse(r.stdout);
    };
    expect(await at("v1")).toMatchObject({ timezone: "UTC", counts: { incidents: 4 } });
    // An abbreviated commit id (revision syntax such as HEAD~1 is refused, see test/revisions.test.ts).
    expect(await at(git("rev-parse", "--short", "HEAD~1").trim())).toMatchObject({
      timezone: "UTC",
      counts: { incidents: 4 },
    });
    expect(await at("main")).toMatchObject({ timezone: "Europe/Berlin", counts: { incidents: 3 } });
    // Without --at: the working tree.
    const wt = await cli(["stats", "-C", dir, ...NOW, "--format", "json"]);
    expect(JSON.parse(wt.stdout).counts.incidents).toBe(2);

    // Without --now a past commit is judged at its own time, so its numbers never change.
    const then = await cli(["stats", "-C", dir, "--format", "json", "--at", "v1"]);
    expect(JSON.parse(then.stdout).now).toBe("2026-05-01T12:00:00Z");

    const missing = await cli(["stats", "-C", dir, "--at", "v9"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("cannot resolve `v9` to a commit");
    const list = await cli(["list", "-C", dir, "--at", "v1", "--format", "json"]);
    expect(JSON.parse(list.stdout).incidents).toHaveLength(4);
  });
});

describe("incident list", () => {
  it("lists incidents newest first and problems in their own section", async () => {
    const dir = scratch();
    const r = await cli(["list", "-C", dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Incidents \(4\)\n/);
    expect(r.stdout).toContain("\nProblems (1)\n");
    const json = JSON.parse(
      (await cli(["list", "-C", dir, "--format", "json", "--kind", "incident"])).stdout,
    );
    const dates = json.incidents.map((i: { date: string }) => Date.parse(i.date));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    expect(json.problems).toEqual([]);
    const open = JSON.parse((await cli(["list", "-C", dir, "--format", "json", "--open"])).stdout);
    expect(open.incidents.map((i: { status: string }) => i.status).sort()).toEqual(["in_progress", "new"]);
  });

  it("checks filters against the config ids (exit 2)", async () => {
    const dir = scratch();
    const cases: Array<[string[], RegExp]> = [
      [["--status", "done"], /unknown status `done`; use one of: new, triaged/],
      [["--severity", "SEV0"], /unknown severity `SEV0`; use one of: SEV1/],
      [["--category", "ops.nope"], /unknown category `ops.nope`/],
      [["--service", "mainframe"], /unknown service `mainframe`; use one of: web-storefront/],
      [["--kind", "task"], /argument 'task' is invalid/],
      [["--since", "last week"], /--since: cannot read `last week`/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(["list", "-C", dir, ...args]);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
  });
});
