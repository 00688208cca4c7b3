// The metrics core on a hand-made fixture whose answers are worked out by hand below: offsets other
// than Z, a daylight-saving change, missing timestamps, a reopened incident, an excluded game day,
// response-target breaches (one still open), action items judged in the configured zone, recurrence.

import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import { mergeConfig } from "../src/config/merge.js";
import type { Config } from "../src/config/types.js";
import { UsageError } from "../src/diagnostics/errors.js";
import { computeStats, lastResolution } from "../src/metrics/compute.js";
import { csvField, formatList, formatStats, statsJson } from "../src/metrics/format.js";
import { checkListFilters, computeList } from "../src/metrics/list.js";
import { excludedModes, parseIncludeModes } from "../src/metrics/modes.js";
import { median, monthRange, percentile } from "../src/metrics/summary.js";
import type { ActionItem, Incident, Problem, TimelineEntry } from "../src/model/types.js";

const M = 60_000;
const H = 60 * M;
const D = 24 * H;

const config: Config = mergeConfig({ timezone: "Europe/Berlin" });

function incident(id: string, fields: Partial<Incident>): Incident {
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

const change = (at: string, from: TimelineEntry["from"], to: TimelineEntry["to"]): TimelineEntry => ({
  at,
  type: "status_change",
  text: "",
  from,
  to,
});

// A: across the Berlin spring-forward (2026-03-29 02:00 CET -> 03:00 CEST). Wall clock 01:30 -> 03:30
// is two hours, the real time to resolve is one.
const A = incident("INC-2026-0001", {
  severity: "SEV1",
  services: ["checkout-api"],
  categories: ["ops.change"],
  timestamps: {
    impact_started_at: "2026-03-29T01:20:00+01:00", // 00:20Z
    detected_at: "2026-03-29T01:30:00+01:00", // 00:30Z  TTD 10m
    acknowledged_at: "2026-03-29T01:35:00+01:00", // TTA 5m
    mitigated_at: "2026-03-29T03:10:00+02:00", // 01:10Z  TTM 40m
    impact_ended_at: "2026-03-29T03:05:00+02:00", // 01:05Z  impact 45m
    resolved_at: "2026-03-29T03:30:00+02:00", // 01:30Z  TTR 1h
    closed_at: "2026-04-02T03:30:00+02:00", // review 4d
  },
  action_items: [
    // 22:30Z is already 00:30 on the 11th in Berlin: late there, though on time in UTC.
    item("AI-1", { status: "done", due: "2026-04-10", completed_at: "2026-04-10T22:30:00Z" }),
    item("AI-2", { status: "done", due: "2026-04-30", completed_at: "2026-04-20T10:00:00Z" }),
  ],
});

// B: offsets of -05:00, resolved but not closed (no review latency yet).
const B = incident("INC-2026-0002", {
  severity: "SEV2",
  status: "resolved",
  services: ["checkout-api"],
  categories: ["ops.capacity"],
  timestamps: {
    impact_started_at: "2026-05-10T07:40:00-05:00", // 12:40Z  TTD 20m
    detected_at: "2026-05-10T08:00:00-05:00", // 13:00Z
    acknowledged_at: "2026-05-10T13:10:00Z", // TTA 10m
    impact_ended_at: "2026-05-10T14:55:00Z", // impact 2h 15m
    mitigated_at: "2026-05-10T15:00:00Z", // TTM 2h
    resolved_at: "2026-05-10T17:00:00Z", // TTR 4h
  },
  action_items: [item("AI-1", { status: "done", completed_at: "2026-05-11T10:00:00Z" })],
});

// C: resolved, reopened, resolved again. resolved_at keeps the first resolution (2h); the last one
// (30h) is in the timeline. No impact timestamps: TTD and impact are missing.
const C = incident("INC-2026-0003", {
  severity: "SEV2",
  status: "resolved",
  services: ["checkout-api", "search"],
  categories: ["ops.change", "ops.performance"],
  timestamps: {
    detected_at: "2026-06-01T10:00:00Z",
    acknowledged_at: "2026-06-01T10:30:00Z", // TTA 30m
    mitigated_at: "2026-06-01T11:00:00Z", // TTM 1h
    resolved_at: "2026-06-01T12:00:00Z",
  },
  timeline: [
    change("2026-06-01T10:30:00Z", "new", "in_progress"),
    change("2026-06-01T12:00:00Z", "in_progress", "resolved"),
    change("2026-06-02T09:00:00Z", "resolved", "in_progress"),
    change("2026-06-02T16:00:00Z", "in_progress", "resolved"), // TTR 30h
  ],
  problem_refs: ["PRB-2026-0001"],
});

// D: no mitigation recorded; closed.
const D_ = incident("INC-2026-0004", {
  severity: "SEV3",
  services: ["search"],
  categories: ["sec.phishing"],
  timestamps: {
    impact_started_at: "2026-07-01T08:00:00+02:00", // TTD 1h
    detected_at: "2026-07-01T09:00:00+02:00",
    acknowledged_at: "2026-07-01T09:20:00+02:00", // TTA 20m
    impact_ended_at: "2026-07-01T10:00:00+02:00", // impact 2h
    resolved_at: "2026-07-01T15:00:00+02:00", // TTR 6h
    closed_at: "2026-07-03T15:00:00+02:00", // review 2d
  },
  action_items: [
    item("AI-1", { status: "open", due: "2026-11-26" }), // overdue by a day in Berlin
    item("AI-2", { status: "in_progress", due: "2026-11-27" }), // due today: not overdue
    item("AI-3", { status: "wont_do", due: "2026-08-01" }),
  ],
});

// E: still in progress, acknowledged after 2h, neither mitigated nor resolved.
const E = incident("INC-2026-0005", {
  severity: "SEV3",
  status: "in_progress",
  services: ["checkout-api"],
  timestamps: {
    detected_at: "2026-11-20T10:00:00Z",
    acknowledged_at: "2026-11-20T12:00:00Z", // TTA 2h
  },
});

// F: a game day, left out unless asked for; TTR 100h.
const F = incident("INC-2026-0006", {
  severity: "SEV1",
  mode: "gameday",
  services: ["checkout-api"],
  timestamps: {
    detected_at: "2026-08-01T00:00:00Z",
    acknowledged_at: "2026-08-01T00:01:00Z",
    resolved_at: "2026-08-05T04:00:00Z",
  },
  problem_refs: ["PRB-2026-0001"],
});

const P: Problem = {
  schema_version: 1,
  id: "PRB-2026-0001",
  title: "Checkout deploys without a canary",
  status: "known_error",
  incident_refs: ["INC-2026-0001", "INC-2026-0003"],
  timestamps: { created_at: "2026-06-03T09:00:00Z" },
};

// 00:30 on 27 November in Berlin, still the 26th in UTC.
const now = new Date("2026-11-26T23:30:00Z");
const input = { incidents: [A, B, C, D_, E, F], problems: [P], config, now };

describe("order statistics", () => {
  it("median is the middle value, or the mean of the two middle values", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  it("p90 is the nearest rank: the value at rank ceil(0.9 n)", () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10); // ceil(9.9) = 10
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([2, 1], 90)).toBe(2); // ceil(1.8) = 2
  });
});

