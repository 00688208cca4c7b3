// Every refusal of the authoring CLI, as a user meets it: exit status 1 (2 for a flag value that cannot
// be read, such as a time), one clear message on stderr
// (no stack trace), and the repository byte-identical afterwards: no file changed, none added
// (no lock or temporary file left behind), none removed.

import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { setFields } from "../src/usecases/editFields.js";
import { cliIn, type RunResult, repoRoot } from "./helpers/cli.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Run = RunResult;
const cli = cliIn;

/** A scratch copy of test/fixtures/repo plus the schemas folder. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "incident-refusal-"));
  dirs.push(dir);
  cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
  cpSync(join(repoRoot, "schemas"), join(dir, "schemas"), { recursive: true });
  return dir;
}

/** Every file of the repository and its bytes (hex), to compare before and after. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: "utf8", withFileTypes: false }).sort()) {
    try {
      out[f] = readFileSync(join(dir, f)).toString("hex");
    } catch {
      out[f] = "<dir>";
    }
  }
  return out;
}

function expectRefusal(r: Run, message: RegExp, status: 1 | 2 = 1): void {
  expect(r.status, `exit status; stderr:\n${r.stderr}`).toBe(status);
  expect(r.stderr).toMatch(/^incident: /);
  expect(r.stderr).toMatch(message);
  expect(r.stderr, "no stack trace").not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.stdout).toBe("");
}

interface Case {
  name: string;
  args: string[];
  message: RegExp;
  /** Exit status: 1 refused (the default), 2 a flag value that cannot be read. */
  status?: 1 | 2;
  /** Damage or prepare the scratch repository before the command. */
  setup?: (dir: string) => void;
}

// Fixture records: INC-2026-0001 closed (SEV2, linked to PRB-2026-0001, action items AI-1 and AI-2),
// INC-2026-0002 in_progress, INC-2026-0003 new (only the fields `new` needs), INC-2026-0004 canceled.
const OPEN = "INC-2026-0002";
const NEW = "INC-2026-0003";
const CLOSED = "INC-2026-0001";
const CANCELED = "INC-2026-0004";
const notAnId = /is not an? incident id \(expected something like INC-2026-0001\)/;
const finalMsg = (id: string, state: string) =>
  new RegExp(`${id} is \`${state}\`, which is final; record a recurrence as a new incident`);

