// The semantic checks in-process (the CLI fixtures reach them only through dist/): file name and id,
// state requirements, postmortems, security and duplicate blocks, the priority matrix, the catalog,
// people, action items, timestamp and timeline order, and the references a record makes. Each test
// asserts exact codes, pointers and messages.

import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import type { Config } from "../src/config/types.js";
import type { Finding } from "../src/diagnostics/diagnostic.js";
import { checkIncident, checkProblem } from "../src/validate/semantic.js";

const config: Config = {
  ...defaultConfig,
  people: [
    { handle: "alice", name: "Alice" },
    { handle: "bob", name: "Bob" },
  ],
  services: [{ id: "checkout", name: "Checkout" }],
};
const FILE = "incidents/2026/INC-2026-0001.yaml";
const ctx = { config, file: FILE };

/** A valid in_progress incident: no findings. */
const incident = {
  schema_version: 1,
  id: "INC-2026-0001",
  title: "Checkout errors",
  status: "in_progress",
  summary: "s",
  severity: "SEV3",
  impact: "high",
  urgency: "high",
  priority: "P1",
  categories: ["ops.change"],
  roles: { incident_commander: "alice" },
  timestamps: {
    detected_at: "2026-03-04T09:58:00Z",
    declared_at: "2026-03-04T10:00:00Z",
    triaged_at: "2026-03-04T10:05:00Z",
    acknowledged_at: "2026-03-04T10:10:00Z",
  },
  timeline: [
    { at: "2026-03-04T10:00:00Z", type: "note", text: "declared" },
    { at: "2026-03-04T10:05:00Z", type: "status_change", from: "new", to: "triaged" },
    { at: "2026-03-04T10:10:00Z", type: "status_change", from: "triaged", to: "in_progress" },
  ],
};

const findings = (value: unknown, file = FILE): Finding[] => checkIncident(value, { config, file }).findings;
/** Findings other than what the state requires. */
const moveFindings = (value: unknown) => findings(value).filter((f) => f.code !== "STATE_REQUIRED");
const codesAt = (value: unknown, file = FILE) => findings(value, file).map((f) => `${f.code} ${f.pointer}`);

describe("semantic: identity", () => {
  it("a valid record has no findings, and its facts", () => {
    expect(checkIncident(incident, ctx)).toEqual({
      findings: [],
      facts: { kind: "incident", id: "INC-2026-0001", status: "in_progress", severity: "SEV3", refs: [] },
    });
  });

  it("FILE_NAME_MISMATCH, ID_PATTERN and FILE_LOCATION", () => {
    expect(findings(incident, "incidents/2026/INC-2026-0002.yaml")).toEqual([
      {
        code: "FILE_NAME_MISMATCH",
        message:
          "id `INC-2026-0001` differs from the file name `INC-2026-0002.yaml`; rename the file to `INC-2026-0001.yaml`",
        pointer: "/id",
      },
    ]);
    expect(findings(incident, "incidents/2026/INC-2026-0001.yml")).toEqual([]);
    expect(findings(incident, "INC-2026-0001.yaml")).toEqual([]);
    expect(findings(incident, "incidents/2025/INC-2026-0001.yaml")).toEqual([
      {
        code: "FILE_LOCATION",
        message: "`INC-2026-0001` belongs in the `2026` folder, not `2025`",
        pointer: "/id",
      },
    ]);
    // Only a year folder is a location.
    expect(findings(incident, "incidents/archive/INC-2026-0001.yaml")).toEqual([]);
    expect(findings(incident, "incidents/20251/INC-2026-0001.yaml")).toEqual([]);
    const bad = { ...incident, id: "INC-2026-001" };
    expect(findings(bad, "incidents/2026/INC-2026-001.yaml")).toEqual([
      {
        code: "ID_PATTERN",
        message: "id `INC-2026-001` does not match INC-YYYY-NNNN (config `ids`)",
        pointer: "/id",
      },
    ]);
    for (const id of ["xINC-2026-0001", "INC-2026-0001x", "INC-26-0001", "INCx2026-0001"])
      expect(codesAt({ ...incident, id }, `incidents/2026/${id}.yaml`), id).toEqual(["ID_PATTERN /id"]);
    expect(codesAt({ ...incident, id: "INC-2026-00001" }, "incidents/2026/INC-2026-00001.yaml")).toEqual([]);
    // A prefix with regular-expression characters is matched literally.
    const dotted = { ...config, ids: { ...config.ids, incident: { prefix: "I.C", digits: 2 } } };
    expect(
      checkIncident({ id: "I.C-2026-01" }, { config: dotted, file: "I.C-2026-01.yaml" }).findings,
    ).toEqual([]);
    expect(
      checkIncident({ id: "IxC-2026-01" }, { config: dotted, file: "IxC-2026-01.yaml" }).findings.map(
        (f) => f.code,
      ),
    ).toEqual(["ID_PATTERN"]);
    // Without an id there is nothing to compare.
    expect(checkIncident({}, ctx).findings).toEqual([]);
    expect(checkIncident("text", ctx).facts).toEqual({
      kind: "incident",
      id: undefined,
      status: undefined,
      severity: undefined,
      refs: [],
    });
  });
});