describe("computeStats", () => {
  const r = computeStats(input);
  const m = r.overall.metrics;

  it("leaves the game day out and counts the rest", () => {
    expect(r.counts).toEqual({
      incidents: 6,
      counted: 5,
      excludedModes: { gameday: 1 },
      outsideWindow: 0,
      dismissed: 0,
      problems: 1,
    });
    expect(r.byStatus).toEqual([
      { status: "in_progress", incidents: 1 },
      { status: "resolved", incidents: 2 },
      { status: "closed", incidents: 2 },
    ]);
    expect(r.overall.open).toBe(1);
  });

  it("a canceled duplicate and a false positive are in the status counts and nowhere else", () => {
    const dup = incident("INC-2026-0090", {
      status: "canceled",
      determination: "duplicate",
      severity: "SEV1",
      services: ["checkout-api"],
      problem_refs: [input.problems[0]?.id as string],
      timestamps: { detected_at: "2026-04-01T10:00:00Z", acknowledged_at: "2026-04-01T11:00:00Z" },
      action_items: [item("AI-1", { due: "2026-04-02" })],
    });
    const fp = incident("INC-2026-0091", {
      status: "closed",
      determination: "false_positive",
      severity: "SEV2",
      services: ["checkout-api"],
      timestamps: { detected_at: "2026-04-02T10:00:00Z", acknowledged_at: "2026-04-02T12:00:00Z" },
    });
    const withThem = computeStats({ ...input, incidents: [...input.incidents, dup, fp] });
    expect(withThem.counts).toMatchObject({ incidents: 8, counted: 5, dismissed: 2 });
    expect(withThem.byStatus).toEqual([
      { status: "in_progress", incidents: 1 },
      { status: "resolved", incidents: 2 },
      { status: "closed", incidents: 3 },
      { status: "canceled", incidents: 1 },
    ]);
    // Every number but the status counts is what it was without them.
    expect(withThem.overall).toEqual(r.overall);
    expect(withThem.targets).toEqual(r.targets);
    expect(withThem.breaches).toEqual(r.breaches);
    expect(withThem.actionItems).toEqual(r.actionItems);
    // Recurrence counts failures; `linked` still shows every link.
    expect(withThem.problems.map((p) => p.incidents)).toEqual(r.problems.map((p) => p.incidents));
    expect(withThem.problems[0]?.linked).toBe((r.problems[0]?.linked as number) + 1);
    expect(withThem.services).toEqual(r.services);
  });

  it("TTR: real time across the DST change, the last resolution of the reopened incident", () => {
    // A 1h, B 4h, C 30h (last resolution), D 6h; E missing.
    expect(m.ttr).toEqual({ n: 4, median: 5 * H, p90: 30 * H, mean: 10.25 * H, missing: 1, negative: 0 });
  });

  it("TTA, TTD, TTM, impact and review latency with missing timestamps", () => {
    // 5m, 10m, 30m, 20m, 2h -> sorted 5, 10, 20, 30, 120.
    expect(m.tta).toEqual({ n: 5, median: 20 * M, p90: 120 * M, mean: 37 * M, missing: 0, negative: 0 });
    // A 10m, B 20m, D 1h; C and E have no impact start.
    expect(m.ttd).toEqual({ n: 3, median: 20 * M, p90: 60 * M, mean: 30 * M, missing: 2, negative: 0 });
    // A 40m, B 2h, C 1h.
    expect(m.ttm).toEqual({
      n: 3,
      median: 60 * M,
      p90: 120 * M,
      mean: (220 / 3) * M,
      missing: 2,
      negative: 0,
    });
    // A 45m, B 2h15m, D 2h.
    expect(m.impact).toEqual({ n: 3, median: 120 * M, p90: 135 * M, mean: 100 * M, missing: 2, negative: 0 });
    // A 4d (spring-forward inside does not matter), D 2d.
    expect(m.review).toEqual({ n: 2, median: 3 * D, p90: 4 * D, mean: 3 * D, missing: 3, negative: 0 });
  });

  it("counts excluded modes when asked", () => {
    const all = computeStats(input, { includeModes: ["gameday"] });
    expect(all.counts.counted).toBe(6);
    // 1h, 4h, 6h, 30h, 100h.
    expect(all.overall.metrics.ttr).toMatchObject({ n: 5, median: 6 * H, p90: 100 * H });
  });

  it("uses the last resolution of a reopened incident, and none while it is open again", () => {
    expect(lastResolution(C, config)).toBe("2026-06-02T16:00:00Z");
    expect(lastResolution({ ...C, status: "in_progress" }, config)).toBeUndefined();
    expect(lastResolution(A, config)).toBe("2026-03-29T03:30:00+02:00");
  });

  it("groups by severity in config order", () => {
    const g = computeStats(input, { by: "severity" }).groups;
    expect(g.map((x) => [x.key, x.label, x.incidents, x.open])).toEqual([
      ["SEV1", "SEV1 Critical", 1, 0],
      ["SEV2", "SEV2 Significant", 2, 0],
      ["SEV3", "SEV3 Incident", 2, 1],
    ]);
    expect(g[1]?.metrics.ttr.median).toBe(17 * H); // (4h + 30h) / 2
  });

  it("groups by month in the configured zone, with empty months", () => {
    const g = computeStats(input, { by: "month" }).groups;
    expect(g.map((x) => [x.key, x.incidents])).toEqual([
      ["2026-03", 1],
      ["2026-04", 0],
      ["2026-05", 1],
      ["2026-06", 1],
      ["2026-07", 1],
      ["2026-08", 0],
      ["2026-09", 0],
      ["2026-10", 0],
      ["2026-11", 1],
    ]);
  });

  it("groups by category, service and problem; an incident counts in each of its groups", () => {
    const cat = computeStats(input, { by: "category" }).groups.map((x) => [x.key, x.incidents]);
    expect(cat).toEqual([
      ["ops.change", 2],
      ["ops.capacity", 1],
      ["ops.performance", 1],
      ["sec.phishing", 1],
      ["(none)", 1],
    ]);
    const prb = computeStats(input, { by: "problem" }).groups.map((x) => [x.key, x.incidents]);
    expect(prb).toEqual([
      ["PRB-2026-0001", 2],
      ["(none)", 3],
    ]);
  });

  it("filters by date: --since is inclusive, --until exclusive", () => {
    const w = computeStats(input, {
      since: new Date("2026-06-01T10:00:00Z"),
      until: new Date("2026-07-01T07:00:00Z"),
    });
    expect(w.counts.counted).toBe(1); // C only; D is detected exactly at `until`.
    expect(w.counts.outsideWindow).toBe(4);
  });

  it("reports response-target breaches, including open incidents past their target", () => {
    const open = now.getTime() - Date.parse("2026-11-20T10:00:00Z"); // 6d 13h 30m
    expect(r.breaches.map((b) => [b.id, b.target, b.tookMs, b.overMs, b.ongoing])).toEqual([
      ["INC-2026-0003", "acknowledge", 30 * M, 15 * M, false],
      ["INC-2026-0003", "resolve", 30 * H, 6 * H, false],
      ["INC-2026-0005", "acknowledge", 2 * H, 1 * H, false],
      ["INC-2026-0005", "mitigate", open, open - 24 * H, true],
      ["INC-2026-0005", "resolve", open, open - 3 * D, true],
    ]);
    const row = (sev: string, t: string) => r.targets.find((x) => x.severity === sev && x.target === t);
    expect(row("SEV2", "resolve")).toMatchObject({
      limit: "PT24H",
      measured: 2,
      breached: 1,
      notMeasured: 0,
    });
    // D was resolved without a mitigation time: not measured.
    expect(row("SEV3", "mitigate")).toMatchObject({ measured: 1, breached: 1, notMeasured: 1 });
    expect(row("SEV1", "acknowledge")).toMatchObject({ measured: 1, breached: 0 }); // exactly 5m is met
  });

  it("judges action items in the configured zone", () => {
    expect(r.actionItems).toMatchObject({
      total: 6,
      open: 2,
      overdue: 1,
      done: 3,
      wontDo: 1,
      doneWithDue: 2,
      doneOnTime: 1,
      onTimeRate: 0.5,
    });
    expect(r.actionItems.overdueItems).toEqual([
      {
        record: "INC-2026-0004",
        id: "AI-1",
        title: "Action AI-1",
        owner: "jlee",
        due: "2026-11-26",
        status: "open",
        daysOverdue: 1,
      },
    ]);
    // The same clock in UTC is still the 26th: nothing is overdue, and AI-1 of A was on time.
    const utc = computeStats({ ...input, config: { ...config, timezone: "UTC" } });
    expect(utc.actionItems).toMatchObject({ overdue: 0, doneOnTime: 2 });
  });

  it("counts incidents per problem from both sides of the link, counted ones only", () => {
    expect(r.problems).toEqual([
      {
        id: "PRB-2026-0001",
        title: "Checkout deploys without a canary",
        status: "known_error",
        incidents: 2,
        linked: 3,
      },
    ]);
  });

  it("computes the median time between failures per service", () => {
    const gaps = [
      Date.parse("2026-05-10T13:00:00Z") - Date.parse("2026-03-29T00:30:00Z"),
      Date.parse("2026-06-01T10:00:00Z") - Date.parse("2026-05-10T13:00:00Z"),
      Date.parse("2026-11-20T10:00:00Z") - Date.parse("2026-06-01T10:00:00Z"),
    ].sort((a, b) => a - b);
    expect(r.services[0]).toEqual({
      service: "checkout-api",
      incidents: 4,
      gaps: 3,
      medianGapMs: gaps[1],
      lastDetected: "2026-11-20T11:00:00+01:00",
    });
    expect(r.services[1]).toMatchObject({ service: "search", incidents: 2, gaps: 1 });
  });

  it("follows metrics.definitions from the config", () => {
    const custom = mergeConfig({
      timezone: "Europe/Berlin",
      metrics: { definitions: { ttr: { end: "mitigated_at" } } },
    });
    const c = computeStats({ ...input, config: custom });
    expect(c.definitions.find((d) => d.id === "ttr")).toMatchObject({
      start: "detected_at",
      end: "mitigated_at",
    });
    expect(c.overall.metrics.ttr).toMatchObject({ n: 3, median: 60 * M });
    // The built-in definitions are untouched.
    expect(defaultConfig.metrics.definitions?.ttr).toEqual({ start: "detected_at", end: "resolved_at" });
  });

  it("leaves out negative durations and says so", () => {
    const bad = incident("INC-2026-0009", {
      severity: "SEV4",
      timestamps: { detected_at: "2026-01-01T10:00:00Z", acknowledged_at: "2026-01-01T09:00:00Z" },
    });
    const s = computeStats({ ...input, incidents: [bad] });
    expect(s.overall.metrics.tta).toMatchObject({ n: 0, negative: 1, missing: 0 });
    // Nor does a negative time meet a target: it is not measured.
    expect(s.targets.find((t) => t.severity === "SEV4" && t.target === "acknowledge")).toMatchObject({
      measured: 0,
      breached: 0,
      notMeasured: 1,
    });
  });
});

