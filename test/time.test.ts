// The one clock: parseInstant (the rules' parser) and the schema's `date-time` format accept exactly
// the same strings, in process and in the precompiled validators of dist/schemas; parseTime refuses
// CLI times that would roll over; metrics and reminders never compute NaN from a time they cannot read.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defaultConfig } from "../src/config/defaults.js";
import { parseInstant, parseTime, TimeError } from "../src/lifecycle/time.js";
import { computeStats } from "../src/metrics/compute.js";
import type { Incident } from "../src/model/types.js";
import { computeReminders } from "../src/reminders/compute.js";
import { createAjv } from "../src/schema/ajv.js";
import { checkIncident } from "../src/validate/semantic.js";
import { repoRoot } from "./helpers/cli.js";

const require = createRequire(import.meta.url);

/** Accepted, with the instant each one names (worked out by hand, not by Date.parse). */
const ACCEPTED: Array<[string, number]> = [
  ["2026-03-04T10:02:00Z", Date.UTC(2026, 2, 4, 10, 2)],
  ["2026-03-04T11:02:00+01:00", Date.UTC(2026, 2, 4, 10, 2)],
  ["2026-03-04T04:32:00-05:30", Date.UTC(2026, 2, 4, 10, 2)],
  ["2026-03-04T10:02:00-00:00", Date.UTC(2026, 2, 4, 10, 2)],
  ["2026-03-04t10:02:00z", Date.UTC(2026, 2, 4, 10, 2)],
  ["2026-03-04t10:02:00+01:00", Date.UTC(2026, 2, 4, 9, 2)],
  ["2026-03-04T10:02:00.5Z", Date.UTC(2026, 2, 4, 10, 2, 0, 500)],
  ["2026-03-04T10:02:00.123Z", Date.UTC(2026, 2, 4, 10, 2, 0, 123)],
  // Fractions below the millisecond are truncated, not rounded into the next second.
  ["2026-03-04T10:02:59.999999999Z", Date.UTC(2026, 2, 4, 10, 2, 59, 999)],
  ["2024-02-29T12:00:00Z", Date.UTC(2024, 1, 29, 12)],
  ["2000-02-29T12:00:00Z", Date.UTC(2000, 1, 29, 12)],
  ["2026-12-31T23:59:59+23:59", Date.UTC(2026, 11, 31, 0, 0, 59)],
  ["2026-01-01T00:00:00-23:59", Date.UTC(2026, 0, 1, 23, 59)],
  ["9999-12-31T23:59:59Z", 253_402_300_799_000],
  ["0000-01-01T00:00:00Z", -62_167_219_200_000],
  ["1970-01-01T00:00:00Z", 0],
];

const REFUSED = [
  "2026-11-10T10:00:00+00", // hour-only offset
  "2026-11-10T10:00:00+0000", // offset without colon
  "2026-11-10T10:00:00+01", //
  "2026-06-30T23:59:60Z", // leap second
  "2026-12-31T23:59:60Z",
  "2026-03-04 10:02:00Z", // space separator
  "2026-03-04T10:02:00", // no offset
  "2026-03-04T10:02Z", // no seconds
  "2026-03-04T10:02:00.Z", // empty fraction
  "2026-02-30T10:00:00Z",
  "2026-13-01T10:00:00Z",
  "2026-00-10T10:00:00Z",
  "2026-01-00T10:00:00Z",
  "2026-04-31T10:00:00Z",
  "2025-02-29T10:00:00Z",
  "1900-02-29T10:00:00Z",
  "2026-03-04T24:00:00Z",
  "2026-03-04T10:60:00Z",
  "2026-03-04T10:00:61Z",
  "2026-03-04T10:00:00+24:00",
  "2026-03-04T10:00:00+01:60",
  "10000-01-01T00:00:00Z",
  "-0001-01-01T00:00:00Z",
  "+002026-03-04T10:02:00Z",
  "2026-03-04T10:02:00Z\n",
  " 2026-03-04T10:02:00Z",
  "2026-03-04T10:02:00ZZ",
  "2026-03-04",
  "",
  "２０２６-03-04T10:02:00Z", // full-width digits are not \d in the pattern, and not digits here
];