describe("semantic: state, severity, postmortem, security, duplicates", () => {
  it("STATE_REQUIRED says which state introduced an inherited requirement", () => {
    const { summary: _, roles: __, ...missing } = incident;
    expect(findings(missing)).toEqual([
      {
        code: "STATE_REQUIRED",
        message: "incident status `in_progress` requires `summary` (required from `triaged` on)",
        pointer: "/summary",
        target: "parent",
      },
      {
        code: "STATE_REQUIRED",
        message:
          "incident status `in_progress` requires `roles.incident_commander` (required from `triaged` on)",
        pointer: "/roles/incident_commander",
        target: "parent",
      },
    ]);
    const { acknowledged_at: _a, ...ts } = incident.timestamps;
    expect(findings({ ...incident, timestamps: ts })).toEqual([
      {
        code: "STATE_REQUIRED",
        message: "incident status `in_progress` requires `timestamps.acknowledged_at`",
        pointer: "/timestamps/acknowledged_at",
        target: "parent",
      },
    ]);
    // An unknown status or a status that is not a string is the schema's to report.
    const done = [{ at: "2026-03-04T10:00:00Z", type: "status_change", from: "new", to: "done" }];
    expect(codesAt({ id: "INC-2026-0001", status: "done", timeline: done })).toEqual([]);
    expect(codesAt({ id: "INC-2026-0001", status: 3 })).toEqual([]);
  });

  it("UNKNOWN_SEVERITY lists the configured ones", () => {
    expect(findings({ ...incident, severity: "SEV9" })).toEqual([
      {
        code: "UNKNOWN_SEVERITY",
        message: "severity `SEV9` is not defined; configured: SEV1, SEV2, SEV3, SEV4, SEV5",
        pointer: "/severity",
      },
    ]);
    expect(checkIncident({ ...incident, severity: 2 }, ctx).facts.severity).toBeUndefined();
  });

  const closed = (severity: string, extra: object = {}) => ({
    ...incident,
    severity,
    status: "closed",
    determination: "confirmed",
    resolution: { summary: "x" },
    impact_assessment: { summary: "x" },
    timestamps: {
      ...incident.timestamps,
      mitigated_at: "2026-03-04T11:00:00Z",
      resolved_at: "2026-03-04T12:00:00Z",
      closed_at: "2026-03-05T12:00:00Z",
    },
    timeline: [
      ...incident.timeline,
      { at: "2026-03-04T11:00:00Z", type: "status_change", from: "in_progress", to: "mitigated" },
      { at: "2026-03-04T12:00:00Z", type: "status_change", from: "mitigated", to: "resolved" },
      { at: "2026-03-05T12:00:00Z", type: "status_change", from: "resolved", to: "closed" },
    ],
    ...extra,
  });

  it("POSTMORTEM_REQUIRED for each missing part of a closed major incident's postmortem", () => {
    expect(findings(closed("SEV2", { lessons: { went_well: ["x"] }, action_items: [] }))).toEqual([
      {
        code: "POSTMORTEM_REQUIRED",
        message: "a closed SEV2 incident requires a postmortem: `root_cause` is missing",
        pointer: "/root_cause",
        target: "parent",
      },
      {
        code: "POSTMORTEM_REQUIRED",
        message: "a closed SEV2 incident requires a postmortem: `contributing_factors` is missing",
        pointer: "/contributing_factors",
        target: "parent",
      },
      {
        code: "POSTMORTEM_REQUIRED",
        message: "a closed SEV2 incident requires a postmortem: `action_items` is missing",
        pointer: "/action_items",
        target: "parent",
      },
    ]);
    expect(findings(closed("SEV3"))).toEqual([]);
    // Only a closed record needs it.
    expect(
      codesAt({ ...closed("SEV1"), status: "resolved", timeline: closed("SEV1").timeline.slice(0, 5) }),
    ).toEqual([]);
  });

  it("SECURITY_REQUIRED for a confirmed incident in a sec.* category without a security block", () => {
    const sec = { ...incident, determination: "confirmed", categories: ["ops.change", "sec.phishing"] };
    expect(findings(sec)).toEqual([
      {
        code: "SECURITY_REQUIRED",
        message: "a confirmed security incident (a `sec.*` category) requires the `security` block",
        pointer: "/security",
        target: "parent",
      },
    ]);
    expect(findings({ ...sec, security: {} }).map((f) => f.code)).toEqual(["SECURITY_REQUIRED"]);
    expect(findings({ ...sec, security: { tlp: "amber" } })).toEqual([]);
    expect(findings({ ...sec, determination: "false_positive" })).toEqual([]);
    expect(findings({ ...sec, categories: ["ops.change"] })).toEqual([]);
    // `xsec.` is not a security category (and not in the taxonomy).
    expect(codesAt({ ...sec, categories: ["ops.sec.x"] })).toEqual(["UNKNOWN_CATEGORY /categories/0"]);
  });

  it("DUPLICATE_TARGET_REQUIRED for a duplicate without related.duplicate_of", () => {
    const dup = { ...incident, determination: "duplicate" };
    const expected = [
      {
        code: "DUPLICATE_TARGET_REQUIRED",
        message: "determination `duplicate` requires `related.duplicate_of` naming the original incident",
        pointer: "/related/duplicate_of",
        target: "parent",
      },
    ];
    expect(findings(dup)).toEqual(expected);
    expect(findings({ ...dup, related: "x" })).toEqual(expected);
    expect(findings({ ...dup, related: { duplicate_of: "" } })).toEqual(expected);
    expect(findings({ ...dup, related: { duplicate_of: "INC-2026-0002" } })).toEqual([]);
  });
});