describe("stats output", () => {
  const r = computeStats(input, { by: "severity" });

  it("prints human durations in the table and seconds in JSON", () => {
    const text = formatStats(r, "table");
    expect(text).toMatch(/Time to resolve \(TTR\)\s+4\s+5h\s+1d 6h\s+10h 15m\s+1 missing/);
    const json = statsJson(r);
    expect(json.unit).toBe("seconds");
    expect(json.overall.metrics.ttr).toEqual({
      n: 4,
      median: 18000,
      p90: 108000,
      mean: 36900,
      missing: 1,
      negative: 0,
    });
    expect(JSON.parse(formatStats(r, "json"))).toEqual(JSON.parse(JSON.stringify(json)));
  });

  it("writes GitHub tables with escaped cells", () => {
    const hostile = computeStats({
      ...input,
      incidents: [{ ...C, title: "Pay | fail @here #12 <b>x</b>" }],
    });
    const md = formatStats(hostile, "md");
    expect(md).toContain("| Incident | Severity | Target | Took | Limit | Over by | Title |");
    expect(md).toContain("Pay &#124; fail &#64;\u200bhere &#35;\u200b12 &#60;b&#62;x&#60;/b&#62;");
    expect(md).not.toContain("<b>");
  });

  it("writes CSV that a CSV parser reads back, titles intact", () => {
    const title = 'Checkout "down", again\nsecond line';
    const s = computeStats({ ...input, incidents: [{ ...C, title }] });
    const rows = parse(formatStats(s, "csv"), { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0] ?? {})).toEqual(["section", "group", "item", "field", "value"]);
    const titleRow = rows.find((x) => x.section === "breach" && x.field === "title");
    expect(titleRow?.value).toBe(title);
    const ttr = rows.find(
      (x) => x.section === "metric" && x.group === "all" && x.item === "ttr" && x.field === "median_seconds",
    );
    expect(ttr?.value).toBe("108000");
  });
});

