// `incident remind`: each reminder kind from hand-made records (business days across weekends and
// holidays, a zone other than UTC), the digest's Markdown and JSON, the digest issue plan, and the
// CLI over the example corpus at fixed times.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import { mergeConfig } from "../src/config/merge.js";
import type { Config } from "../src/config/types.js";
import {
  assigneesFor,
  findDigestIssue,
  type IssueSummary,
  MAX_ASSIGNEES,
  planDigestIssue,
} from "../src/github/digest.js";
import { addBusinessDays, isBusinessDay, localDate } from "../src/lifecycle/calendar.js";
import type { ActionItem, Incident, Problem } from "../src/model/types.js";
import { computeReminders, ownersOf, stateEnteredAt } from "../src/reminders/compute.js";
import {
  DIGEST_MARKER,
  ISSUE_BODY_LIMIT,
  renderDigestJson,
  renderDigestMarkdown,
} from "../src/reminders/render.js";
import { cli, repoRoot } from "./helpers/cli.js";

const config = (over: unknown = {}): Config => mergeConfig(over);

function incident(over: Partial<Incident> & { id: string }): Incident {
  return {
    schema_version: 1,
    title: `Incident ${over.id}`,
    status: "in_progress",
    severity: "SEV3",
    timestamps: { declared_at: "2026-11-01T09:00:00Z", detected_at: "2026-11-01T09:00:00Z" },
    timeline: [],
    ...over,
  } as Incident;
}

function problem(over: Partial<Problem> & { id: string }): Problem {
  return {
    schema_version: 1,
    title: `Problem ${over.id}`,
    status: "assessed",
    owner: "jlee",
    timestamps: { created_at: "2026-11-01T09:00:00Z" },
    ...over,
  } as Problem;
}

const item = (over: Partial<ActionItem>): ActionItem => ({
  id: "AI-1",
  title: "Add an alert",
  class: "detect",
  owner: "jlee",
  due: "2026-12-01",
  status: "open",
  ...over,
});

/** No stuck reminders, so a test sees only the kind it is about. */
const quiet = {
  reminders: {
    stuck_after: Object.fromEntries(
      ["new", "triaged", "in_progress", "on_hold", "mitigated", "resolved"].map((s) => [s, null]),
    ),
  },
};

const at = (iso: string) => new Date(iso);

describe("calendar", () => {
  it("counts business days Monday to Friday, across a weekend", async () => {
    const none = new Set<string>();
    expect(isBusinessDay("2026-11-27", none)).toBe(true); // Friday
    expect(isBusinessDay("2026-11-28", none)).toBe(false); // Saturday
    expect(isBusinessDay("2026-11-29", none)).toBe(false); // Sunday
    expect(addBusinessDays("2026-11-27", 1, none)).toBe("2026-11-30"); // Friday + 1 = Monday
    expect(addBusinessDays("2026-11-27", 5, none)).toBe("2026-12-04");
    expect(addBusinessDays("2026-11-28", 1, none)).toBe("2026-11-30"); // from a Saturday
    expect(addBusinessDays("2026-11-23", 10, none)).toBe("2026-12-07");
    expect(addBusinessDays("2026-12-31", 1, none)).toBe("2027-01-01");
  });

  it("skips holidays", async () => {
    const holidays = new Set(["2026-11-30", "2026-12-25"]);
    expect(isBusinessDay("2026-11-30", holidays)).toBe(false);
    expect(addBusinessDays("2026-11-27", 1, holidays)).toBe("2026-12-01");
    expect(addBusinessDays("2026-12-24", 1, holidays)).toBe("2026-12-28");
  });

  it("takes the local date in the zone", async () => {
    expect(localDate(at("2026-12-15T23:30:00Z"), "UTC")).toBe("2026-12-15");
    expect(localDate(at("2026-12-15T23:30:00Z"), "Pacific/Auckland")).toBe("2026-12-16");
    expect(localDate(at("2026-12-15T03:00:00Z"), "America/Los_Angeles")).toBe("2026-12-14");
  });
});

