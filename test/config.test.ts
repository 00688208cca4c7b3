import { describe, expect, it } from "vitest";
import { checkConfigReferences, mergeConfig } from "../src/config/merge.js";

describe("config merge", () => {
  it("returns the defaults without a file", () => {
    const c = mergeConfig(undefined);
    expect(c.severities.map((s) => s.id)).toEqual(["SEV1", "SEV2", "SEV3", "SEV4", "SEV5"]);
    expect(c.priority_matrix.high.high).toBe("P1");
    expect(c.priority_matrix.low.low).toBe("P5");
    expect(c.categories.some((x) => x.id.startsWith("sec."))).toBe(true);
    expect(c.categories.some((x) => x.id.startsWith("ops."))).toBe(true);
  });

  it("merges keyed lists by id and appends new entries", () => {
    const c = mergeConfig({
      severities: [{ id: "SEV1", name: "Outage" }],
      categories: [{ id: "ops.batch", name: "Batch", description: "Batch jobs" }],
      people: [{ handle: "ana", name: "Ana" }],
    });
    const sev1 = c.severities.find((s) => s.id === "SEV1");
    expect(sev1?.name).toBe("Outage");
    expect(sev1?.major).toBe(true);
    expect(c.categories.at(-1)?.id).toBe("ops.batch");
    expect(c.people).toEqual([{ handle: "ana", name: "Ana" }]);
  });

  it("deep-merges objects and replaces the transition graph as a whole", () => {
    const c = mergeConfig({
      paths: { incidents: "records" },
      lifecycle: {
        transitions: [{ from: "new", to: "triaged" }],
        states: [{ id: "new", requires: ["summary"] }],
      },
    });
    expect(c.paths.incidents).toBe("records");
    expect(c.paths.problems).toBe("incidents/problems");
    expect(c.lifecycle.transitions).toEqual([{ from: "new", to: "triaged" }]);
    expect(c.lifecycle.states.find((s) => s.id === "new")?.requires).toEqual(["summary"]);
    expect(c.lifecycle.states.find((s) => s.id === "new")?.initial).toBe(true);
  });

  it("does not let the file mutate the defaults", () => {
    mergeConfig({ severities: [{ id: "SEV1", name: "Changed" }] });
    expect(mergeConfig(undefined).severities[0]?.name).toBe("Critical");
  });

  it("reports an unknown time zone", () => {
    const file = { timezone: "Mars/Olympus_Mons" };
    expect(checkConfigReferences(file, mergeConfig(file)).map((f) => f.pointer)).toEqual(["/timezone"]);
    expect(checkConfigReferences({ timezone: "Europe/Berlin" }, mergeConfig({}))).toEqual([]);
  });

  it("reports references to undefined teams, states and severities", () => {
    const file = {
      teams: [{ id: "sre", name: "SRE" }],
      people: [{ handle: "a", name: "A", team: "nope" }],
      services: [{ id: "api", name: "API", team: "sre" }],
      lifecycle: {
        transitions: [
          { from: "new", to: "limbo", approval: { role: "incident_manager", severities: ["SEV9"] } },
        ],
      },
    };
    const codes = checkConfigReferences(file, mergeConfig(file)).map((f) => f.pointer);
    expect(codes).toEqual([
      "/people/0/team",
      "/lifecycle/transitions/0/to",
      "/lifecycle/transitions/0/approval/severities/0",
    ]);
  });
});

describe("severity order", () => {
  it("an added SEV0 comes first, as the most severe; the built-in order is unchanged", () => {
    const merged = mergeConfig({
      severities: [
        {
          id: "SEV0",
          name: "Critical",
          description: "Everything is down.",
          major: true,
          postmortem: { required: true },
        },
      ],
    });
    expect(merged.severities.map((s) => s.id)).toEqual(["SEV0", "SEV1", "SEV2", "SEV3", "SEV4", "SEV5"]);
    expect(mergeConfig({}).severities.map((s) => s.id)).toEqual(["SEV1", "SEV2", "SEV3", "SEV4", "SEV5"]);
  });
});
