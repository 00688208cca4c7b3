import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import { isPresent, missingRequirements, requirementsFor } from "../src/lifecycle/requirements.js";

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