describe("parseInstant", () => {
  it("reads RFC 3339 instants, lower-case t and z, fractions, offsets up to 23:59, years 0000-9999", () => {
    for (const [s, ms] of ACCEPTED) expect(parseInstant(s), s).toBe(ms);
  });

  it("refuses +00, +0000, 23:59:60, a space, impossible dates and times, and years outside 0000-9999", () => {
    for (const s of REFUSED) expect(parseInstant(s), s).toBeUndefined();
  });

  it("refuses non-strings", () => {
    for (const v of [undefined, null, 0, 1_700_000_000_000, true, {}, [], new Date(0)])
      expect(parseInstant(v)).toBeUndefined();
  });

  it("agrees with a Date built field by field for any valid date, time and offset (fixed seed)", () => {
    const pad = (n: number, w = 2) => String(n).padStart(w, "0");
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
        (y, mo, d, h, mi, s, off) => {
          const utc = new Date(0);
          utc.setUTCFullYear(y, mo - 1, d);
          utc.setUTCHours(h, mi, s, 0);
          const real = utc.getUTCDate() === d; // 2026-02-30 rolls over: not a date
          const sign = off < 0 ? "-" : "+";
          const a = Math.abs(off);
          const text = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
          expect(parseInstant(text), text).toBe(real ? utc.getTime() - off * 60_000 : undefined);
        },
      ),
      { seed: 20261205, numRuns: 2000 },
    );
  });
});

// Schema level: a valid record with one time swapped in, through the in-process ajv and through the
// precompiled standalone validator the build writes.
const record = parse(
  readFileSync(join(repoRoot, "test/fixtures/repo/incidents/2026/INC-2026-0001.yaml"), "utf8"),
) as Record<string, unknown>;
const withTime = (s: string) => {
  const r = structuredClone(record) as {
    timestamps: Record<string, string>;
    timeline: Array<{ at: string }>;
  };
  r.timestamps.impact_started_at = s;
  return r;
};

interface Validate {
  (data: unknown): boolean;
  errors?: Array<{ keyword: string; instancePath: string }> | null;
}
const inProcess = createAjv().compile(
  JSON.parse(readFileSync(join(repoRoot, "schemas/incident.schema.json"), "utf8")),
) as Validate;
const standalone = (): Validate => require(join(repoRoot, "dist/schemas/incident.cjs")).default as Validate;

function schemaVerdict(validate: Validate, s: string): "ok" | "format" | string {
  if (validate(withTime(s))) return "ok";
  const errs = validate.errors ?? [];
  // ("" also breaks minLength.)
  const here = errs.every((e) => e.instancePath === "/timestamps/impact_started_at");
  const format = here && errs.some((e) => e.keyword === "format");
  return format ? "format" : JSON.stringify(errs);
}

describe("the date-time format", () => {
  const all = [...ACCEPTED.map(([s]) => s), ...REFUSED];

  it("accepts exactly what parseInstant accepts (in-process ajv)", () => {
    expect(inProcess(record)).toBe(true);
    for (const s of all)
      expect(schemaVerdict(inProcess, s), s).toBe(parseInstant(s) === undefined ? "format" : "ok");
  });

  it("accepts exactly what parseInstant accepts (precompiled dist/schemas/incident.cjs)", () => {
    const v = standalone();
    expect(v(record)).toBe(true);
    for (const s of all) expect(schemaVerdict(v, s), s).toBe(parseInstant(s) === undefined ? "format" : "ok");
  });

  it("the precompiled validators require the built formats module, not ajv-formats' date-time", () => {
    for (const name of ["incident", "problem"]) {
      const code = readFileSync(join(repoRoot, `dist/schemas/${name}.cjs`), "utf8");
      expect(code).toContain('require("./formats.cjs")["date-time"]');
      expect(code).not.toContain("ajv-formats");
    }
  });

  it("in-process and precompiled agree with parseInstant on random near-miss strings (fixed seed)", () => {
    const v = standalone();
    const formats = require(join(repoRoot, "dist/schemas/formats.cjs")) as Record<
      string,
      { validate: (s: string) => boolean }
    >;
    const dateTime = formats["date-time"];
    if (!dateTime) throw new Error("no date-time in formats.cjs");
    // Mutations of valid instants: a character replaced by one from the grammar's alphabet.
    const alphabet = [..."0123456789-:T tZz+.\n", "60", "24", "+00", "99"];
    const text = fc
      .tuple(
        fc.constantFrom(...ACCEPTED.map(([s]) => s)),
        fc.nat({ max: 40 }),
        fc.nat({ max: 3 }),
        fc.constantFrom(...alphabet),
      )
      .map(([s, at, cut, ins]) => s.slice(0, at) + ins + s.slice(Math.min(s.length, at + cut)));
    fc.assert(
      fc.property(text, (s) => {
        const ok = parseInstant(s) !== undefined;
        expect(dateTime.validate(s), s).toBe(ok);
        expect(inProcess(withTime(s)), s).toBe(ok);
        expect(v(withTime(s)), s).toBe(ok);
      }),
      { seed: 4242, numRuns: 600 },
    );
  });
});

