// Metrics at their edges, with exact values: the window's bounds, a zero duration, a response target
// met exactly, an end before its start, the order of breaches, groups, problems and services, the
// on-time rate of action items completed on their due date, and what slim copies keep.

import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import type { Config } from "../src/config/types.js";
import {
  computeStats,
  incidentDate,
  isDismissed,
  metricDefinitions,
  slimIncident,
  slimProblem,
} from "../src/metrics/compute.js";
import type { ActionItem, Incident, Problem } from "../src/model/types.js";

const M = 60_000;
const H = 60 * M;
const config: Config = defaultConfig;
const now = new Date("2026-06-30T12:00:00Z");

function inc(id: string, fields: Partial<Incident> = {}): Incident {
  return {
    schema_version: 1,
    id,
    title: `Incident ${id}`,
    status: "closed",
    timestamps: {},
    timeline: [],
    ...fields,
  };
}
const item = (id: string, fields: Partial<ActionItem>): ActionItem => ({
  id,
  title: `Action ${id}`,
  class: "prevent",
  owner: "jlee",
  status: "open",
  ...fields,
});
const prb = (id: string, fields: Partial<Problem> = {}): Problem => ({
  schema_version: 1,
  id,
  title: `Problem ${id}`,
  status: "known_error",
  timestamps: {},
  ...fields,
});
const stats = (incidents: Incident[], problems: Problem[] = [], options = {}, cfg = config) =>
  computeStats({ incidents, problems, config: cfg, now }, options);

describe("metrics: definitions and dates", () => {
  it("the config's definitions replace the built-in ones field by field", () => {
    const own: Config = {
      ...config,
      metrics: { ...config.metrics, definitions: { ttr: { start: "declared_at" } as never } },
    };
    const defs = metricDefinitions(own);
    expect(defs.map((d) => d.id)).toEqual(["ttd", "tta", "ttm", "ttr", "impact", "review"]);
    expect(defs[3]).toEqual({
      id: "ttr",
      abbr: "TTR",
      label: "Time to resolve",
      start: "declared_at",
      end: "resolved_at",
    });
    expect(defs[4]).toEqual({
      id: "impact",
      abbr: "Impact",
      label: "Customer impact duration",
      start: "impact_started_at",
      end: "impact_ended_at",
    });
    const none: Config = { ...config, metrics: { ...config.metrics, definitions: undefined } };
    expect(metricDefinitions(none)).toEqual(metricDefinitions(config));
  });

  it("an incident's date is declared, else detected, else impact start, counting only computable times", () => {
    expect(
      incidentDate(
        inc("a", {
          timestamps: {
            declared_at: "2026-13-01T00:00:00Z",
            detected_at: "2026-05-01T00:00:00Z",
            impact_started_at: "2026-04-01T00:00:00Z",
          },
        }),
      ),
    ).toBe("2026-05-01T00:00:00Z");
    expect(incidentDate(inc("a", { timestamps: { impact_started_at: "2026-04-01T00:00:00Z" } }))).toBe(
      "2026-04-01T00:00:00Z",
    );
    expect(incidentDate({ ...inc("a"), timestamps: undefined } as unknown as Incident)).toBeUndefined();
  });

  it("dismissed: canceled, a false positive or a duplicate", () => {
    expect(isDismissed(inc("a", { status: "canceled" }))).toBe(true);
    expect(isDismissed(inc("a", { determination: "false_positive" }))).toBe(true);
    expect(isDismissed(inc("a", { determination: "duplicate" }))).toBe(true);
    expect(isDismissed(inc("a", { determination: "confirmed" }))).toBe(false);
  });
});