const cases: Case[] = [
  // Ids that must never become paths.
  { name: "id with a path", args: ["set", "INC-2026-0001/../../x", "summary=a"], message: notAnId },
  { name: "id ../etc/passwd", args: ["set", "../etc/passwd", "summary=a"], message: notAnId },
  { name: "id in lower case, short", args: ["set", "inc-2026-1", "summary=a"], message: notAnId },
  {
    name: "id with a newline inside",
    args: ["log", `${OPEN}\nINC-2026-0003`, "x"],
    message: /`INC-2026-0002\\nINC-2026-0003` is not an? incident id/,
  },
  { name: "id with a trailing newline", args: ["set", `${OPEN}\n`, "summary=a"], message: notAnId },
  {
    name: "problem id with a path",
    args: ["link", OPEN, "--problem", "../x"],
    message: /`\.\.\/x` is not an? problem id/,
  },
  { name: "new --id with a path", args: ["new", "--id", "../../x", "--title", "t"], message: notAnId },
  // Unknown records and states.
  {
    name: "unknown incident id",
    args: ["set", "INC-2026-0099", "summary=a"],
    message: /no incident `INC-2026-0099`/,
  },
  {
    name: "unknown problem id",
    args: ["problem", "set", "PRB-2026-0099", "owner=@jlee"],
    message: /no problem `PRB-2026-0099`/,
  },
  {
    name: "unknown state",
    args: ["status", NEW, "done"],
    message:
      /`done` is not a state; states: new, triaged, in_progress, on_hold, mitigated, resolved, closed, canceled/,
  },
  {
    name: "forbidden edge new -> resolved names the allowed targets",
    args: ["status", NEW, "resolved"],
    message:
      /cannot move from `new` to `resolved`; from `new` the lifecycle allows: triaged, in_progress, canceled/,
  },
  {
    name: "forbidden edge via a shortcut (in_progress -> closed)",
    args: ["close", OPEN],
    message: /from `in_progress` the lifecycle allows: on_hold, mitigated, resolved, canceled/,
  },
  { name: "already in that state", args: ["start", OPEN], message: /INC-2026-0002 is already `in_progress`/ },
  {
    name: "cancel without determination and resolution",
    args: ["cancel", NEW],
    message: /cannot move INC-2026-0003 from `new` to `canceled`: 2 field\(s\) missing/,
  },
  // Closed and canceled records are final.
  { name: "closed: set", args: ["set", CLOSED, "summary=changed"], message: finalMsg(CLOSED, "closed") },
  { name: "closed: log", args: ["log", CLOSED, "late note"], message: finalMsg(CLOSED, "closed") },
  { name: "closed: status", args: ["status", CLOSED, "in_progress"], message: finalMsg(CLOSED, "closed") },
  { name: "closed: reopen", args: ["reopen", CLOSED], message: finalMsg(CLOSED, "closed") },
  {
    name: "closed: action add",
    args: ["action", "add", CLOSED, "--title", "t", "--owner", "@jlee", "--class", "detect"],
    message: finalMsg(CLOSED, "closed"),
  },
  {
    name: "closed: action done",
    args: ["action", "done", CLOSED, "AI-2"],
    message: finalMsg(CLOSED, "closed"),
  },
  {
    name: "closed: link",
    args: ["link", CLOSED, "--problem", "PRB-2026-0001"],
    message: finalMsg(CLOSED, "closed"),
  },
  {
    name: "canceled: set",
    args: ["set", CANCELED, "severity=SEV2"],
    message: finalMsg(CANCELED, "canceled"),
  },
  { name: "canceled: log", args: ["log", CANCELED, "x"], message: finalMsg(CANCELED, "canceled") },
  { name: "canceled: reopen", args: ["reopen", CANCELED], message: finalMsg(CANCELED, "canceled") },
  {
    name: "canceled: action add",
    args: ["action", "add", CANCELED, "--title", "t", "--owner", "@jlee", "--class", "detect"],
    message: finalMsg(CANCELED, "canceled"),
  },
  // Fields `set` must not touch.
  { name: "set id", args: ["set", OPEN, "id=INC-2026-0009"], message: /id never changes/ },
  {
    name: "set timestamps.declared_at",
    args: ["set", OPEN, "timestamps.declared_at=now"],
    message: /timestamps\.declared_at never changes/,
  },
  {
    name: "set status",
    args: ["set", OPEN, "status=resolved"],
    message: /use `incident status INC-2026-0002 <state>` to change the status/,
  },
  {
    name: "set the timeline",
    args: ["set", OPEN, "timeline=x"],
    message: /the timeline is append-only: use `incident log`/,
  },
  {
    name: "set a timeline entry",
    args: ["set", OPEN, "timeline.0.text=rewritten"],
    message: /the timeline is append-only/,
  },
  { name: "set __proto__.x", args: ["set", OPEN, "__proto__.x=1"], message: /`__proto__\.x` is not a field/ },
  { name: "set roles.constructor", args: ["set", OPEN, "roles.constructor=1"], message: /is not a field/ },
  {
    name: "set without =",
    args: ["set", OPEN, "severity"],
    message: /cannot read `severity`: write path=value/,
  },
  {
    name: "a list with =",
    args: ["set", OPEN, "services=checkout-api"],
    message: /services is a list: use services\+=item or services-=item/,
  },
  {
    name: "a non-list with +=",
    args: ["set", OPEN, "severity+=SEV2"],
    message: /severity is not a list: use severity=value/,
  },
  {
    name: "several assignments, the last one refused: nothing is written",
    args: ["set", OPEN, "title=New title", "severity=SEV2", "status=closed"],
    message: /to change the status/,
  },
  // Times and dates.
  {
    name: "--at yesterday",
    status: 2,
    args: ["log", OPEN, "x", "--at", "yesterday"],
    message: /cannot read the time `yesterday`: use now, -15m/,
  },
  {
    name: "--at +15m",
    args: ["log", OPEN, "x", "--at", "+15m"],
    status: 2,
    message: /cannot read the time `\+15m`/,
  },
  {
    name: "status --at garbage",
    status: 2,
    args: ["hold", OPEN, "--at", "soon"],
    message: /cannot read the time `soon`/,
  },
  {
    name: "--at an impossible date",
    status: 2,
    args: ["log", OPEN, "x", "--at", "2026-02-30T10:00:00Z"],
    message: /`2026-02-30T10:00:00Z` is not a time/,
  },
  {
    name: "new --detected-at yesterday",
    status: 2,
    args: ["new", "--title", "t", "--detected-at", "yesterday"],
    message: /cannot read the time `yesterday`/,
  },
  {
    name: "--due tomorrow",
    args: [
      "action",
      "add",
      OPEN,
      "--title",
      "t",
      "--owner",
      "@jlee",
      "--class",
      "detect",
      "--due",
      "tomorrow",
    ],
    message: /--due takes a date like 2026-12-31, not `tomorrow`/,
  },
  {
    name: "--due 2026-02-30",
    args: [
      "action",
      "add",
      OPEN,
      "--title",
      "t",
      "--owner",
      "@jlee",
      "--class",
      "detect",
      "--due",
      "2026-02-30",
    ],
    message: /SCHEMA_FORMAT .*due/,
  },
  // References.
  {
    name: "action done with an unknown action id",
    args: ["action", "done", OPEN, "AI-9"],
    message: /INC-2026-0002 has no action item `AI-9`; it has: none/,
  },
  {
    name: "link to a problem that does not exist",
    args: ["link", OPEN, "--problem", "PRB-2026-0099"],
    message: /no problem `PRB-2026-0099`/,
  },
  // Values that would make the file invalid.
  {
    name: "severity=SEV9",
    args: ["set", OPEN, "severity=SEV9"],
    message:
      /would leave incidents\/2026\/INC-2026-0002\.yaml invalid; nothing was written\n {2}- incidents\/2026\/INC-2026-0002\.yaml:\d+:\d+ UNKNOWN_SEVERITY severity `SEV9`/,
  },
  {
    name: "impact=enormous",
    args: ["set", OPEN, "impact=enormous"],
    message: /SCHEMA_ENUM `impact` must be one of "high", "medium", "low"/,
  },
  {
    name: "an unknown person",
    args: ["set", OPEN, "roles.scribe=@nobody"],
    message: /UNKNOWN_PERSON `nobody`/,
  },
  {
    name: "an unknown field",
    args: ["set", OPEN, "colour=red"],
    message: /SCHEMA_UNKNOWN_PROPERTY unknown field `colour`/,
  },
  {
    name: "log --by an unknown person",
    args: ["log", OPEN, "x", "--by", "@nobody"],
    message: /UNKNOWN_PERSON/,
  },
  {
    name: "action add with an unknown class",
    args: ["action", "add", OPEN, "--title", "t", "--owner", "@jlee", "--class", "later"],
    message: /SCHEMA_ENUM `action_items\[0\]\.class`/,
  },
  {
    name: "log --type status_change",
    args: ["log", OPEN, "x", "--type", "status_change"],
    message: /use `incident status`/,
  },
  // incident new.
  {
    name: "new --id with the problem prefix",
    args: ["new", "--id", "PRB-2026-0100", "--title", "t"],
    message: /PRB-2026-0100 does not start with the configured prefix INC-/,
  },
  {
    name: "new --id of an existing incident",
    args: ["new", "--id", OPEN, "--title", "t"],
    message: /INC-2026-0002\.yaml already exists/,
  },
  {
    name: "new --severity SEV9",
    args: ["new", "--title", "t", "--severity", "SEV9"],
    message: /the new incident would be invalid; nothing was written\n.*UNKNOWN_SEVERITY/,
  },
  { name: "new without --title, stdin not a terminal", args: ["new"], message: /--title is required/ },
  {
    name: "problem new without --title, stdin not a terminal",
    args: ["problem", "new", "--owner", "@jlee"],
    message: /--title is required/,
  },
  // A file broken by hand before the edit.
  {
    name: "a file with invalid YAML: set",
    args: ["set", OPEN, "severity=SEV2"],
    message: /incidents\/2026\/INC-2026-0002\.yaml cannot be edited until it is valid YAML\n.*YAML_SYNTAX/,
    setup: (dir) => breakByHand(dir),
  },
  {
    name: "a file with invalid YAML: log",
    args: ["log", OPEN, "x"],
    message: /cannot be edited until it is valid YAML/,
    setup: (dir) => breakByHand(dir),
  },
  {
    name: "a file with invalid YAML: status",
    args: ["hold", OPEN],
    message: /cannot be edited until it is valid YAML/,
    setup: (dir) => breakByHand(dir),
  },
];

