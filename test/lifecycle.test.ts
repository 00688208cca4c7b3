import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import { isPresent, missingRequirements, requirementsFor } from "../src/lifecycle/requirements.js";
import { formatInZone } from "../src/lifecycle/time.js";

const lc = defaultConfig.lifecycle;

describe("state requirements", () => {
  it("accumulate along the lifecycle", () => {
    const triaged = requirementsFor(lc, "triaged").map((r) => r.path);
    const closed = requirementsFor(lc, "closed").map((r) => r.path);
    for (const p of triaged) expect(closed).toContain(p);
    expect(closed).toContain("timestamps.closed_at");
    expect(requirementsFor(lc, "on_hold").map((r) => r.path)).toEqual(
      requirementsFor(lc, "in_progress").map((r) => r.path),
    );
  });

  it("let canceled build on new only", () => {
    const canceled = requirementsFor(lc, "canceled").map((r) => r.path);
    expect(canceled).toContain("timestamps.declared_at");
    expect(canceled).not.toContain("severity");
  });

  it("name the state that introduced each requirement", () => {
    const r = requirementsFor(lc, "resolved").find((x) => x.path === "roles.incident_commander");
    expect(r?.since).toBe("triaged");
  });

  it("treat empty values as missing", () => {
    expect(isPresent("")).toBe(false);
    expect(isPresent([])).toBe(false);
    expect(isPresent({})).toBe(false);
    expect(isPresent(0)).toBe(true);
    expect(isPresent(false)).toBe(true);
    const missing = missingRequirements(
      lc,
      { timestamps: { declared_at: "x", detected_at: "y" }, categories: [] },
      "triaged",
    );
    expect(missing.map((m) => m.path)).toContain("categories");
  });

  it("returns nothing for an unknown state and survives an inheritance cycle", () => {
    expect(requirementsFor(lc, "nope")).toEqual([]);
    const cyclic = {
      states: [
        { id: "a", title: "A", description: "", requires: ["x"], inherits: "b" },
        { id: "b", title: "B", description: "", requires: ["y"], inherits: "a" },
      ],
      transitions: [],
    };
    expect(
      requirementsFor(cyclic, "a")
        .map((r) => r.path)
        .sort(),
    ).toEqual(["x", "y"]);
  });
});

describe("formatInZone across daylight-saving changes", () => {
  /** The offset as Intl spells it (`GMT+05:45`), a path independent of the cached one. */
  const reference = (date: Date, timeZone: string): string => {
    const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
      .formatToParts(date)
      .find((p) => p.type === "timeZoneName")?.value as string;
    const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name) as RegExpExecArray;
    return m[1] ? `${m[1]}${m[2]}:${m[3]}` : "+00:00";
  };

  it("gives every instant of a transition day its own offset, in zones with odd offsets too", () => {
    const zones = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"];
    const days = ["2026-03-28", "2026-03-29", "2026-04-05", "2026-10-04", "2026-10-25", "2026-11-01"];
    for (const zone of zones) {
      for (const day of days) {
        const start = Date.parse(`${day}T00:00:00Z`) - 12 * 3_600_000;
        for (let t = start; t < start + 48 * 3_600_000; t += 15 * 60_000) {
          const date = new Date(t);
          const text = formatInZone(date, zone);
          expect(text.slice(19), `${zone} ${date.toISOString()}`).toBe(reference(date, zone));
          expect(Date.parse(text), `${zone} ${text}`).toBe(t);
        }
      }
    }
  });
});