describe("semantic: priority and catalog", () => {
  it("PRIORITY_MISMATCH unless the matrix agrees or a reason is given", () => {
    expect(findings({ ...incident, priority: "P2" })).toEqual([
      {
        code: "PRIORITY_MISMATCH",
        message:
          "impact `high` and urgency `high` give priority `P1`, not `P2`; fix it or explain the override in `priority_reason`",
        pointer: "/priority",
      },
    ]);
    expect(findings({ ...incident, priority: "P2", priority_reason: "board decision" })).toEqual([]);
    expect(codesAt({ ...incident, priority: "P2", priority_reason: "" })).toEqual([
      "PRIORITY_MISMATCH /priority",
    ]);
    expect(codesAt({ ...incident, impact: "low", urgency: "medium", priority: "P4" })).toEqual([]);
    // Values that are not in the matrix (or not strings) are the schema's to report; never a prototype key.
    for (const v of [
      { impact: "toString", urgency: "high" },
      { impact: "high", urgency: "constructor" },
      { impact: 1 },
      { urgency: 1 },
      { priority: 1 },
    ])
      expect(codesAt({ ...incident, priority: "P2", ...v }), JSON.stringify(v)).toEqual([]);
  });

  it("UNKNOWN_CATEGORY, UNKNOWN_SERVICE and UNKNOWN_PERSON point at the entry", () => {
    const v = {
      ...incident,
      categories: ["ops.change", 3, "ops.nope"],
      services: ["checkout", "payments"],
      roles: { incident_commander: "carol", communications: ["alice", "dave"], scribe: 3 },
      timeline: [
        ...incident.timeline,
        { at: "2026-03-04T10:11:00Z", type: "note", actor: "erin", text: "x" },
      ],
      review: { approved_by: "frank", attendees: ["bob", "gus"] },
    };
    expect(findings(v)).toEqual([
      {
        code: "UNKNOWN_CATEGORY",
        message: "category `ops.nope` is not in the taxonomy (config `categories`)",
        pointer: "/categories/2",
      },
      {
        code: "UNKNOWN_SERVICE",
        message: "service `payments` is not in the service catalog (config `services`)",
        pointer: "/services/1",
      },
      {
        code: "UNKNOWN_PERSON",
        message: "`carol` is not in config `people`",
        pointer: "/roles/incident_commander",
      },
      {
        code: "UNKNOWN_PERSON",
        message: "`dave` is not in config `people`",
        pointer: "/roles/communications/1",
      },
      { code: "UNKNOWN_PERSON", message: "`erin` is not in config `people`", pointer: "/timeline/3/actor" },
      {
        code: "UNKNOWN_PERSON",
        message: "`frank` is not in config `people`",
        pointer: "/review/approved_by",
      },
      { code: "UNKNOWN_PERSON", message: "`gus` is not in config `people`", pointer: "/review/attendees/1" },
    ]);
    // Without a catalog of services or people, any name goes.
    const open = { ...config, services: [], people: [] };
    expect(checkIncident(v, { config: open, file: FILE }).findings.map((f) => f.code)).toEqual([
      "UNKNOWN_CATEGORY",
    ]);
  });
});

