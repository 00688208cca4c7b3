import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import { formatInZone, parseTime, TimeError } from "../src/lifecycle/time.js";
import { checkTransition, durationMs, timestampsToSet } from "../src/lifecycle/transition.js";

const lc = defaultConfig.lifecycle;
const codes = (before: unknown, after: unknown, now?: Date) =>
  checkTransition(before, after, lc, now).map((f) => f.code);

const triaged = {
  status: "triaged",
  summary: "s",
  severity: "SEV2",
  impact: "high",
  urgency: "high",
  priority: "P1",
  categories: ["ops.change"],
  roles: { incident_commander: "a" },
  timestamps: {
    declared_at: "2026-03-04T10:00:00Z",
    detected_at: "2026-03-04T09:58:00Z",
    triaged_at: "2026-03-04T10:05:00Z",
  },
};

describe("checkTransition", () => {
  it("allows a configured edge whose requirements are met", () => {
    expect(codes({ ...triaged, status: "new" }, triaged)).toEqual([]);
  });

  it("reports TRANSITION_FORBIDDEN for a missing edge, naming the allowed ones", () => {
    const f = checkTransition({ status: "new" }, { status: "resolved" }, lc);
    expect(f.map((x) => x.code)).toEqual(["TRANSITION_FORBIDDEN"]);
    expect(f[0]?.message).toContain("triaged, in_progress, canceled");
  });

  it("reports INCIDENT_FROZEN for any change to a closed or canceled record", () => {
    expect(codes({ status: "closed" }, { status: "in_progress" })).toEqual(["INCIDENT_FROZEN"]);
    expect(codes({ status: "canceled" }, { status: "canceled" })).toEqual(["INCIDENT_FROZEN"]);
  });

  it("reports UNKNOWN_STATE for a status the lifecycle does not have", () => {
    expect(codes({ status: "new" }, { status: "done" })).toEqual(["UNKNOWN_STATE"]);
  });

  it("reports REOPEN_WINDOW_EXPIRED past the reopen window, and allows a reopen within it", () => {
    const resolved = {
      ...triaged,
      status: "resolved",
      timestamps: { ...triaged.timestamps, resolved_at: "2026-03-04T12:00:00Z" },
    };
    const reopened = {
      ...resolved,
      status: "in_progress",
      timestamps: { ...resolved.timestamps, acknowledged_at: "2026-03-04T10:10:00Z" },
    };
    expect(codes(resolved, reopened, new Date("2026-03-10T00:00:00Z"))).toEqual([]);
    expect(codes(resolved, reopened, new Date("2026-03-30T00:00:00Z"))).toEqual(["REOPEN_WINDOW_EXPIRED"]);
  });

  it("reports TIME_INVALID for a reopen whose resolution time cannot be computed, at any clock", () => {
    for (const resolvedAt of [
      "2026-03-04T12:00:00+00",
      "2026-03-04T12:00:00+0000",
      "2026-03-04T23:59:60Z",
      20260304,
    ]) {
      const resolved = {
        ...triaged,
        status: "resolved",
        timestamps: {
          ...triaged.timestamps,
          acknowledged_at: "2026-03-04T10:10:00Z",
          resolved_at: resolvedAt,
        },
      };
      const reopened = { ...resolved, status: "in_progress" };
      for (const now of ["2026-03-05T00:00:00Z", "2026-03-30T00:00:00Z"])
        expect(codes(resolved, reopened, new Date(now)), `${resolvedAt} ${now}`).toEqual(["TIME_INVALID"]);
    }
  });

  it("reports STATE_REQUIRED for each requirement of the target state", () => {
    const f = checkTransition({ status: "new" }, { status: "triaged", timestamps: {} }, lc);
    expect(new Set(f.map((x) => x.code))).toEqual(new Set(["STATE_REQUIRED"]));
    expect(f.map((x) => x.pointer)).toContain("/roles/incident_commander");
  });

  it("sets the timestamps of states a move skips", () => {
    expect(
      timestampsToSet(lc, { status: "new", timestamps: { declared_at: "x" } }, "in_progress").map(
        (s) => s.id,
      ),
    ).toEqual(["triaged", "in_progress"]);
    expect(
      timestampsToSet(
        lc,
        { status: "in_progress", timestamps: { declared_at: "x", acknowledged_at: "x", triaged_at: "x" } },
        "resolved",
      ).map((s) => s.id),
    ).toEqual(["mitigated", "resolved"]);
  });

  it("reads ISO 8601 durations", () => {
    expect(durationMs("P14D")).toBe(14 * 86_400_000);
    expect(durationMs("PT1H30M")).toBe(5_400_000);
    expect(durationMs("P1W")).toBe(7 * 86_400_000);
    expect(durationMs("P")).toBeNaN();
    expect(durationMs("1D")).toBeNaN();
  });
});