describe("metrics: what is counted", () => {
  const at = (d: string) => inc(d, { timestamps: { declared_at: `${d}T00:00:00Z` } });

  it("--since is inclusive and --until exclusive; an incident without a date is outside any window", () => {
    const list = [at("2026-05-01"), at("2026-05-31"), at("2026-06-01"), inc("none")];
    const r = stats(list, [], {
      since: new Date("2026-05-01T00:00:00Z"),
      until: new Date("2026-06-01T00:00:00Z"),
    });
    expect(r.counts).toEqual({
      incidents: 4,
      counted: 2,
      excludedModes: {},
      outsideWindow: 2,
      dismissed: 0,
      problems: 0,
    });
    expect(r.since).toBe("2026-05-01T00:00:00Z");
    expect(r.until).toBe("2026-06-01T00:00:00Z");
    expect(stats(list, [], { until: new Date("2026-05-31T00:00:00Z") }).counts.counted).toBe(1);
    expect(stats(list, [], { since: new Date("2026-05-31T00:00:01Z") }).counts.counted).toBe(1);
    // Without a window every incident counts, dated or not.
    const all = stats(list);
    expect(all.counts.counted).toBe(4);
    expect(all.since).toBeUndefined();
    expect(all.until).toBeUndefined();
    expect(all.now).toBe("2026-06-30T12:00:00Z");
    expect(all.timezone).toBe("UTC");
    expect(all.by).toBeUndefined();
  });

  it("excluded modes per mode, unless asked for; dismissed incidents only in the status counts", () => {
    const list = [
      inc("a", { mode: "gameday" }),
      inc("b", { mode: "gameday" }),
      inc("c", { mode: "test" }),
      inc("d", { mode: "standard" }),
      inc("e"),
      inc("f", { status: "canceled" }),
      inc("g", { status: "resolved", determination: "duplicate" }),
      inc("h", { status: "weird" as never }),
    ];
    const r = stats(list);
    expect(r.counts.excludedModes).toEqual({ gameday: 2, test: 1 });
    expect(r.counts.counted).toBe(3);
    expect(r.counts.dismissed).toBe(2);
    expect(r.byStatus).toEqual([
      { status: "resolved", incidents: 1 },
      { status: "closed", incidents: 2 },
      { status: "canceled", incidents: 1 },
      { status: "weird", incidents: 1 },
    ]);
    expect(r.overall.incidents).toBe(3);
    expect(r.overall.open).toBe(1);
    expect(stats(list, [], { includeModes: ["gameday"] }).counts).toMatchObject({
      counted: 5,
      excludedModes: { test: 1 },
    });
  });
});

describe("metrics: durations", () => {
  it("a zero duration is a value; an end before its start is negative; a missing end is missing", () => {
    const t = "2026-06-01T10:00:00Z";
    const r = stats([
      inc("a", { timestamps: { detected_at: t, acknowledged_at: t } }),
      inc("b", { timestamps: { detected_at: t, acknowledged_at: "2026-06-01T09:00:00Z" } }),
      inc("c", { timestamps: { detected_at: t } }),
      inc("d", { timestamps: { detected_at: t, acknowledged_at: "2026-06-01T10:30:00Z" } }),
      inc("e", { timestamps: { detected_at: "garbage", acknowledged_at: t } }),
    ]);
    expect(r.overall.metrics.tta).toEqual({
      n: 2,
      median: 15 * M,
      p90: 30 * M,
      mean: 15 * M,
      missing: 2,
      negative: 1,
    });
    expect(r.overall.metrics.ttd).toEqual({
      n: 0,
      median: undefined,
      p90: undefined,
      mean: undefined,
      missing: 5,
      negative: 0,
    });
  });

  it("resolved_at is the last resolution", () => {
    const r = stats([
      inc("a", {
        status: "resolved",
        timestamps: { detected_at: "2026-06-01T10:00:00Z", resolved_at: "2026-06-01T11:00:00Z" },
        timeline: [
          {
            at: "2026-06-01T13:00:00Z",
            type: "status_change",
            text: "",
            from: "in_progress",
            to: "resolved",
          },
        ],
      }),
    ]);
    expect(r.overall.metrics.ttr.median).toBe(3 * H);
  });
});