describe("parseTime (times typed on the CLI)", () => {
  const now = new Date("2026-03-29T00:30:00Z");

  it("refuses out-of-range local times instead of rolling them over", () => {
    for (const s of [
      "2026-13-01 10:00",
      "2026-02-30 10:00",
      "2025-02-29 10:00",
      "2026-04-31T10:00",
      "2026-03-04 24:00",
      "2026-03-04 10:60",
      "2026-03-04 10:00:60",
      "2026-00-04 10:00",
    ]) {
      expect(() => parseTime(s, now, "Europe/Berlin"), s).toThrow(TimeError);
      expect(() => parseTime(s, now, "Europe/Berlin"), s).toThrow(/is not a time/);
    }
    expect(parseTime("2024-02-29 10:00", now, "Europe/Berlin")).toBe("2024-02-29T10:00:00+01:00");
  });

  it("refuses the same mistakes written with an offset, and offsets past 23:59", () => {
    for (const s of [
      "2026-13-01T10:00:00Z",
      "2026-02-30T10:00:00+01:00",
      "2025-02-29T10:00Z",
      "2026-03-04T24:00:00Z",
      "2026-03-04T10:60:00Z",
      "2026-06-30T23:59:60Z",
      "2026-03-04T10:00:00+24:00",
      "2026-03-04T10:00:00+01:60",
    ])
      expect(() => parseTime(s, now, "UTC"), s).toThrow(/is not a time/);
    for (const s of ["2026-03-04T10:00:00+00", "2026-03-04T10:00:00+0000"])
      expect(() => parseTime(s, now, "UTC"), s).toThrow(/cannot read the time/);
  });

  it("stores an offset time in the one form the schema and the rules read", () => {
    expect(parseTime("2026-03-04t10:02z", now, "UTC")).toBe("2026-03-04T10:02:00Z");
    expect(parseTime("2026-03-04 10:02:00+01:00", now, "UTC")).toBe("2026-03-04T10:02:00+01:00");
    expect(parseTime("2026-03-04T10:02:00.250-05:30", now, "UTC")).toBe("2026-03-04T10:02:00.250-05:30");
    expect(parseTime("9999-12-31T23:59:59Z", now, "UTC")).toBe("9999-12-31T23:59:59Z");
    expect(parseTime("9999-12-31 23:59", now, "UTC")).toBe("9999-12-31T23:59:00Z");
    // Years 0-99 are not 1900-1999.
    expect(parseTime("0050-06-01 10:00", now, "UTC")).toBe("0050-06-01T10:00:00Z");
    for (const s of ["2026-03-04t10:02z", "2026-03-04 10:02 ", "2024-02-29 10:00"])
      expect(parseInstant(parseTime(s, now, "Europe/Berlin")), s).toBeDefined();
  });
});