describe("overdue action items", () => {
  it("lists open and in-progress items due before today, in incidents and problems, with their owner", async () => {
    const d = computeReminders({
      incidents: [
        incident({
          id: "INC-2026-0001",
          status: "closed",
          action_items: [
            item({ id: "AI-1", due: "2026-12-01", owner: "jlee" }),
            item({ id: "AI-2", due: "2026-12-10", status: "in_progress", owner: "mei.tanaka" }),
            item({ id: "AI-3", due: "2026-12-11" }), // due today: not yet overdue
            item({ id: "AI-4", due: "2026-11-01", status: "done" }),
            item({ id: "AI-5", due: "2026-11-01", status: "wont_do" }),
            item({ id: "AI-6", due: undefined }),
          ],
        }),
      ],
      problems: [problem({ id: "PRB-2026-0001", action_items: [item({ id: "AI-1", due: "2026-11-30" })] })],
      config: config(quiet),
      now: at("2026-12-11T10:00:00Z"),
    });
    expect(d.actionItems.map((a) => [a.record, a.id, a.owner, a.daysOverdue])).toEqual([
      ["PRB-2026-0001", "AI-1", "jlee", 11],
      ["INC-2026-0001", "AI-1", "jlee", 10],
      ["INC-2026-0001", "AI-2", "mei.tanaka", 1],
    ]);
    expect(d.today).toBe("2026-12-11");
  });

  it("judges `today` in the configured zone", async () => {
    const records = {
      incidents: [incident({ id: "INC-2026-0001", action_items: [item({ due: "2026-12-15" })] })],
      problems: [],
    };
    const now = at("2026-12-15T23:30:00Z");
    expect(computeReminders({ ...records, config: config(quiet), now }).actionItems).toEqual([]);
    const auckland = computeReminders({
      ...records,
      config: config({ ...quiet, timezone: "Pacific/Auckland" }),
      now,
    });
    expect(auckland.today).toBe("2026-12-16");
    expect(auckland.actionItems.map((a) => a.daysOverdue)).toEqual([1]);
  });

  it("leaves out canceled records and excluded modes", async () => {
    const overdue = [item({ due: "2026-01-01" })];
    const d = computeReminders({
      incidents: [
        incident({ id: "INC-2026-0001", status: "canceled", action_items: overdue }),
        incident({ id: "INC-2026-0002", mode: "gameday", action_items: overdue }),
        incident({ id: "INC-2026-0003", mode: "test", action_items: overdue }),
        incident({ id: "INC-2026-0004", mode: "standard", action_items: overdue }),
      ],
      problems: [problem({ id: "PRB-2026-0001", status: "canceled", action_items: overdue })],
      config: config(quiet),
      now: at("2026-12-11T10:00:00Z"),
    });
    expect(d.actionItems.map((a) => a.record)).toEqual(["INC-2026-0004"]);
    expect(d.excludedIncidents).toBe(2);
    const onlyTest = computeReminders({
      incidents: [incident({ id: "INC-2026-0002", mode: "gameday", action_items: overdue })],
      problems: [],
      config: config({ ...quiet, reminders: { ...quiet.reminders, exclude_modes: ["test"] } }),
      now: at("2026-12-11T10:00:00Z"),
    });
    expect(onlyTest.actionItems).toHaveLength(1);
  });
});