describe("metrics: response targets", () => {
  // SEV3: acknowledge PT1H, mitigate PT24H, resolve P3D.
  const detected = "2026-06-30T09:00:00Z";

  it("a target met exactly is not breached; a minute over is; an end before the start is not measured", () => {
    const r = stats([
      inc("a", {
        severity: "SEV3",
        timestamps: { detected_at: detected, acknowledged_at: "2026-06-30T10:00:00Z" },
      }),
      inc("b", {
        severity: "SEV3",
        timestamps: { detected_at: detected, acknowledged_at: "2026-06-30T10:01:00Z" },
      }),
      inc("c", {
        severity: "SEV3",
        timestamps: { detected_at: detected, acknowledged_at: "2026-06-30T08:00:00Z" },
      }),
      inc("d", { severity: "SEV3", timestamps: { acknowledged_at: detected } }),
    ]);
    expect(r.targets.find((t) => t.severity === "SEV3" && t.target === "acknowledge")).toEqual({
      severity: "SEV3",
      target: "acknowledge",
      limit: "PT1H",
      limitMs: H,
      measured: 2,
      breached: 1,
      notMeasured: 2,
    });
    expect(r.breaches).toEqual([
      {
        id: "b",
        title: "Incident b",
        severity: "SEV3",
        target: "acknowledge",
        limit: "PT1H",
        limitMs: H,
        tookMs: H + M,
        overMs: M,
        ongoing: false,
      },
    ]);
  });

  it("an open incident past its target is an ongoing breach; within it (or exactly at it), not judged yet", () => {
    const open = (id: string, d: string) =>
      inc(id, { severity: "SEV3", status: "in_progress", timestamps: { detected_at: d } });
    const r = stats([
      open("a", "2026-06-30T11:00:00Z"),
      open("b", "2026-06-30T10:59:00Z"),
      open("c", "2026-06-30T12:00:00Z"),
    ]);
    const ack = r.targets.find((t) => t.severity === "SEV3" && t.target === "acknowledge");
    expect(ack).toMatchObject({ measured: 1, breached: 1, notMeasured: 0 });
    expect(r.breaches.filter((b) => b.target === "acknowledge")).toEqual([
      {
        id: "b",
        title: "Incident b",
        severity: "SEV3",
        target: "acknowledge",
        limit: "PT1H",
        limitMs: H,
        tookMs: H + M,
        overMs: M,
        ongoing: true,
      },
    ]);
    // A closed incident that never reached the end is not measured.
    const closed = stats([inc("z", { severity: "SEV3", timestamps: { detected_at: detected } })]);
    expect(closed.targets.find((t) => t.severity === "SEV3" && t.target === "acknowledge")).toMatchObject({
      measured: 0,
      breached: 0,
      notMeasured: 1,
    });
  });

  it("targets without a limit or with an unreadable one are left out", () => {
    const r = stats([]);
    expect(r.targets.filter((t) => t.severity === "SEV4").map((t) => t.target)).toEqual([
      "acknowledge",
      "resolve",
    ]);
    const odd: Config = {
      ...config,
      severities: config.severities.map((s) =>
        s.id === "SEV5" ? { ...s, targets: { acknowledge: "soon", resolve: "P30D" } } : s,
      ),
    };
    expect(
      stats([], [], {}, odd)
        .targets.filter((t) => t.severity === "SEV5")
        .map((t) => t.target),
    ).toEqual(["resolve"]);
  });

  it("breaches sorted by severity, then target, then how far over, then id", () => {
    const det = "2026-06-01T00:00:00Z";
    const late = (id: string, severity: string, ack: string) =>
      inc(id, { severity, timestamps: { detected_at: det, acknowledged_at: ack } });
    const r = stats([
      late("s3-small", "SEV3", "2026-06-01T02:00:00Z"),
      late("s3-big", "SEV3", "2026-06-01T05:00:00Z"),
      late("s3-big-b", "SEV3", "2026-06-01T05:00:00Z"),
      late("s1", "SEV1", "2026-06-01T00:10:00Z"),
      inc("s1-resolve", {
        severity: "SEV1",
        timestamps: { detected_at: det, acknowledged_at: det, resolved_at: "2026-06-01T05:00:00Z" },
      }),
    ]);
    expect(r.breaches.map((b) => `${b.id} ${b.target}`)).toEqual([
      "s1 acknowledge",
      "s1-resolve resolve",
      "s3-big acknowledge",
      "s3-big-b acknowledge",
      "s3-small acknowledge",
    ]);
  });
});

describe("metrics: action items", () => {
  it("on time when completed on the due date; overdue sorted by days, record, id; canceled records left out", () => {
    const r = stats(
      [
        inc("INC-B", {
          action_items: [
            item("A2", { due: "2026-06-20" }),
            item("A1", { due: "2026-06-20", status: "in_progress" }),
            item("A3", { due: "2026-06-29" }),
            item("A4", { due: "2026-06-30" }),
            item("D1", { status: "done", due: "2026-06-10", completed_at: "2026-06-10T23:59:00Z" }),
            item("D2", { status: "done", due: "2026-06-10", completed_at: "2026-06-11T00:00:00Z" }),
            item("D3", { status: "done", completed_at: "2026-06-11T00:00:00Z" }),
            item("D4", { status: "done", due: "2026-06-10" }),
            item("W1", { status: "wont_do" }),
          ],
        }),
        inc("INC-A", { action_items: [item("A9", { due: "2026-06-20" })] }),
        inc("INC-X", { status: "canceled", action_items: [item("X", { due: "2026-01-01" })] }),
        inc("INC-F", { determination: "false_positive", action_items: [item("F", { status: "wont_do" })] }),
      ],
      [
        prb("PRB-1", { action_items: [item("P", { due: "2026-06-01" })] }),
        prb("PRB-2", { status: "canceled", action_items: [item("Q", { due: "2026-06-01" })] }),
      ],
    );
    const { overdueItems, ...counts } = r.actionItems;
    expect(counts).toEqual({
      total: 12,
      open: 6,
      overdue: 5,
      done: 4,
      wontDo: 2,
      doneWithDue: 2,
      doneOnTime: 1,
      onTimeRate: 0.5,
    });
    expect(overdueItems.map((o) => `${o.record} ${o.id} ${o.daysOverdue}`)).toEqual([
      "PRB-1 P 29",
      "INC-A A9 10",
      "INC-B A1 10",
      "INC-B A2 10",
      "INC-B A3 1",
    ]);
    expect(overdueItems[2]).toEqual({
      record: "INC-B",
      id: "A1",
      title: "Action A1",
      owner: "jlee",
      due: "2026-06-20",
      status: "in_progress",
      daysOverdue: 10,
    });
    expect(
      stats([inc("a", { action_items: [item("x", { status: "done" })] })]).actionItems.onTimeRate,
    ).toBeUndefined();
  });
});