describe("times", () => {
  const now = new Date("2026-03-29T00:30:00Z");
  it("reads now and relative times in the configured zone", () => {
    expect(parseTime("now", now, "UTC")).toBe("2026-03-29T00:30:00Z");
    expect(parseTime("-15m", now, "UTC")).toBe("2026-03-29T00:15:00Z");
    expect(parseTime("-2h", now, "UTC")).toBe("2026-03-28T22:30:00Z");
    expect(parseTime("-1d", now, "Europe/Berlin")).toBe("2026-03-28T01:30:00+01:00");
  });

  it("keeps explicit offsets and reads local times across a daylight-saving change", () => {
    expect(parseTime("2026-03-04T10:02:00+05:30", now, "UTC")).toBe("2026-03-04T10:02:00+05:30");
    // Berlin switches to summer time at 02:00 on 29 March 2026.
    expect(formatInZone(now, "Europe/Berlin")).toBe("2026-03-29T01:30:00+01:00");
    expect(formatInZone(new Date("2026-03-29T01:30:00Z"), "Europe/Berlin")).toBe("2026-03-29T03:30:00+02:00");
    expect(parseTime("2026-03-29 03:30", now, "Europe/Berlin")).toBe("2026-03-29T03:30:00+02:00");
    expect(parseTime("2026-07-01 09:00", now, "America/New_York")).toBe("2026-07-01T09:00:00-04:00");
  });

  it("reads a wall time in a spring-forward gap forward and an autumn repeat as its first instant", () => {
    // Gaps: 02:00 -> 03:00 in Berlin and New York, midnight -> 01:00 in Havana, 02:00 -> 02:30 on Lord Howe.
    expect(parseTime("2026-03-29 02:30", now, "Europe/Berlin")).toBe("2026-03-29T03:30:00+02:00");
    expect(parseTime("2026-03-08 02:30", now, "America/New_York")).toBe("2026-03-08T03:30:00-04:00");
    expect(parseTime("2026-03-08 00:00", now, "America/Havana")).toBe("2026-03-08T01:00:00-04:00");
    expect(parseTime("2026-10-04 02:15", now, "Australia/Lord_Howe")).toBe("2026-10-04T02:45:00+11:00");
    // Repeats: 02:00-03:00 twice in Berlin, 01:00-02:00 twice in New York; the first is summer time.
    expect(parseTime("2026-10-25 02:30", now, "Europe/Berlin")).toBe("2026-10-25T02:30:00+02:00");
    expect(parseTime("2026-11-01 01:30", now, "America/New_York")).toBe("2026-11-01T01:30:00-04:00");
    // The hour after a repeat, and the minute before a gap, are plain.
    expect(parseTime("2026-10-25 03:00", now, "Europe/Berlin")).toBe("2026-10-25T03:00:00+01:00");
    expect(parseTime("2026-03-29 01:59", now, "Europe/Berlin")).toBe("2026-03-29T01:59:00+01:00");
  });

  it("refuses what it cannot read", () => {
    expect(() => parseTime("yesterday", now, "UTC")).toThrow(TimeError);
    expect(() => parseTime("2026-13-45T10:00:00Z", now, "UTC")).toThrow(TimeError);
    expect(() => parseTime("+15m", now, "UTC")).toThrow(TimeError);
    // Out-of-range fields are refused, not rolled over into the next year, month, day or hour.
    for (const s of ["2026-13-01 10:00", "2026-02-30 10:00", "2026-03-04 10:60", "2026-02-30T10:00:00Z"])
      expect(() => parseTime(s, now, "Europe/Berlin"), s).toThrow(TimeError);
  });
});