describe("overdue postmortems", () => {
  // SEV2: required, due 10 business days after the local date of resolution.
  const resolved = (resolvedAt: string, over: Partial<Incident> = {}) =>
    incident({
      id: "INC-2026-0007",
      status: "resolved",
      severity: "SEV2",
      roles: { incident_commander: "tomas.novak", incident_manager: "farah.haddad" },
      timestamps: {
        declared_at: "2026-11-20T09:00:00Z",
        detected_at: "2026-11-20T09:00:00Z",
        resolved_at: resolvedAt,
      },
      ...over,
    });
  const run = (inc: Incident, now: string, over: Record<string, unknown> = {}) =>
    computeReminders({ incidents: [inc], problems: [], config: config({ ...quiet, ...over }), now: at(now) })
      .postmortems;

  it("is due N business days after resolution, counted across weekends", async () => {
    // Resolved Friday 2026-11-27: +10 business days is Friday 2026-12-11.
    const inc = resolved("2026-11-27T15:00:00Z");
    expect(run(inc, "2026-12-11T23:00:00Z")).toEqual([]);
    const late = run(inc, "2026-12-12T08:00:00Z");
    expect(late).toEqual([
      expect.objectContaining({
        incident: "INC-2026-0007",
        due: "2026-12-11",
        businessDays: 10,
        daysOverdue: 1,
        owner: "farah.haddad",
      }),
    ]);
    // SEV1: 5 business days.
    expect(run({ ...inc, severity: "SEV1" }, "2026-12-05T08:00:00Z")[0]?.due).toBe("2026-12-04");
  });

  it("counts from the local date of resolution in the configured zone", async () => {
    // Thursday 23:30 UTC is Friday 00:30 in Berlin: due Thursday 12-10 in UTC, Friday 12-11 in Berlin.
    const inc = resolved("2026-11-26T23:30:00Z");
    expect(run(inc, "2026-12-11T12:00:00Z").map((p) => p.due)).toEqual(["2026-12-10"]);
    expect(run(inc, "2026-12-11T12:00:00Z", { timezone: "Europe/Berlin" })).toEqual([]);
    expect(run(inc, "2026-12-12T12:00:00Z", { timezone: "Europe/Berlin" })[0]?.due).toBe("2026-12-11");
  });

  it("counts a reopened incident from its last resolution, as stats does", async () => {
    // Resolved 11-27, reopened 12-01, resolved again Wednesday 12-09: due Wednesday 12-23.
    const inc = resolved("2026-11-27T15:00:00Z", {
      timeline: [
        { at: "2026-11-27T15:00:00Z", type: "status_change", text: "", from: "in_progress", to: "resolved" },
        { at: "2026-12-01T09:00:00Z", type: "status_change", text: "", from: "resolved", to: "in_progress" },
        { at: "2026-12-09T12:00:00Z", type: "status_change", text: "", from: "in_progress", to: "resolved" },
      ],
    });
    expect(run(inc, "2026-12-15T08:00:00Z")).toEqual([]);
    expect(run(inc, "2026-12-24T08:00:00Z").map((p) => p.due)).toEqual(["2026-12-23"]);
  });

  it("skips configured holidays", async () => {
    const inc = resolved("2026-11-27T15:00:00Z");
    const holidays = { reminders: { ...quiet.reminders, holidays: ["2026-12-08"] } };
    expect(run(inc, "2026-12-12T08:00:00Z", holidays)).toEqual([]);
    expect(run(inc, "2026-12-15T08:00:00Z", holidays)[0]?.due).toBe("2026-12-14");
  });

  it("is done once the review is held or the incident is closed; optional severities never remind", async () => {
    const now = "2027-01-15T08:00:00Z";
    expect(run(resolved("2026-11-27T15:00:00Z"), now)).toHaveLength(1);
    expect(
      run(resolved("2026-11-27T15:00:00Z", { review: { held_at: "2026-12-01T10:00:00Z" } }), now),
    ).toEqual([]);
    expect(run(resolved("2026-11-27T15:00:00Z", { status: "closed" }), now)).toEqual([]);
    expect(run(resolved("2026-11-27T15:00:00Z", { severity: "SEV3" }), now)).toEqual([]);
    // A team that makes SEV3 postmortems mandatory gets reminded.
    const sev3 = { severities: [{ id: "SEV3", postmortem: { required: true, due_business_days: 3 } }] };
    expect(run(resolved("2026-11-27T15:00:00Z", { severity: "SEV3" }), now, sev3)[0]?.due).toBe("2026-12-02");
  });
});