describe("metrics: problems and services", () => {
  it("recurrence from either side of the link, counted incidents only, most first then by id", () => {
    const r = stats(
      [
        inc("I1", { problem_refs: ["PRB-2"] }),
        inc("I2"),
        inc("I3", { mode: "gameday", problem_refs: ["PRB-2"] }),
        inc("I4", { status: "canceled", problem_refs: ["PRB-3"] }),
      ],
      [prb("PRB-3"), prb("PRB-2", { incident_refs: ["I2"] }), prb("PRB-1", { incident_refs: ["I1"] })],
    );
    expect(r.problems).toEqual([
      { id: "PRB-2", title: "Problem PRB-2", status: "known_error", incidents: 2, linked: 3 },
      { id: "PRB-1", title: "Problem PRB-1", status: "known_error", incidents: 1, linked: 1 },
      { id: "PRB-3", title: "Problem PRB-3", status: "known_error", incidents: 0, linked: 1 },
    ]);
  });

  it("time between failures per service: sorted detections, each service once per incident", () => {
    const d = (id: string, detected: string, services: string[]) =>
      inc(id, { services, timestamps: { detected_at: detected } });
    const r = stats([
      d("a", "2026-06-10T00:00:00Z", ["web", "web"]),
      d("b", "2026-06-01T00:00:00Z", ["web", "api"]),
      d("c", "2026-06-04T00:00:00Z", ["web"]),
      d("e", "2026-06-02T00:00:00Z", ["db"]),
      inc("f", { services: ["web"] }),
    ]);
    expect(r.services).toEqual([
      {
        service: "web",
        incidents: 3,
        gaps: 2,
        medianGapMs: 4.5 * 24 * H,
        lastDetected: "2026-06-10T00:00:00Z",
      },
      { service: "api", incidents: 1, gaps: 0, medianGapMs: undefined, lastDetected: "2026-06-01T00:00:00Z" },
      { service: "db", incidents: 1, gaps: 0, medianGapMs: undefined, lastDetected: "2026-06-02T00:00:00Z" },
    ]);
  });
});