describe("semantic: action items", () => {
  it("ACTION_ITEM_DUPLICATE_ID, an unknown owner and an unreadable completion time", () => {
    const v = {
      ...incident,
      action_items: [
        { id: "A1", owner: "alice", completed_at: "2026-03-06T00:00:00Z" },
        "text",
        { id: "A1", owner: "zed", completed_at: "2026-03-06" },
        { id: "A2", completed_at: null },
        { id: 3, owner: 4 },
      ],
    };
    expect(findings(v)).toEqual([
      {
        code: "ACTION_ITEM_DUPLICATE_ID",
        message: "action item id `A1` is used twice",
        pointer: "/action_items/2/id",
      },
      {
        code: "UNKNOWN_PERSON",
        message: "`zed` is not in config `people`",
        pointer: "/action_items/2/owner",
      },
      {
        code: "TIME_INVALID",
        message:
          '`action_items[2].completed_at` is "2026-03-06", not a time the checker can compute, so no rule can use it; write YYYY-MM-DDTHH:MM:SS on a real date with Z or an offset such as +01:00',
        pointer: "/action_items/2/completed_at",
      },
    ]);
  });
});

describe("semantic: timestamps and timeline", () => {
  it("TIMESTAMP_ORDER for each pair out of order; equal times are in order", () => {
    const ts = { ...incident.timestamps, acknowledged_at: "2026-03-04T09:00:00Z" };
    expect(findings({ ...incident, timestamps: ts })).toEqual([
      {
        code: "TIMESTAMP_ORDER",
        message:
          "`timestamps.acknowledged_at` (2026-03-04T09:00:00Z) is earlier than `timestamps.detected_at` (2026-03-04T09:58:00Z)",
        pointer: "/timestamps/acknowledged_at",
      },
    ]);
    const same = { ...incident.timestamps, declared_at: "2026-03-04T09:58:00Z" };
    expect(findings({ ...incident, timestamps: same })).toEqual([]);
    // Every pair of the order is judged.
    const pairs: Array<[string, string]> = [
      ["impact_started_at", "detected_at"],
      ["detected_at", "declared_at"],
      ["declared_at", "triaged_at"],
      ["acknowledged_at", "mitigated_at"],
      ["impact_started_at", "impact_ended_at"],
      ["mitigated_at", "resolved_at"],
      ["acknowledged_at", "resolved_at"],
      ["resolved_at", "closed_at"],
      ["declared_at", "canceled_at"],
      ["detected_at", "acknowledged_at"],
    ];
    for (const [early, late] of pairs) {
      const v = { timestamps: { [early]: "2026-03-04T10:00:00Z", [late]: "2026-03-04T09:00:00Z" } };
      expect(codesAt(v), `${early} ${late}`).toEqual([`TIMESTAMP_ORDER /timestamps/${late}`]);
    }
  });

  it("TIME_INVALID for a timestamp that cannot be computed, long values cut, other types named", () => {
    const long = `2026-03-04T10:00:00+0100${"x".repeat(40)}`;
    expect(findings({ timestamps: { declared_at: long, detected_at: 20260304, triaged_at: null } })).toEqual([
      {
        code: "TIME_INVALID",
        message: `\`timestamps.declared_at\` is ${JSON.stringify(`${long.slice(0, 40)}...`)}, not a time the checker can compute, so no rule can use it; write YYYY-MM-DDTHH:MM:SS on a real date with Z or an offset such as +01:00`,
        pointer: "/timestamps/declared_at",
      },
      {
        code: "TIME_INVALID",
        message:
          "`timestamps.detected_at` is a number, not a time the checker can compute, so no rule can use it; write YYYY-MM-DDTHH:MM:SS on a real date with Z or an offset such as +01:00",
        pointer: "/timestamps/detected_at",
      },
    ]);
    const forty = "x".repeat(40);
    expect(findings({ timestamps: { declared_at: forty } })[0]?.message).toContain(`is "${forty}", not`);
    expect(findings({ timestamps: "x" })).toEqual([]);
  });

  it("TIMELINE_ORDER for an entry earlier than the one before it; equal times and unreadable ones pass", () => {
    const timeline = [
      { at: "2026-03-04T10:00:00Z", type: "note" },
      { at: "2026-03-04T10:00:00Z", type: "note" },
      { at: "later", type: "note" },
      { at: "2026-03-04T09:59:00Z", type: "note" },
    ];
    expect(findings({ timeline })).toEqual([
      {
        code: "TIME_INVALID",
        message:
          '`timeline[2].at` is "later", not a time the checker can compute, so no rule can use it; write YYYY-MM-DDTHH:MM:SS on a real date with Z or an offset such as +01:00',
        pointer: "/timeline/2/at",
      },
      {
        code: "TIMELINE_ORDER",
        message:
          "timeline entry 3 (2026-03-04T09:59:00Z) is earlier than the entry before it (2026-03-04T10:00:00Z); entries are in time order",
        pointer: "/timeline/3/at",
      },
    ]);
  });

  it("TIMELINE_STATUS_MISMATCH: the last status_change, or the initial state without one", () => {
    expect(moveFindings({ status: "triaged", timeline: [] })).toEqual([
      {
        code: "TIMELINE_STATUS_MISMATCH",
        message: "status is `triaged` but the timeline records no status_change from `new`; add one per move",
        pointer: "/status",
      },
    ]);
    const timeline = [
      { at: "2026-03-04T10:00:00Z", type: "status_change", from: "new", to: "triaged" },
      { at: "2026-03-04T10:01:00Z", type: "note", to: "in_progress" },
    ];
    expect(moveFindings({ status: "in_progress", timeline })).toEqual([
      {
        code: "TIMELINE_STATUS_MISMATCH",
        message: "status is `in_progress` but the last status_change in the timeline moves to `triaged`",
        pointer: "/status",
      },
    ]);
    expect(moveFindings({ status: "triaged", timeline })).toEqual([]);
    expect(moveFindings({ status: "new" })).toEqual([]);
    expect(moveFindings({ timeline })).toEqual([]);
  });
});