describe("stuck incidents", () => {
  const cfg = config();

  it("counts from the last status_change into the current state", async () => {
    const inc = incident({
      id: "INC-2026-0003",
      status: "in_progress",
      roles: { incident_commander: "lucas.moreau" },
      timestamps: {
        declared_at: "2026-12-01T09:00:00Z",
        detected_at: "2026-12-01T09:00:00Z",
        acknowledged_at: "2026-12-01T09:10:00Z",
      },
      timeline: [
        { at: "2026-12-01T09:10:00Z", type: "status_change", from: "new", to: "in_progress", text: "x" },
        { at: "2026-12-02T09:00:00Z", type: "status_change", from: "in_progress", to: "on_hold", text: "x" },
        { at: "2026-12-03T09:00:00Z", type: "status_change", from: "on_hold", to: "in_progress", text: "x" },
        { at: "2026-12-04T09:00:00Z", type: "note", text: "still working" },
      ],
    });
    expect(stateEnteredAt(inc, cfg)).toBe("2026-12-03T09:00:00Z");
    const run = (now: string) =>
      computeReminders({ incidents: [inc], problems: [], config: cfg, now: at(now) }).stuck;
    expect(run("2026-12-06T09:00:00Z")).toEqual([]); // exactly P3D: not yet
    expect(run("2026-12-06T09:00:01Z")).toEqual([
      expect.objectContaining({
        incident: "INC-2026-0003",
        status: "in_progress",
        limit: "P3D",
        owner: "lucas.moreau",
      }),
    ]);
  });

  it("falls back to the state's timestamp, and a state set to null is never stuck", async () => {
    const inc = incident({
      id: "INC-2026-0004",
      status: "new",
      timestamps: { declared_at: "2026-12-01T09:00:00Z", detected_at: "2026-12-01T08:50:00Z" },
    });
    expect(stateEnteredAt(inc, cfg)).toBe("2026-12-01T09:00:00Z");
    const now = at("2026-12-01T10:30:00Z");
    expect(computeReminders({ incidents: [inc], problems: [], config: cfg, now }).stuck).toHaveLength(1);
    const off = config({ reminders: { stuck_after: { new: null } } });
    expect(off.reminders.stuck_after.triaged).toBe("P1D"); // merged key by key
    expect(computeReminders({ incidents: [inc], problems: [], config: off, now }).stuck).toEqual([]);
    const longer = config({ reminders: { stuck_after: { new: "PT2H" } } });
    expect(computeReminders({ incidents: [inc], problems: [], config: longer, now }).stuck).toEqual([]);
  });

  it("never reports closed or canceled incidents", async () => {
    const old = {
      declared_at: "2025-01-01T00:00:00Z",
      detected_at: "2025-01-01T00:00:00Z",
      closed_at: "2025-01-02T00:00:00Z",
      canceled_at: "2025-01-02T00:00:00Z",
    };
    const d = computeReminders({
      incidents: [
        incident({ id: "INC-2025-0001", status: "closed", timestamps: old }),
        incident({ id: "INC-2025-0002", status: "canceled", timestamps: old }),
      ],
      problems: [],
      config: cfg,
      now: at("2026-12-01T00:00:00Z"),
    });
    expect(d.stuck).toEqual([]);
  });
});

describe("problems without an owner", () => {
  it("lists open problem states without an owner", async () => {
    const d = computeReminders({
      incidents: [],
      problems: [
        problem({ id: "PRB-2026-0001", status: "new", owner: undefined }),
        problem({ id: "PRB-2026-0002", status: "known_error", owner: undefined }),
        problem({ id: "PRB-2026-0003", status: "assessed" }),
        problem({ id: "PRB-2026-0004", status: "resolved", owner: undefined }),
        problem({ id: "PRB-2026-0005", status: "canceled", owner: undefined }),
      ],
      config: config(),
      now: at("2026-12-01T00:00:00Z"),
    });
    expect(d.unownedProblems.map((p) => [p.problem, p.status])).toEqual([
      ["PRB-2026-0001", "new"],
      ["PRB-2026-0002", "known_error"],
    ]);
  });
});