describe("list", () => {
  it("lists newest first, problems separately, with filters", () => {
    const l = computeList([A, B, C, D_, E, F], [P], config);
    expect(l.incidents.map((i) => i.id)).toEqual([
      "INC-2026-0005",
      "INC-2026-0006",
      "INC-2026-0004",
      "INC-2026-0003",
      "INC-2026-0002",
      "INC-2026-0001",
    ]);
    expect(l.problems.map((p) => [p.id, p.incidents])).toEqual([
      ["PRB-2026-0001", ["INC-2026-0001", "INC-2026-0003", "INC-2026-0006"]],
    ]);
    const open = computeList([A, B, C, D_, E, F], [P], config, { open: true });
    expect(open.incidents.map((i) => i.id)).toEqual(["INC-2026-0005"]);
    expect(open.problems.map((p) => p.id)).toEqual(["PRB-2026-0001"]);
    const sec = computeList([A, B, C, D_, E, F], [P], config, { category: "sec" });
    expect(sec.incidents.map((i) => i.id)).toEqual(["INC-2026-0004"]);
    expect(sec.problems).toEqual([]);
    const sev = computeList([A, B, C, D_, E, F], [P], config, {
      severities: ["SEV2"],
      statuses: ["resolved"],
    });
    expect(sev.incidents.map((i) => i.id)).toEqual(["INC-2026-0003", "INC-2026-0002"]);
    expect(sev.problems).toEqual([]); // problems have no severity
    const window = computeList([A, B, C, D_, E, F], [P], config, {
      kind: "incident",
      since: new Date("2026-06-01T00:00:00Z"),
      until: new Date("2026-08-01T00:00:00Z"),
    });
    expect(window.incidents.map((i) => i.id)).toEqual(["INC-2026-0004", "INC-2026-0003"]);
    expect(window.problems).toEqual([]);
  });

  it("checks filters against the config", () => {
    expect(
      checkListFilters(
        { statuses: ["known_error", "closed"], category: "ops", severities: ["SEV1"] },
        config,
      ),
    ).toEqual([]);
    const errors = checkListFilters(
      { kind: "incident", statuses: ["known_error"], severities: ["SEV9"], category: "nope", service: "x" },
      mergeConfig({ services: [{ id: "checkout-api", name: "Checkout" }] }),
    );
    expect(errors).toHaveLength(4);
    expect(errors[0]).toContain("unknown status `known_error`");
  });

  it("writes CSV with RFC 4180 quoting and neutralised formulas", () => {
    const titles = [
      'Comma, "quotes"\r\nand a new line',
      '=HYPERLINK("http://x")',
      "+1",
      "-1",
      "@SUM(A1)",
      "\tTab",
      "Plain",
    ];
    const incidents = titles.map((title, i) =>
      incident(`INC-2026-00${10 + i}`, { title, timestamps: { detected_at: `2026-01-0${i + 1}T00:00:00Z` } }),
    );
    const text = formatList(computeList(incidents, [], config), "csv");
    expect(text.endsWith("\r\n")).toBe(true);
    const rows = parse(text, { columns: true, relax_column_count: false }) as Array<Record<string, string>>;
    expect(rows.map((x) => x.title).reverse()).toEqual([
      titles[0],
      '\'=HYPERLINK("http://x")',
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tTab",
      "Plain",
    ]);
    expect(csvField(42)).toBe("42");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });

  it("prints an aligned table with one row per record", () => {
    const text = formatList(computeList([{ ...A, title: "Two\nlines" }, B], [P], config), "table");
    const lines = text.split("\n");
    expect(lines[0]).toBe("Incidents (2)");
    expect(text).toContain("Two lines");
    expect(text).toContain("Problems (1)");
    const header = lines[2] as string;
    const row = lines[4] as string;
    expect(row.indexOf("SEV")).toBe(header.indexOf("Severity"));
  });
});