describe("semantic: references", () => {
  it("collects problem_refs and related links with their pointers; a self-reference is REF_SELF", () => {
    const v = {
      ...incident,
      problem_refs: ["PRB-2026-0001", 3],
      related: {
        duplicate_of: "INC-2026-0002",
        parent: "INC-2026-0001",
        related: ["INC-2026-0003", 4, "INC-2026-0004"],
      },
    };
    const r = checkIncident(v, ctx);
    expect(r.findings).toEqual([
      { code: "REF_SELF", message: "`INC-2026-0001` refers to itself", pointer: "/related/parent" },
    ]);
    expect(r.facts.refs).toEqual([
      { kind: "problem", id: "PRB-2026-0001", pointer: "/problem_refs/0" },
      { kind: "incident", id: "INC-2026-0002", pointer: "/related/duplicate_of" },
      { kind: "incident", id: "INC-2026-0003", pointer: "/related/related/0" },
      { kind: "incident", id: "INC-2026-0004", pointer: "/related/related/2" },
    ]);
  });

  it("a problem: identity, state, owner, order, action items and incident_refs", () => {
    const pctx = { config, file: "incidents/problems/PRB-2026-0001.yaml" };
    const problem = {
      id: "PRB-2026-0001",
      status: "assessed",
      owner: "zed",
      incident_refs: ["INC-2026-0001", 2, "INC-2026-0002"],
      categories: ["ops.nope"],
      timestamps: { created_at: "2026-03-05T00:00:00Z", assessed_at: "2026-03-04T00:00:00Z" },
      action_items: [{ id: "A", owner: "yan" }],
    };
    expect(checkProblem(problem, pctx)).toEqual({
      findings: [
        {
          code: "UNKNOWN_CATEGORY",
          message: "category `ops.nope` is not in the taxonomy (config `categories`)",
          pointer: "/categories/0",
        },
        { code: "UNKNOWN_PERSON", message: "`zed` is not in config `people`", pointer: "/owner" },
        {
          code: "TIMESTAMP_ORDER",
          message:
            "`timestamps.assessed_at` (2026-03-04T00:00:00Z) is earlier than `timestamps.created_at` (2026-03-05T00:00:00Z)",
          pointer: "/timestamps/assessed_at",
        },
        {
          code: "UNKNOWN_PERSON",
          message: "`yan` is not in config `people`",
          pointer: "/action_items/0/owner",
        },
      ],
      facts: {
        kind: "problem",
        id: "PRB-2026-0001",
        status: "assessed",
        refs: [
          { kind: "incident", id: "INC-2026-0001", pointer: "/incident_refs/0" },
          { kind: "incident", id: "INC-2026-0002", pointer: "/incident_refs/2" },
        ],
      },
    });
    expect(
      checkProblem({ ...problem, status: "new", id: "INC-2026-0001" }, pctx).findings.map((f) => f.code),
    ).toEqual(expect.arrayContaining(["FILE_NAME_MISMATCH", "ID_PATTERN"]));
    expect(
      checkProblem({ id: "PRB-2026-0001", status: "assessed" }, pctx).findings.map((f) => f.pointer),
    ).toEqual(["/timestamps/created_at", "/owner", "/incident_refs", "/timestamps/assessed_at"]);
    const pairs: Array<[string, string]> = [
      ["created_at", "assessed_at"],
      ["assessed_at", "known_error_at"],
      ["known_error_at", "fix_started_at"],
      ["fix_started_at", "resolved_at"],
      ["created_at", "resolved_at"],
      ["resolved_at", "closed_at"],
      ["created_at", "canceled_at"],
    ];
    for (const [early, late] of pairs) {
      const v = { timestamps: { [early]: "2026-03-04T10:00:00Z", [late]: "2026-03-04T09:00:00Z" } };
      expect(
        checkProblem(v, pctx).findings.map((f) => `${f.code} ${f.pointer}`),
        `${early} ${late}`,
      ).toEqual([`TIMESTAMP_ORDER /timestamps/${late}`]);
    }
    expect(checkProblem("x", pctx)).toEqual({
      findings: [],
      facts: { kind: "problem", id: undefined, status: undefined, refs: [] },
    });
  });
});