/** A person's half-finished edit: an unclosed flow list. */
function breakByHand(dir: string): void {
  const file = join(dir, "incidents/2026/INC-2026-0002.yaml");
  writeFileSync(
    file,
    readFileSync(file, "utf8").replace("services: [customer-auth]", "services: [customer-auth"),
  );
}

describe.concurrent("refusals: exit 1, a clear message, nothing written", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const dir = scratch();
      c.setup?.(dir);
      const before = snapshot(dir);
      const r = await cli(dir, c.args);
      expectRefusal(r, c.message, c.status);
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it("missing requirements: lists every missing field, each with an example command", async () => {
    const dir = scratch();
    const before = snapshot(dir);
    const r = await cli(dir, ["triage", NEW]);
    expectRefusal(r, /cannot move INC-2026-0003 from `new` to `triaged`: 7 field\(s\) missing/);
    const fields = [
      "summary",
      "severity",
      "impact",
      "urgency",
      "priority",
      "categories",
      "roles.incident_commander",
    ];
    for (const f of fields) {
      expect(r.stderr).toContain(`\n  - ${f}\n`);
      expect(r.stderr).toMatch(
        new RegExp(`\\n {6}incident set INC-2026-0003 ${f.replace(".", "\\.")}\\+?=\\S`),
      );
    }
    // The handle in the example is a configured incident commander, not a placeholder.
    expect(r.stderr).toContain("roles.incident_commander=@amara.okafor");
    expect(snapshot(dir)).toEqual(before);
  });

  it("missing requirements of a skipped state are named with the state they come from", async () => {
    const dir = scratch();
    const before = snapshot(dir);
    const r = await cli(dir, ["start", NEW]);
    expectRefusal(r, /from `new` to `in_progress`: 7 field\(s\) missing/);
    expect(r.stderr).toContain("  - severity (required from `triaged` on)\n");
    expect(snapshot(dir)).toEqual(before);
  });

  it("--dry-run of a refused change is refused the same way", async () => {
    const dir = scratch();
    const before = snapshot(dir);
    expectRefusal(await cli(dir, ["triage", NEW, "--dry-run"]), /7 field\(s\) missing/);
    expectRefusal(await cli(dir, ["set", OPEN, "severity=SEV9", "--dry-run"]), /UNKNOWN_SEVERITY/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("ids that cannot reach the command line", () => {
  // A NUL cannot be passed in argv at all (the OS strings end there; Node refuses to spawn), so the
  // id check is exercised in process, as the CLI calls it.
  it("an id with a NUL is refused before it becomes a path", async () => {
    const dir = scratch();
    const before = snapshot(dir);
    await expect(setFields(`${OPEN}\u0000`, ["summary=a"], { dir })).rejects.toThrow(
      /`INC-2026-0002\\u0000` is not an? incident id/,
    );
    await expect(setFields(`${OPEN}\u0000/../../x`, ["summary=a"], { dir })).rejects.toThrow(
      /is not an? incident id/,
    );
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("refusals that leave a half-done change", () => {
  // BUG (src/usecases/editFields.ts linkProblem): the incident side is written first and the problem side second;
  // when the problem edit is refused (here: the problem is canceled, which is final), the command
  // exits 1 but INC-2026-0002 already lists the problem in problem_refs, so `incident validate` then
  // reports REF_ASYMMETRIC. Expected: exit 1 and both files byte-identical.
  it("link to a canceled problem leaves both files untouched", async () => {
    const dir = scratch();
    writeFileSync(
      join(dir, "incidents/problems/PRB-2026-0002.yaml"),
      [
        "# yaml-language-server: $schema=../../../../../schemas/problem.schema.json",
        "schema_version: 1",
        "id: PRB-2026-0002",
        "title: A suspected cause that turned out not to exist",
        "status: canceled",
        "owner: jlee",
        "timestamps:",
        "  created_at: 2026-04-15T09:00:00Z",
        "  canceled_at: 2026-04-16T09:00:00Z",
        "",
      ].join("\n"),
    );
    const before = snapshot(dir);
    const r = await cli(dir, ["link", OPEN, "--problem", "PRB-2026-0002"]);
    expectRefusal(r, /PRB-2026-0002 is `canceled`, which is final/);
    expect(snapshot(dir)).toEqual(before);
  });
});