describe("list with one kind", () => {
  it("says so when no problem matches --kind problem", () => {
    const text = formatList(computeList([A], [], config, { kind: "problem" }), "table");
    expect(text).toBe("Problems (0)\n------------\nNo problems match.\n");
  });
});

describe("monthRange", () => {
  it("lists every month across a year end, and gives up on spans too long to draw", () => {
    expect(monthRange("2025-11", "2026-02")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(monthRange("2026-03", "2026-03")).toEqual(["2026-03"]);
    expect(monthRange("0001-01", "0001-02")).toEqual(["0001-01", "0001-02"]);
    expect(monthRange("1926-01", "2025-12")).toHaveLength(1200);
    expect(monthRange("0001-01", "2026-11")).toBeUndefined();
  });
});

describe("months too many to list", () => {
  // A record dated in year 1 (a typo) and one in 2026: 24,315 months apart.
  const old = incident("INC-2026-0101", {
    severity: "SEV3",
    timestamps: { detected_at: "0001-03-01T10:00:00Z" },
  });
  const now = incident("INC-2026-0102", {
    severity: "SEV3",
    timestamps: { detected_at: "2026-05-01T10:00:00Z" },
  });
  const r = computeStats(
    { incidents: [old, now], problems: [], config, now: new Date("2026-06-01T00:00:00Z") },
    { by: "month" },
  );

  it("lists the months with incidents and says so in every format, never a silent drop", () => {
    expect(r.groups.map((g) => g.key)).toEqual(["0001-03", "2026-05"]);
    expect(r.monthsCut).toEqual({ first: "0001-03", last: "2026-05", span: 24303 });
    expect(formatStats(r, "table")).toContain("0001-03 to 2026-05, 24303 months, more than 1200");
    expect(formatStats(r, "md")).toContain("only the months with incidents are listed");
    expect(statsJson(r).months_cut).toEqual({ first: "0001-03", last: "2026-05", span: 24303 });
    const rows = parse(formatStats(r, "csv"), { columns: true }) as Array<Record<string, string>>;
    expect(rows.filter((x) => x.section === "months_cut").map((x) => [x.field, x.value])).toEqual([
      ["first", "0001-03"],
      ["last", "2026-05"],
      ["span", "24303"],
    ]);
  });

  it("a span that can be listed lists every month and reports no cut", () => {
    const short = computeStats(
      { ...{ incidents: [now], problems: [], config, now: new Date("2026-06-01T00:00:00Z") } },
      { by: "month" },
    );
    expect(short.monthsCut).toBeUndefined();
    expect(statsJson(short)).not.toHaveProperty("months_cut");
  });
});

describe("undated incidents in lists", () => {
  it("are listed last (by id), never as 1970-01-01 between older and newer ones", () => {
    const undated = incident("INC-2026-0201", { timestamps: {} });
    const undated2 = incident("INC-2026-0202", { timestamps: {} });
    const y1969 = incident("INC-1969-0001", { timestamps: { detected_at: "1969-07-20T20:17:00Z" } });
    const y2026 = incident("INC-2026-0001", { timestamps: { detected_at: "2026-03-01T10:00:00Z" } });
    const l = computeList([undated, y1969, undated2, y2026], [], config);
    expect(l.incidents.map((i) => i.id)).toEqual([
      "INC-2026-0001",
      "INC-1969-0001",
      "INC-2026-0202",
      "INC-2026-0201",
    ]);
  });
});

describe("the customer impact duration in stats", () => {
  it("is a metric of its own in every format", () => {
    const inc = incident("INC-2026-0301", {
      severity: "SEV2",
      timestamps: { impact_started_at: "2026-03-01T10:00:00Z", impact_ended_at: "2026-03-01T10:45:00Z" },
    });
    const r = computeStats(
      { incidents: [inc], problems: [], config, now: new Date("2026-06-01T00:00:00Z") },
      { by: "severity" },
    );
    expect(r.overall.metrics.impact).toMatchObject({ n: 1, median: 45 * M });
    expect(formatStats(r, "table")).toMatch(/Customer impact duration \(Impact\)\s+1\s+45m/);
    expect(statsJson(r).overall.metrics.impact?.median).toBe(45 * 60);
  });
});

describe("one include switch", () => {
  it("excludedModes: the config's list less the included modes; parseIncludeModes checks the words", () => {
    expect([...excludedModes(defaultConfig)]).toEqual(["test", "gameday", "retrospective"]);
    expect([...excludedModes(defaultConfig, ["retrospective"])]).toEqual(["test", "gameday"]);
    expect(parseIncludeModes(undefined)).toEqual([]);
    expect(parseIncludeModes(" gameday, retrospective,gameday")).toEqual(["gameday", "retrospective"]);
    for (const bad of ["", ",", "live", "__proto__"])
      expect(() => parseIncludeModes(bad)).toThrow(UsageError);
  });

  it("stats counts a retrospective record only when included", () => {
    const retro = incident("INC-2019-0001", {
      mode: "retrospective",
      severity: "SEV1",
      timestamps: { detected_at: "2019-06-02T10:00:00Z", resolved_at: "2019-06-02T12:00:00Z" },
    });
    const at = { problems: [], config, now: new Date("2026-06-01T00:00:00Z") };
    expect(computeStats({ ...at, incidents: [retro] }).counts).toMatchObject({
      counted: 0,
      excludedModes: { retrospective: 1 },
    });
    expect(
      computeStats({ ...at, incidents: [retro] }, { includeModes: ["retrospective"] }).counts.counted,
    ).toBe(1);
  });
});