describe("the digest as text", () => {
  const hostile =
    "@everyone #1 <script>alert(1)</script> | `rm -rf /` [x](javascript:alert(1)) **b** \u202e\u001b[31m";
  const digest = computeReminders({
    incidents: [
      incident({
        id: "INC-2026-0001",
        title: hostile,
        action_items: [item({ title: hostile, owner: "jlee", due: "2026-11-01" })],
      }),
    ],
    problems: [problem({ id: "PRB-2026-0001", title: hostile, owner: undefined })],
    config: config(quiet),
    now: at("2026-12-01T09:00:00Z"),
  });

  it("escapes every record value in the issue body: no mention, reference, HTML, link or extra column", async () => {
    const body = renderDigestMarkdown(digest, { target: "github" });
    expect(body.startsWith(`${DIGEST_MARKER}\n`)).toBe(true);
    expect(body).not.toMatch(/@everyone|#1\b|<script|\]\(javascript|\*\*b\*\*|`rm/);
    expect(body).not.toContain("\u202e");
    const row = body.split("\n").find((l) => l.startsWith("| INC-2026-0001")) ?? "";
    expect(row.split("|")).toHaveLength(8);
  });

  it("shows control characters escaped on a terminal and keeps table rows whole", async () => {
    const text = renderDigestMarkdown(digest, { target: "terminal" });
    expect(text).not.toContain(DIGEST_MARKER);
    expect(text).not.toContain("\u001b");
    expect(text).toContain("\\u001b[31m");
    const row = text.split("\n").find((l) => l.startsWith("| PRB-2026-0001")) ?? "";
    expect(row.split(/(?<!\\)\|/)).toHaveLength(5);
  });

  it("keeps the issue body under 65,536 characters with a notice when rows are left out", async () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      item({ id: `AI-${i + 1}`, title: `${"<&>".repeat(20)} ${i}`, due: "2026-01-01" }),
    );
    const big = computeReminders({
      incidents: [incident({ id: "INC-2026-0001", action_items: many })],
      problems: [problem({ id: "PRB-2026-0001", owner: undefined })],
      config: config(quiet),
      now: at("2026-12-01T09:00:00Z"),
    });
    const body = renderDigestMarkdown(big, { target: "github" });
    expect(body.length).toBeLessThan(ISSUE_BODY_LIMIT);
    expect(body).toMatch(/\d+ more rows are not shown here .*run `incident remind` for the full list/);
    expect(body).not.toContain("Problems without an owner"); // after the cut
    // The terminal is not GitHub: every row, no notice.
    const full = renderDigestMarkdown(big, { target: "terminal" });
    expect(full.split("\n").filter((l) => l.startsWith("| INC-2026-0001 | AI-"))).toHaveLength(3000);
    expect(full).toContain("Problems without an owner");
    expect(full).not.toContain("not shown here");
  });

  it("says so when nothing is overdue, and JSON carries every kind", async () => {
    const empty = computeReminders({
      incidents: [],
      problems: [],
      config: config(),
      now: at("2026-12-01T09:00:00Z"),
    });
    expect(renderDigestMarkdown(empty, { target: "terminal" })).toContain(
      "Nothing is overdue as of 2026-12-01 09:00 UTC",
    );
    const json = JSON.parse(renderDigestJson(digest, ["incidents/2026/INC-2026-0009.yaml"]));
    expect(Object.keys(json)).toEqual([
      "now",
      "today",
      "timezone",
      "overdue",
      "filings",
      "actionItems",
      "postmortems",
      "stuck",
      "unownedProblems",
      "excludedIncidents",
      "invalidFiles",
    ]);
    expect(json.overdue).toBe(2);
    expect(json.actionItems[0].title).toBe(hostile); // JSON keeps values as they are
  });
});