describe("rules and metrics never skip or NaN an uncomputable time", () => {
  const ctx = { config: defaultConfig, file: "incidents/2026/INC-2026-0001.yaml" };

  it("validate: TIME_INVALID at each uncomputable time; a far-future time computes", () => {
    const r = structuredClone(record) as {
      timestamps: Record<string, unknown>;
      timeline: Array<{ at: unknown }>;
      action_items: Array<Record<string, unknown>>;
    };
    r.timestamps.resolved_at = "2026-03-04T12:15:00+00";
    r.timestamps.closed_at = 20260311;
    (r.timeline[3] as { at: unknown }).at = "2020-01-01T00:00:00+00";
    (r.action_items[0] as Record<string, unknown>).completed_at = "2026-06-30T23:59:60Z";
    const found = checkIncident(r, ctx).findings.map((f) => `${f.code} ${f.pointer}`);
    expect(found.sort()).toEqual(
      [
        "TIME_INVALID /timestamps/resolved_at",
        "TIME_INVALID /timestamps/closed_at",
        "TIME_INVALID /timeline/3/at",
        "TIME_INVALID /action_items/0/completed_at",
      ].sort(),
    );
    const far = structuredClone(record) as { timestamps: Record<string, unknown> };
    far.timestamps.closed_at = "9999-12-31T23:59:59Z";
    expect(checkIncident(far, ctx).findings).toEqual([]);
    // And a far-future time earlier than its predecessor is still ordered.
    far.timestamps.resolved_at = "9999-12-31T23:59:59.001Z";
    expect(checkIncident(far, ctx).findings.map((f) => f.code)).toEqual(["TIMESTAMP_ORDER"]);
  });

  it("validate: a backdated timeline entry in a computable odd form is TIMELINE_ORDER", () => {
    const r = structuredClone(record) as { timeline: Array<{ at: unknown }> };
    (r.timeline[3] as { at: unknown }).at = "2020-01-01t00:00:00z";
    expect(checkIncident(r, ctx).findings.map((f) => `${f.code} ${f.pointer}`)).toEqual([
      "TIMELINE_ORDER /timeline/3/at",
    ]);
  });

  /** Every number anywhere in `v` is finite. */
  function finiteNumbers(v: unknown, path = ""): string[] {
    if (typeof v === "number") return Number.isFinite(v) ? [] : [path];
    if (v === null || typeof v !== "object") return [];
    return Object.entries(v).flatMap(([k, x]) => finiteNumbers(x, `${path}/${k}`));
  }

  const bad = (id: string, fields: Partial<Incident>): Incident =>
    ({
      schema_version: 1,
      id,
      title: id,
      status: "resolved",
      severity: "SEV1",
      services: ["checkout-api"],
      timestamps: {},
      timeline: [],
      ...fields,
    }) as Incident;
  const incidents = [
    bad("INC-2026-0001", {
      timestamps: {
        declared_at: "2026-03-04T10:00:00+00",
        detected_at: "2026-03-04T09:58:00Z",
        acknowledged_at: "2026-03-04T23:59:60Z",
        mitigated_at: "2026-03-04T10:30:00Z",
        resolved_at: "2026-03-04 11:00:00Z",
      },
    }),
    bad("INC-2026-0002", {
      status: "in_progress",
      timestamps: { declared_at: "2026-02-30T10:00:00Z", detected_at: "2026-03-04T09:58:00+0000" },
      timeline: [
        { at: "2026-03-04T10:00:00+00", type: "status_change", text: "", from: "triaged", to: "in_progress" },
      ],
    }),
    bad("INC-2026-0003", {
      timestamps: { declared_at: "9999-12-31T23:59:59Z", detected_at: "9999-12-31T23:59:58Z" },
    }),
  ];

  it("stats: uncomputable times are missing, never NaN; a far-future time computes", () => {
    const now = new Date("2026-04-01T00:00:00Z");
    for (const by of [undefined, "month", "severity", "service"] as const) {
      const report = computeStats({ incidents, problems: [], config: defaultConfig, now }, by ? { by } : {});
      expect(finiteNumbers(report), by).toEqual([]);
    }
    const windowed = computeStats(
      { incidents, problems: [], config: defaultConfig, now },
      { since: new Date("2026-01-01T00:00:00Z"), until: new Date("2027-01-01T00:00:00Z") },
    );
    expect(finiteNumbers(windowed)).toEqual([]);
  });

  it("remind: uncomputable times are missing, never NaN", () => {
    const digest = computeReminders({
      incidents,
      problems: [],
      config: defaultConfig,
      now: new Date("2026-06-01T00:00:00Z"),
    });
    expect(finiteNumbers(digest)).toEqual([]);
  });
});