describe("metrics: groups", () => {
  it("by severity: config order, then others by name, (none) last, labelled with the severity's name", () => {
    const r = stats(
      [
        inc("a", { severity: "SEV3" }),
        inc("b"),
        inc("c", { severity: "ZZ" }),
        inc("d", { severity: "AA" }),
        inc("e", { severity: "SEV1" }),
      ],
      [],
      { by: "severity" },
    );
    expect(r.by).toBe("severity");
    expect(r.groups.map((g) => [g.key, g.label, g.incidents])).toEqual([
      ["SEV1", "SEV1 Critical", 1],
      ["SEV3", "SEV3 Incident", 1],
      ["AA", "AA", 1],
      ["ZZ", "ZZ", 1],
      ["(none)", "(none)", 1],
    ]);
  });

  it("by category and service: most incidents first, then by name, (none) last, each once per incident", () => {
    const r = stats(
      [
        inc("a", { categories: ["ops.data", "ops.data"] }),
        inc("b", { categories: ["ops.change", "ops.data"] }),
        inc("c", { categories: [] }),
        inc("d", { categories: ["ops.capacity"] }),
      ],
      [],
      { by: "category" },
    );
    expect(r.groups.map((g) => [g.key, g.incidents])).toEqual([
      ["ops.data", 2],
      ["ops.capacity", 1],
      ["ops.change", 1],
      ["(none)", 1],
    ]);
    const s = stats([inc("a", { services: ["x"] }), inc("b"), inc("c", { services: ["y", "x"] })], [], {
      by: "service",
    });
    expect(s.groups.map((g) => [g.key, g.incidents])).toEqual([
      ["x", 2],
      ["y", 1],
      ["(none)", 1],
    ]);
  });

  it("by problem: by id, (none) last", () => {
    const r = stats(
      [inc("a", { problem_refs: ["PRB-9"] }), inc("b"), inc("c", { problem_refs: ["PRB-9", "PRB-1"] })],
      [],
      { by: "problem" },
    );
    expect(r.groups.map((g) => [g.key, g.incidents])).toEqual([
      ["PRB-1", 1],
      ["PRB-9", 2],
      ["(none)", 1],
    ]);
  });

  it("by month: every month from the first to the last, then (none); nothing without dated incidents", () => {
    const r = stats(
      [
        inc("a", { timestamps: { declared_at: "2026-01-15T00:00:00Z" } }),
        inc("b", { timestamps: { declared_at: "2026-03-31T23:00:00Z" } }),
        inc("c"),
      ],
      [],
      { by: "month" },
    );
    expect(r.groups.map((g) => [g.key, g.incidents])).toEqual([
      ["2026-01", 1],
      ["2026-02", 0],
      ["2026-03", 1],
      ["(none)", 1],
    ]);
    expect(stats([inc("c")], [], { by: "month" }).groups.map((g) => g.key)).toEqual(["(none)"]);
    expect(stats([], [], { by: "month" }).groups).toEqual([]);
  });
});

describe("metrics: slim copies", () => {
  it("keep what stats and lists read, and only the moves to resolved", () => {
    const full = inc("INC-1", {
      mode: "standard",
      severity: "SEV2",
      priority: "P2",
      summary: "dropped",
      categories: ["ops.data"],
      services: ["web"],
      roles: { incident_commander: "alice", scribe: "bob" } as never,
      timestamps: { declared_at: "2026-06-01T00:00:00Z" },
      timeline: [
        { at: "2026-06-01T01:00:00Z", type: "note", text: "hello", to: "resolved" } as never,
        {
          at: "2026-06-01T02:00:00Z",
          type: "status_change",
          text: "x",
          from: "in_progress",
          to: "resolved",
          actor: "a",
        },
        { at: "2026-06-01T03:00:00Z", type: "status_change", text: "y", from: "resolved", to: "closed" },
      ],
      action_items: [{ ...item("A", { due: "2026-07-01" }), notes: "dropped" } as never],
      problem_refs: ["PRB-1"],
    });
    expect(slimIncident(full)).toStrictEqual({
      schema_version: 1,
      id: "INC-1",
      title: "Incident INC-1",
      status: "closed",
      mode: "standard",
      severity: "SEV2",
      priority: "P2",
      categories: ["ops.data"],
      services: ["web"],
      roles: { incident_commander: "alice" },
      timestamps: { declared_at: "2026-06-01T00:00:00Z" },
      timeline: [
        { at: "2026-06-01T02:00:00Z", type: "status_change", text: "", from: "in_progress", to: "resolved" },
      ],
      action_items: [
        {
          id: "A",
          title: "Action A",
          class: "prevent",
          owner: "jlee",
          due: "2026-07-01",
          status: "open",
          completed_at: undefined,
        },
      ],
      problem_refs: ["PRB-1"],
    });
    expect(slimIncident(inc("x", { roles: { scribe: "b" } as never })).roles).toBeUndefined();
    expect(slimIncident({ ...inc("x"), timeline: undefined } as unknown as Incident).timeline).toEqual([]);
  });

  it("a slim problem keeps its links, owner and action items", () => {
    const p = prb("PRB-1", {
      owner: "alice",
      services: ["web"],
      categories: ["ops.data"],
      incident_refs: ["INC-1"],
      root_cause: "dropped",
      action_items: [item("A", {})],
    });
    expect(slimProblem(p)).toStrictEqual({
      schema_version: 1,
      id: "PRB-1",
      title: "Problem PRB-1",
      status: "known_error",
      owner: "alice",
      services: ["web"],
      categories: ["ops.data"],
      incident_refs: ["INC-1"],
      timestamps: {},
      action_items: [
        {
          id: "A",
          title: "Action A",
          class: "prevent",
          owner: "jlee",
          due: undefined,
          status: "open",
          completed_at: undefined,
        },
      ],
    });
  });
});