describe("the digest issue plan", () => {
  const people = [
    { handle: "jlee", name: "J", github: "jordan-lee" },
    { handle: "mei.tanaka", name: "M", github: "MTanaka" },
    { handle: "bad", name: "B", github: "-not-a-login" },
    { handle: "nogh", name: "N" },
    ...Array.from({ length: 12 }, (_, i) => ({ handle: `p${i}`, name: `P${i}`, github: `user-${i}` })),
  ];

  it("maps owners to valid GitHub logins, once each, at most 10", async () => {
    expect(assigneesFor(["jlee", "bad", "nogh", "mei.tanaka", "jlee"], people)).toEqual([
      "jordan-lee",
      "MTanaka",
    ]);
    const all = assigneesFor(
      people.map((p) => p.handle),
      people,
    );
    expect(all).toHaveLength(MAX_ASSIGNEES);
    expect(all.slice(0, 3)).toEqual(["jordan-lee", "MTanaka", "user-0"]);
    const d = computeReminders({
      incidents: [
        incident({ id: "INC-2026-0001", action_items: [item({ owner: "mei.tanaka", due: "2026-01-01" })] }),
      ],
      problems: [],
      config: config(),
      now: at("2026-12-01T00:00:00Z"),
    });
    expect(ownersOf(d)).toEqual(["mei.tanaka"]);
  });

  const issue = (over: Partial<IssueSummary>): IssueSummary => ({
    number: 7,
    author: "incident-bot",
    title: "Incident reminders: 1 overdue",
    body: `${DIGEST_MARKER}\nbody`,
    state: "open",
    assignees: ["jordan-lee"],
    isPullRequest: false,
    ...over,
  });
  const want = {
    overdue: true,
    title: "Incident reminders: 1 overdue",
    body: `${DIGEST_MARKER}\nbody`,
    assignees: ["jordan-lee"],
  };

  it("finds its own issue only: marker and author, never a pull request or a look-alike", async () => {
    const list = [
      issue({ number: 1, isPullRequest: true }),
      issue({ number: 2, author: "someone-else" }),
      issue({ number: 3, body: "no marker" }),
      issue({ number: 4, state: "closed" }),
      issue({ number: 5, author: "Incident-Bot" }),
    ];
    expect(findDigestIssue(list, "incident-bot")?.number).toBe(5);
    expect(findDigestIssue(list.slice(0, 4), "incident-bot")?.number).toBe(4);
    expect(findDigestIssue(list.slice(0, 3), "incident-bot")).toBeUndefined();
  });

  it("creates, edits only what differs, reopens, closes, or does nothing", async () => {
    expect(planDigestIssue(undefined, want)).toEqual({
      action: "create",
      title: want.title,
      body: want.body,
      assignees: want.assignees,
    });
    expect(planDigestIssue(issue({}), want)).toEqual({ action: "unchanged", number: 7 });
    expect(planDigestIssue(issue({ assignees: ["Jordan-Lee"] }), want)).toEqual({
      action: "unchanged",
      number: 7,
    });
    expect(planDigestIssue(issue({ body: "old" }), want)).toEqual({
      action: "update",
      number: 7,
      body: want.body,
    });
    expect(planDigestIssue(issue({ state: "closed", assignees: [] }), want)).toEqual({
      action: "update",
      number: 7,
      assignees: ["jordan-lee"],
      state: "open",
    });
    const clear = {
      overdue: false,
      title: "Incident reminders: nothing overdue",
      body: "all clear",
      assignees: [],
    };
    expect(planDigestIssue(issue({}), clear)).toEqual({
      action: "update",
      number: 7,
      state: "closed",
      title: clear.title,
      body: clear.body,
    });
    expect(planDigestIssue(issue({ state: "closed" }), clear)).toEqual({ action: "none" });
    expect(planDigestIssue(undefined, clear)).toEqual({ action: "none" });
  });
});

describe("config", () => {
  it("has reminder defaults and merges stuck_after key by key; holidays replace", async () => {
    expect(defaultConfig.reminders.stuck_after).toEqual({
      new: "PT1H",
      triaged: "P1D",
      in_progress: "P3D",
      on_hold: "P7D",
      mitigated: "P7D",
      resolved: "P14D",
    });
    const c = config({
      reminders: { stuck_after: { on_hold: "P14D", resolved: null }, holidays: ["2026-12-25"] },
    });
    expect(c.reminders.stuck_after).toMatchObject({ new: "PT1H", on_hold: "P14D", resolved: null });
    expect(c.reminders.holidays).toEqual(["2026-12-25"]);
    expect(c.reminders.exclude_modes).toEqual(["test", "gameday", "retrospective"]);
  });
});

describe("incident remind on the example corpus", () => {
  it("lists the overdue action items, the stuck incidents and their owners at a fixed time", async () => {
    const run = await cli(["remind", "--now", "2026-12-15T09:00:00Z", "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.today).toBe("2026-12-15");
    expect(
      json.actionItems.map(
        (a: { record: string; id: string; owner: string; due: string }) =>
          `${a.record} ${a.id} ${a.owner} ${a.due}`,
      ),
    ).toEqual([
      "INC-2025-0003 AI-3 jlee 2025-06-30",
      "INC-2025-0018 AI-5 lucas.moreau 2025-10-31",
      "PRB-2025-0001 AI-3 jlee 2026-12-11",
    ]);
    expect(json.postmortems).toEqual([]);
    expect(json.stuck.map((s: { incident: string; status: string }) => `${s.incident} ${s.status}`)).toEqual([
      "INC-2026-0015 resolved",
      "INC-2026-0016 on_hold",
      "INC-2026-0017 mitigated",
      "INC-2026-0018 in_progress",
      "INC-2026-0019 triaged",
      "INC-2026-0020 new",
    ]);
    expect(json.unownedProblems).toEqual([]);
    expect(json.excludedIncidents).toBe(1);
  });

  it("prints what the README shows for the examples", async () => {
    const run = await cli(["remind", "--now", "2026-12-15 09:00"]);
    const readme = readFileSync(join(repoRoot, "docs/remind.md"), "utf8");
    expect(readme).toContain(`$ npx incident remind --now "2026-12-15 09:00"\n${run.stdout}\`\`\``);
  });

  it("prints Markdown by default, and the PRB-2025-0001 item only once it is past due", async () => {
    const before = await cli(["remind", "--now", "2026-12-11 18:00"]);
    expect(before.status).toBe(0);
    expect(before.stdout).toMatch(/^## Incident reminders: \d+ overdue\n/);
    expect(before.stdout).not.toContain("PRB-2025-0001");
    const after = await cli(["remind", "--now", "2026-12-12 00:00"]);
    expect(after.stdout).toContain("| PRB-2025-0001 | AI-3: Deny manual certificate uploads");
  });

  it("is a usage error (exit 2) for a bad --now or --format, without a stack trace", async () => {
    const bad = await cli(["remind", "--now", "yesterday"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^incident: --now: cannot read the time `yesterday`/);
    expect(bad.stderr).not.toMatch(/^\s+at /m);
    expect((await cli(["remind", "--format", "xml"])).status).toBe(2);
    const noCtx = await cli(["remind", "--github"], {
      env: { GITHUB_TOKEN: "", INCIDENT_GITHUB_TOKEN: "", GITHUB_REPOSITORY: "" },
    });
    expect(noCtx.status).toBe(2);
    expect(noCtx.stderr).toMatch(/--github needs a token/);
  });
});

describe("invalid records", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("a config with a bad reminders block is refused with positions (exit 1), nothing printed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incident-remind-"));
    dirs.push(dir);
    cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
    const path = join(dir, "incident.config.yaml");
    writeFileSync(
      path,
      `${readFileSync(path, "utf8")}reminders:\n  holidays: [2026-13-01]\n  stuck_after:\n    closed: P1D\n`,
    );
    const run = await cli(["remind", "-C", dir, "--now", "2026-05-05T09:00:00Z"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^incident\.config\.yaml:\d+:14 SCHEMA_FORMAT /m);
    expect(run.stderr).toMatch(/^incident\.config\.yaml:\d+:5 SCHEMA_UNKNOWN_PROPERTY /m);
  });

  it("are reported with file:line:column and skipped; the digest covers the rest (exit 1)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incident-remind-"));
    dirs.push(dir);
    cpSync(join(repoRoot, "test/fixtures/repo"), dir, { recursive: true });
    writeFileSync(
      join(dir, "incidents/2026/INC-2026-0009.yaml"),
      "schema_version: 1\nid: INC-2026-0009\ntitle: Broken\nstatus: sideways\ntimestamps: {}\ntimeline: []\n",
    );
    const run = await cli(["remind", "-C", dir, "--now", "2026-05-05T09:00:00Z", "--format", "json"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^incidents\/2026\/INC-2026-0009\.yaml:4:9 SCHEMA_ENUM /m);
    expect(run.stderr).toMatch(/skipped incidents\/2026\/INC-2026-0009\.yaml: not a valid record/);
    const json = JSON.parse(run.stdout);
    expect(json.invalidFiles).toEqual(["incidents/2026/INC-2026-0009.yaml"]);
    expect(json.actionItems.map((a: { record: string }) => a.record)).toEqual(["INC-2026-0001"]);
  });
});
