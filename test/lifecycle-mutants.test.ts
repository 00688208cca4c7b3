// The lifecycle rules at their edges: exact boundaries (the reopen window at exactly its length),
// which moves count as a reopen, which timestamps a move keeps, what a pull request may do to a
// merged timeline, and the exact findings (code, pointer, message) each rule gives. Written against
// what mutation testing (npm run mutation) showed the other tests did not notice.

import { describe, expect, it } from "vitest";
import { defaultConfig } from "../src/config/defaults.js";
import type { LifecycleDef } from "../src/config/types.js";
import {
  actionDaysOverdue,
  addBusinessDays,
  dayNumber,
  daysBetween,
  isBusinessDay,
  localDate,
} from "../src/lifecycle/calendar.js";
import { approvalApplies, approvalsNeeded, checkChange, statesBetween } from "../src/lifecycle/compare.js";
import {
  findState,
  getPath,
  isPresent,
  missingRequirements,
  parentState,
  requirementsFor,
} from "../src/lifecycle/requirements.js";
import { isOpen, lastResolution } from "../src/lifecycle/resolution.js";
import {
  checkTransition,
  durationMs,
  isEdge,
  targetsFrom,
  timestampsToSet,
} from "../src/lifecycle/transition.js";
import type { Incident } from "../src/model/types.js";

const lc = defaultConfig.lifecycle;
const plc = defaultConfig.problem_lifecycle;
const SEVS = defaultConfig.severities;
const DAY = 86_400_000;
const RESOLVED_AT = "2026-03-04T12:00:00Z";
const resolvedMs = Date.parse(RESOLVED_AT);
const at = (ms: number) => new Date(ms);
/** The move's own findings, without what the target state requires (judged by validate). */
const moveFindings = (before: unknown, after: unknown, lifecycle: LifecycleDef, now?: Date) =>
  checkTransition(before, after, lifecycle, now).filter((f) => f.code !== "STATE_REQUIRED");

const resolved = {
  id: "INC-2026-0001",
  status: "resolved",
  severity: "SEV2",
  timestamps: {
    declared_at: "2026-03-04T10:00:00Z",
    acknowledged_at: "2026-03-04T10:10:00Z",
    resolved_at: RESOLVED_AT,
  },
};
const reopened = { ...resolved, status: "in_progress" };

/** A small lifecycle for rules the default one cannot show (two initial states, a dead end). */
const tiny: LifecycleDef = {
  states: [
    { id: "a", title: "A", description: "", requires: ["x"], initial: true, timestamp: "a_at" },
    { id: "b", title: "B", description: "", requires: ["x", "y"], initial: true },
    { id: "c", title: "C", description: "", requires: ["z"], inherits: "a" },
    { id: "d", title: "D", description: "", requires: [] },
  ],
  transitions: [
    { from: "a", to: "b" },
    { from: "b", to: "c", approval: { role: "maintainer" } },
  ],
};

describe("transition: the reopen window", () => {
  it("allows a reopen at exactly the window's length and refuses one a millisecond later", () => {
    expect(moveFindings(resolved, reopened, lc, at(resolvedMs + 14 * DAY))).toEqual([]);
    expect(moveFindings(resolved, reopened, lc, at(resolvedMs + 14 * DAY + 1))).toEqual([
      {
        code: "REOPEN_WINDOW_EXPIRED",
        message: `resolved at ${RESOLVED_AT}, longer ago than the reopen window (P14D); declare a new incident and link it with related.related`,
        pointer: "/status",
      },
    ]);
  });

  it("limits only a move back out of `resolved`: moving back from `mitigated` is not a reopen", () => {
    const mitigated = {
      ...resolved,
      status: "mitigated",
      timestamps: { ...resolved.timestamps, mitigated_at: RESOLVED_AT, resolved_at: RESOLVED_AT },
    };
    expect(
      moveFindings(mitigated, { ...mitigated, status: "in_progress" }, lc, at(resolvedMs + 60 * DAY)),
    ).toEqual([]);
  });

  it("does not limit moving on from `resolved` (closing), nor staying `resolved`", () => {
    const closed = {
      ...resolved,
      status: "closed",
      impact_assessment: { summary: "x" },
      timestamps: { ...resolved.timestamps, closed_at: "2026-05-01T00:00:00Z" },
    };
    const later = at(resolvedMs + 60 * DAY);
    expect(moveFindings(resolved, closed, lc, later).map((f) => f.code)).not.toContain(
      "REOPEN_WINDOW_EXPIRED",
    );
    expect(moveFindings(resolved, resolved, lc, later).map((f) => f.code)).not.toContain(
      "REOPEN_WINDOW_EXPIRED",
    );
  });

  it("is not judged without a clock, a window, a readable window or a resolution time", () => {
    const late = at(resolvedMs + 60 * DAY);
    expect(moveFindings(resolved, reopened, lc)).toEqual([]);
    const { reopen_window: _, ...noWindow } = lc;
    expect(moveFindings(resolved, reopened, noWindow, late)).toEqual([]);
    expect(moveFindings(resolved, reopened, { ...lc, reopen_window: "two weeks" }, late)).toEqual([]);
    for (const ts of [
      { ...resolved.timestamps, resolved_at: undefined },
      { ...resolved.timestamps, resolved_at: null },
    ])
      expect(moveFindings({ ...resolved, timestamps: ts }, reopened, lc, late)).toEqual([]);
    expect(moveFindings({ ...resolved, timestamps: "x" }, reopened, lc, late)).toEqual([]);
    expect(moveFindings({ status: "resolved" }, reopened, lc, late)).toEqual([]);
    // A `resolved` state that sets no timestamp has nothing to measure from.
    const untimed: LifecycleDef = {
      ...lc,
      states: lc.states.map((s) => (s.id === "resolved" ? { ...s, timestamp: undefined } : s)),
    };
    expect(moveFindings(resolved, reopened, untimed, late)).toEqual([]);
  });

  it("TIME_INVALID names the unreadable resolution time, cut to 40 characters, or its type", () => {
    const long = `${RESOLVED_AT.slice(0, 19)}+0000${"x".repeat(40)}`;
    const f = moveFindings(
      { ...resolved, timestamps: { ...resolved.timestamps, resolved_at: long } },
      reopened,
      lc,
      at(resolvedMs),
    );
    expect(f).toEqual([
      {
        code: "TIME_INVALID",
        message: `\`timestamps.resolved_at\` is ${JSON.stringify(long.slice(0, 40))} in the base branch, not a time the checker can compute, so the reopen window (P14D) cannot be judged; declare a new incident and link it with related.related`,
        pointer: "/timestamps/resolved_at",
      },
    ]);
    const n = moveFindings(
      { ...resolved, timestamps: { ...resolved.timestamps, resolved_at: 20260304 } },
      reopened,
      lc,
      at(resolvedMs),
    );
    expect(n[0]?.message).toBe(
      "`timestamps.resolved_at` is a number in the base branch, not a time the checker can compute, so the reopen window (P14D) cannot be judged; declare a new incident and link it with related.related",
    );
  });
});

describe("transition: findings", () => {
  it("returns nothing without a target status", () => {
    expect(checkTransition({ status: "new" }, {}, lc)).toEqual([]);
    expect(checkTransition({ status: "new" }, "new", lc)).toEqual([]);
    expect(checkTransition({ status: "new" }, [], lc)).toEqual([]);
  });

  it("UNKNOWN_STATE lists the states", () => {
    expect(checkTransition({ status: "new" }, { status: "done" }, lc)).toEqual([
      {
        code: "UNKNOWN_STATE",
        message:
          "`done` is not a state; states: new, triaged, in_progress, on_hold, mitigated, resolved, closed, canceled",
        pointer: "/status",
      },
    ]);
  });

  it("INCIDENT_FROZEN: a final record, even when it stays in its state", () => {
    expect(checkTransition({ status: "closed" }, { status: "closed" }, lc)).toEqual([
      {
        code: "INCIDENT_FROZEN",
        message: "the record is `closed`, which is final; a recurrence is a new record linked to this one",
        pointer: "/status",
      },
    ]);
  });

  it("TRANSITION_FORBIDDEN names the moves the lifecycle allows, or nothing", () => {
    expect(checkTransition({ status: "new" }, { status: "resolved" }, lc)).toEqual([
      {
        code: "TRANSITION_FORBIDDEN",
        message:
          "cannot move from `new` to `resolved`; from `new` the lifecycle allows: triaged, in_progress, canceled",
        pointer: "/status",
      },
    ]);
    expect(checkTransition({ status: "d" }, { status: "a", x: 1 }, tiny)).toEqual([
      {
        code: "TRANSITION_FORBIDDEN",
        message: "cannot move from `d` to `a`; from `d` the lifecycle allows: nothing",
        pointer: "/status",
      },
    ]);
  });

  it("staying in a state is no move: only the state's requirements are judged", () => {
    expect(checkTransition({ status: "b" }, { status: "b", x: 1 }, tiny)).toEqual([
      { code: "STATE_REQUIRED", message: "status `b` requires `y`", pointer: "/y", target: "parent" },
    ]);
  });

  it("STATE_REQUIRED names where an inherited requirement comes from", () => {
    expect(checkTransition({ status: "b" }, { status: "c" }, tiny)).toEqual([
      {
        code: "STATE_REQUIRED",
        message: "status `c` requires `x` (required from `a` on)",
        pointer: "/x",
        target: "parent",
      },
      { code: "STATE_REQUIRED", message: "status `c` requires `z`", pointer: "/z", target: "parent" },
    ]);
    // Without a `before` status the target's requirements are still judged.
    expect(
      checkTransition(undefined, { status: "triaged", timestamps: {} }, lc).map((f) => f.pointer),
    ).toEqual([
      "/timestamps/declared_at",
      "/timestamps/detected_at",
      "/summary",
      "/severity",
      "/impact",
      "/urgency",
      "/priority",
      "/categories",
      "/roles/incident_commander",
      "/timestamps/triaged_at",
    ]);
  });

  it("edges and targets", () => {
    expect(isEdge(lc, "resolved", "in_progress")).toBe(true);
    expect(isEdge(lc, "in_progress", "new")).toBe(false);
    expect(isEdge(lc, "resolved", "new")).toBe(false);
    expect(targetsFrom(lc, "resolved")).toEqual(["in_progress", "closed"]);
    expect(targetsFrom(lc, "closed")).toEqual([]);
  });

  it("durations: every unit, fractions of a second, and what is not a duration", () => {
    expect(durationMs("P1W2DT3H4M5S")).toBe((((9 * 24 + 3) * 60 + 4) * 60 + 5) * 1000);
    expect(durationMs("PT0.5S")).toBe(500);
    expect(durationMs("PT2M")).toBe(120_000);
    expect(durationMs("PT3H")).toBe(3 * 3_600_000);
    expect(durationMs("P2D")).toBe(2 * DAY);
    for (const bad of ["PT", "P1DT", "xP1D", "P1Dx", "P1.5D", "p1d", ""])
      expect(durationMs(bad), bad).toBeNaN();
  });
});

describe("transition: timestamps a move sets", () => {
  const ids = (record: unknown, to: string) => timestampsToSet(lc, record, to).map((s) => s.id);
  const all = {
    declared_at: "x",
    triaged_at: "x",
    acknowledged_at: "2026-03-04T10:10:00Z",
    mitigated_at: "x",
    resolved_at: "x",
  };

  it("moving back keeps the first acknowledged_at (reopen, resume from hold, back from mitigated)", () => {
    expect(ids({ status: "resolved", timestamps: all }, "in_progress")).toEqual([]);
    expect(ids({ status: "on_hold", timestamps: all }, "in_progress")).toEqual([]);
    expect(ids({ status: "mitigated", timestamps: all }, "in_progress")).toEqual([]);
  });

  it("moving back into a state reached for the first time sets its timestamp", () => {
    const { acknowledged_at: _, ...noAck } = all;
    expect(ids({ status: "resolved", timestamps: noAck }, "in_progress")).toEqual(["in_progress"]);
  });

  it("moving forward (or staying) sets the target's timestamp again, skipped states only when unset", () => {
    expect(ids({ status: "new", timestamps: all }, "triaged")).toEqual(["triaged"]);
    expect(ids({ status: "in_progress", timestamps: all }, "in_progress")).toEqual(["in_progress"]);
    expect(ids({ status: "new", timestamps: { declared_at: "x" } }, "in_progress")).toEqual([
      "triaged",
      "in_progress",
    ]);
    expect(ids(undefined, "in_progress")).toEqual(["new", "triaged", "in_progress"]);
    expect(ids({ status: "new", timestamps: "x" }, "triaged")).toEqual(["new", "triaged"]);
    expect(ids({ status: 3, timestamps: { declared_at: "x" } }, "triaged")).toEqual(["triaged"]);
    expect(ids({ status: "nope", timestamps: { declared_at: "x" } }, "triaged")).toEqual(["triaged"]);
    expect(ids({ status: "new" }, "nope")).toEqual([]);
    // on_hold sets no timestamp of its own.
    expect(ids({ status: "in_progress", timestamps: all }, "on_hold")).toEqual([]);
  });

  it("a state that inherits from another sets that one's timestamp only when unset", () => {
    expect(ids({ status: "new", timestamps: {} }, "canceled")).toEqual(["new", "canceled"]);
    expect(ids({ status: "new", timestamps: { declared_at: "x" } }, "canceled")).toEqual(["canceled"]);
  });
});

describe("requirements", () => {
  it("a required field present but null is missing", () => {
    expect(isPresent(null)).toBe(false);
    expect(isPresent(undefined)).toBe(false);
    expect(isPresent({ a: null })).toBe(true);
    expect(isPresent([0])).toBe(true);
    expect(isPresent("x")).toBe(true);
    const record = { severity: null, roles: null, timestamps: { declared_at: null, detected_at: "y" } };
    expect(missingRequirements(lc, record, "new")).toEqual([
      { path: "timestamps.declared_at", since: "new" },
    ]);
    expect(missingRequirements(lc, record, "triaged").map((r) => r.path)).toContain("severity");
    expect(missingRequirements(lc, record, "triaged").map((r) => r.path)).toContain(
      "roles.incident_commander",
    );
  });

  it("getPath reads own members of objects only", () => {
    expect(getPath({ a: { b: 1 } }, "a.b")).toBe(1);
    expect(getPath({ a: null }, "a.b")).toBeUndefined();
    expect(getPath({ a: "str" }, "a.length")).toBeUndefined();
    expect(getPath({ a: Object.create({ b: 1 }) }, "a.b")).toBeUndefined();
    expect(getPath({ a: { toString: 1 } }, "a.toString")).toBe(1);
    expect(getPath({}, "constructor")).toBeUndefined();
    expect(getPath([5], "0")).toBe(5);
  });

  it("a state inherits from `inherits`, else from the state before it; the first inherits nothing", () => {
    expect(parentState(tiny, findState(tiny, "c") as never)?.id).toBe("a");
    expect(parentState(tiny, findState(tiny, "b") as never)?.id).toBe("a");
    expect(parentState(tiny, findState(tiny, "a") as never)).toBeUndefined();
    expect(findState(tiny, "nope")).toBeUndefined();
  });

  it("a requirement repeated by a later state keeps the state that introduced it", () => {
    expect(requirementsFor(tiny, "b")).toEqual([
      { path: "x", since: "a" },
      { path: "y", since: "b" },
    ]);
    expect(requirementsFor(tiny, "d")).toEqual([
      { path: "x", since: "a" },
      { path: "z", since: "c" },
    ]);
  });
});

describe("resolution", () => {
  const inc = (status: string, timestamps: object, timeline: object[] = []) =>
    ({ status, timestamps, timeline }) as unknown as Incident;

  it("open means not resolved and not final; an unknown state counts as open", () => {
    expect(isOpen("resolved", defaultConfig)).toBe(false);
    expect(isOpen("closed", defaultConfig)).toBe(false);
    expect(isOpen("canceled", defaultConfig)).toBe(false);
    expect(isOpen("in_progress", defaultConfig)).toBe(true);
    expect(isOpen("mitigated", defaultConfig)).toBe(true);
    expect(isOpen("nope", defaultConfig)).toBe(true);
  });

  it("the last move to resolved wins; notes and other moves after it change nothing", () => {
    const timeline = [
      { at: "2026-03-04T11:00:00Z", type: "status_change", from: "in_progress", to: "resolved" },
      { at: "2026-03-05T11:00:00Z", type: "status_change", from: "resolved", to: "in_progress" },
      { at: "2026-03-06T11:00:00Z", type: "status_change", from: "in_progress", to: "resolved" },
      { at: "2026-03-07T11:00:00Z", type: "note", to: "resolved", text: "x" },
      { at: "2026-03-08T11:00:00Z", type: "status_change", from: "resolved", to: "closed" },
    ];
    expect(lastResolution(inc("closed", { resolved_at: RESOLVED_AT }, timeline), defaultConfig)).toBe(
      "2026-03-06T11:00:00Z",
    );
    expect(lastResolution(inc("in_progress", { resolved_at: RESOLVED_AT }, timeline), defaultConfig)).toBe(
      undefined,
    );
  });

  it("a note after the resolution leaves it unchanged; an equal instant keeps the first spelling", () => {
    const note = { at: "2026-03-09T00:00:00Z", type: "note", text: "postmortem scheduled" };
    expect(lastResolution(inc("resolved", { resolved_at: RESOLVED_AT }, [note]), defaultConfig)).toBe(
      RESOLVED_AT,
    );
    const same = {
      at: "2026-03-04T13:00:00+01:00",
      type: "status_change",
      from: "mitigated",
      to: "resolved",
    };
    expect(lastResolution(inc("resolved", { resolved_at: RESOLVED_AT }, [same]), defaultConfig)).toBe(
      RESOLVED_AT,
    );
    const earlier = { at: "2026-03-04T11:00:00Z", type: "status_change", from: "mitigated", to: "resolved" };
    expect(lastResolution(inc("resolved", { resolved_at: RESOLVED_AT }, [earlier]), defaultConfig)).toBe(
      RESOLVED_AT,
    );
  });

  it("only computable times count", () => {
    const move = { at: "2026-03-04T11:00:00Z", type: "status_change", from: "mitigated", to: "resolved" };
    expect(
      lastResolution(inc("resolved", { resolved_at: "2026-03-99T00:00:00Z" }, [move]), defaultConfig),
    ).toBe(move.at);
    expect(lastResolution(inc("resolved", { resolved_at: "soon" }), defaultConfig)).toBeUndefined();
    expect(lastResolution({ status: "resolved" } as unknown as Incident, defaultConfig)).toBeUndefined();
  });
});

describe("compare: a new record", () => {
  it("must start in an initial state, named in the finding, pointing at its first move or its status", () => {
    expect(checkChange(undefined, { status: "triaged", timeline: [] }, lc)).toEqual({
      findings: [
        {
          code: "TRANSITION_FORBIDDEN",
          message: "a new record must start in `new`, not `triaged`",
          pointer: "/status",
        },
      ],
      moves: [],
    });
    const timeline = [
      { type: "note", at: RESOLVED_AT },
      { type: "status_change", at: RESOLVED_AT, from: "c", to: "d" },
    ];
    expect(checkChange(undefined, { status: "d", timeline }, tiny)).toEqual({
      findings: [
        {
          code: "TRANSITION_FORBIDDEN",
          message: "a new record must start in `a` or `b`, not `c`",
          pointer: "/timeline/1/from",
        },
      ],
      moves: [],
    });
  });

  it("records its moves from the initial state, each with its time and index", () => {
    const timeline = [
      { type: "note", at: "2026-03-04T10:00:00Z" },
      { type: "status_change", at: "2026-03-04T10:05:00Z", from: "new", to: "triaged" },
      { type: "status_change", at: "2026-03-04T10:06:00Z", from: "triaged", to: "in_progress" },
    ];
    expect(checkChange(undefined, { status: "in_progress", timeline }, lc, { now: at(resolvedMs) })).toEqual({
      findings: [],
      moves: [
        { from: "new", to: "triaged", at: "2026-03-04T10:05:00Z", index: 1 },
        { from: "triaged", to: "in_progress", at: "2026-03-04T10:06:00Z", index: 2 },
      ],
    });
    // Without moves, the status is the start.
    expect(checkChange(undefined, { status: "new" }, lc)).toEqual({ findings: [], moves: [] });
    expect(checkChange(undefined, "not a record", lc)).toEqual({ findings: [], moves: [] });
  });
});

describe("compare: a changed record", () => {
  const base = {
    id: "INC-2026-0001",
    status: "in_progress",
    severity: "SEV2",
    timestamps: { declared_at: "2026-03-04T10:00:00Z", acknowledged_at: "2026-03-04T10:10:00Z" },
    timeline: [
      { at: "2026-03-04T10:00:00Z", type: "note", text: "declared" },
      { at: "2026-03-04T10:10:00Z", type: "status_change", from: "new", to: "in_progress" },
    ],
  };
  const now = at(resolvedMs + DAY);

  it("INCIDENT_FROZEN: a final record is final to the byte, and unchanged is fine", () => {
    const closed = { ...base, status: "closed" };
    const frozen = {
      findings: [
        {
          code: "INCIDENT_FROZEN",
          message:
            "the record was already `closed` in the base branch, which is final; record a recurrence as a new record linked to this one",
          pointer: "/status",
        },
      ],
      moves: [],
    };
    expect(checkChange(closed, closed, lc, { bytesChanged: true })).toEqual(frozen);
    expect(checkChange(closed, { ...closed, title: "x" }, lc)).toEqual(frozen);
    expect(checkChange(closed, { ...closed, title: "x" }, lc, { bytesChanged: false })).toEqual({
      findings: [],
      moves: [],
    });
    expect(checkChange(closed, structuredClone(closed), lc)).toEqual({ findings: [], moves: [] });
    // A record that is not final may change.
    expect(checkChange(base, { ...base, title: "x" }, lc, { bytesChanged: true })).toEqual({
      findings: [],
      moves: [],
    });
  });

  it("FIELD_IMMUTABLE: id and declared_at, pointing at the new value or at the parent that lost it", () => {
    const r = checkChange(base, { ...base, id: "INC-2026-0002", timestamps: { acknowledged_at: "x" } }, lc);
    expect(r.findings).toEqual([
      {
        code: "FIELD_IMMUTABLE",
        message: '`id` was "INC-2026-0001" in the base branch and never changes',
        pointer: "/id",
        target: "value",
      },
      {
        code: "FIELD_IMMUTABLE",
        message: '`timestamps.declared_at` was "2026-03-04T10:00:00Z" in the base branch and never changes',
        pointer: "/timestamps/declared_at",
        target: "parent",
      },
    ]);
    // Setting a field the base lacked is not a change of it.
    const { id: _, ...noId } = base;
    expect(checkChange({ ...noId, timestamps: "x" }, base, lc, { bytesChanged: true }).findings).toEqual([]);
  });

  it("TIMELINE_REWRITTEN: entry 0 rewritten, a later entry rewritten, entries removed", () => {
    const rewrite0 = { ...base, timeline: [{ ...base.timeline[0], text: "edited" }, base.timeline[1]] };
    expect(checkChange(base, rewrite0, lc)).toEqual({
      findings: [
        {
          code: "TIMELINE_REWRITTEN",
          message:
            "timeline entry 0 differs from the one already merged; the timeline is append-only (add a correcting entry instead)",
          pointer: "/timeline/0",
        },
      ],
      moves: [],
    });
    const rewrite1 = {
      ...base,
      timeline: [base.timeline[0], { ...base.timeline[1], at: "2026-03-04T10:11:00Z" }],
    };
    expect(checkChange(base, rewrite1, lc).findings.map((f) => f.pointer)).toEqual(["/timeline/1"]);
    const removed = { ...base, timeline: [base.timeline[0]] };
    expect(checkChange(base, removed, lc)).toEqual({
      findings: [
        {
          code: "TIMELINE_REWRITTEN",
          message: "timeline entries from 1 on were removed; the timeline is append-only",
          pointer: "/timeline",
        },
      ],
      moves: [],
    });
    expect(checkChange(base, { ...base, timeline: "gone" }, lc).findings.map((f) => f.pointer)).toEqual([
      "/timeline",
    ]);
  });

  const withMoves = (status: string, ...moves: Array<[string, string, string?]>) => ({
    ...base,
    status,
    timestamps: { ...base.timestamps, resolved_at: RESOLVED_AT },
    timeline: [
      ...base.timeline,
      ...moves.map(([from, to, when]) => ({ at: when ?? RESOLVED_AT, type: "status_change", from, to })),
    ],
  });

  it("resolve then reopen within one pull request: both moves, the reopen judged from the new resolution", () => {
    const head = withMoves("in_progress", ["in_progress", "resolved"], ["resolved", "in_progress"]);
    expect(checkChange(base, head, lc, { now })).toEqual({
      findings: [],
      moves: [
        { from: "in_progress", to: "resolved", at: RESOLVED_AT, index: 2 },
        { from: "resolved", to: "in_progress", at: RESOLVED_AT, index: 3 },
      ],
    });
    expect(checkChange(base, head, lc, { now: at(resolvedMs + 15 * DAY) }).findings).toEqual([
      {
        code: "REOPEN_WINDOW_EXPIRED",
        message: `resolved at ${RESOLVED_AT}, longer ago than the reopen window (P14D); declare a new incident and link it with related.related`,
        pointer: "/timeline/3/to",
      },
    ]);
  });

  it("a move is judged no earlier than the check runs, and no earlier than it says it happened", () => {
    const late = "2026-03-30T00:00:00Z";
    const head = withMoves("in_progress", ["in_progress", "resolved"], ["resolved", "in_progress", late]);
    expect(checkChange(base, head, lc, { now }).findings.map((f) => f.code)).toEqual([
      "REOPEN_WINDOW_EXPIRED",
    ]);
    // Without a clock the recorded time judges.
    expect(checkChange(base, head, lc).findings.map((f) => f.code)).toEqual(["REOPEN_WINDOW_EXPIRED"]);
    const early = withMoves("in_progress", ["in_progress", "resolved"], ["resolved", "in_progress"]);
    expect(checkChange(base, early, lc).findings).toEqual([]);
  });

  it("TIME_INVALID for a move whose time cannot be computed, when no clock judges it", () => {
    const head = withMoves("resolved", ["in_progress", "resolved", "2026-03-04 12:00"]);
    expect(checkChange(base, head, lc)).toEqual({
      findings: [
        {
          code: "TIME_INVALID",
          message:
            "timeline entry 2 has no time the checker can compute, so the move `in_progress` -> `resolved` cannot be judged",
          pointer: "/timeline/2/at",
        },
      ],
      moves: [{ from: "in_progress", to: "resolved", at: "2026-03-04 12:00", index: 2 }],
    });
    expect(checkChange(base, head, lc, { now }).findings).toEqual([]);
    const noAt = {
      ...base,
      timeline: [...base.timeline, { type: "status_change", from: "in_progress", to: "mitigated" }],
    };
    expect(checkChange(base, { ...noAt, status: "mitigated" }, lc, { now })).toEqual({
      findings: [],
      moves: [{ from: "in_progress", to: "mitigated", at: undefined, index: 2 }],
    });
  });

  it("TIME_INVALID of the base's resolution time reaches the check", () => {
    const baseResolved = {
      ...base,
      status: "resolved",
      timestamps: { ...base.timestamps, resolved_at: "yesterday" },
    };
    const head = {
      ...baseResolved,
      status: "in_progress",
      timeline: [
        ...base.timeline,
        { at: RESOLVED_AT, type: "status_change", from: "resolved", to: "in_progress" },
      ],
    };
    expect(checkChange(baseResolved, head, lc, { now }).findings.map((f) => [f.code, f.pointer])).toEqual([
      ["TIME_INVALID", "/timestamps/resolved_at"],
    ]);
  });

  it("STATUS_UNRECORDED: a move from a state the record was not in, or a status no move reached", () => {
    const head = withMoves("resolved", ["mitigated", "resolved"]);
    expect(checkChange(base, head, lc, { now })).toEqual({
      findings: [
        {
          code: "STATUS_UNRECORDED",
          message: "timeline entry 2 moves from `mitigated`, but the record was `in_progress` at that point",
          pointer: "/timeline/2/from",
        },
      ],
      moves: [],
    });
    expect(checkChange(base, { ...base, status: "mitigated" }, lc, { now })).toEqual({
      findings: [
        {
          code: "STATUS_UNRECORDED",
          message:
            "status is `mitigated` but the pull request records no move from `in_progress` to it; add status_change timeline entries (incident status does this)",
          pointer: "/status",
        },
      ],
      moves: [],
    });
    const { status: _, ...noStatus } = base;
    expect(checkChange(base, noStatus, lc, { now })).toEqual({ findings: [], moves: [] });
  });

  it("entries that are not moves, or moves without from and to, are not walked", () => {
    const head = {
      ...base,
      status: "mitigated",
      timeline: [
        ...base.timeline,
        "text",
        { at: RESOLVED_AT, type: "note", from: "x", to: "y" },
        { at: RESOLVED_AT, type: "status_change", to: "resolved" },
        { at: RESOLVED_AT, type: "status_change", from: "in_progress" },
        { at: RESOLVED_AT, type: "status_change", from: "in_progress", to: "mitigated" },
      ],
    };
    expect(checkChange(base, head, lc, { now })).toEqual({
      findings: [],
      moves: [{ from: "in_progress", to: "mitigated", at: RESOLVED_AT, index: 6 }],
    });
  });

  it("TRANSITION_SKIPPED names the states skipped; TRANSITION_FORBIDDEN when no path leads there", () => {
    expect(checkChange(base, withMoves("closed", ["in_progress", "closed"]), lc, { now })).toEqual({
      findings: [
        {
          code: "TRANSITION_SKIPPED",
          message: "`in_progress` -> `closed` skips `resolved`; record each move",
          pointer: "/timeline/2/to",
        },
      ],
      moves: [],
    });
    const fromNew = { ...base, status: "new", timeline: [] };
    const skipTwo = {
      ...fromNew,
      status: "closed",
      timeline: [{ at: RESOLVED_AT, type: "status_change", from: "new", to: "closed" }],
    };
    expect(checkChange(fromNew, skipTwo, lc, { now }).findings).toEqual([
      {
        code: "TRANSITION_SKIPPED",
        message: "`new` -> `closed` skips `in_progress`, `resolved`; record each move",
        pointer: "/timeline/0/to",
      },
    ]);
    expect(checkChange(base, withMoves("new", ["in_progress", "new"]), lc, { now })).toEqual({
      findings: [
        {
          code: "TRANSITION_FORBIDDEN",
          message: "the lifecycle has no move from `in_progress` to `new`",
          pointer: "/timeline/2/to",
        },
      ],
      moves: [],
    });
  });

  it("statesBetween: the states on a shortest path, [] for an edge, undefined without a path", () => {
    expect(statesBetween(lc, "new", "closed")).toEqual(["in_progress", "resolved"]);
    expect(statesBetween(lc, "new", "triaged")).toEqual([]);
    expect(statesBetween(lc, "on_hold", "resolved")).toEqual(["in_progress"]);
    expect(statesBetween(lc, "triaged", "mitigated")).toEqual(["in_progress"]);
    expect(statesBetween(lc, "in_progress", "new")).toBeUndefined();
    expect(statesBetween(lc, "new", "new")).toEqual([]);
  });
});

describe("compare: a record without a timeline (problems)", () => {
  const problem = { id: "PRB-2026-0001", status: "new", timestamps: { created_at: RESOLVED_AT } };
  const opts = { timeline: false, now: at(resolvedMs) };

  it("moves one edge per pull request, recorded without a time or index", () => {
    const r = checkChange(problem, { ...problem, status: "assessed" }, plc, opts);
    expect(r).toStrictEqual({ findings: [], moves: [{ from: "new", to: "assessed" }] });
    expect(checkChange(problem, problem, plc, opts)).toEqual({ findings: [], moves: [] });
    expect(checkChange(problem, { ...problem, status: 1 }, plc, opts)).toEqual({ findings: [], moves: [] });
  });

  it("TRANSITION_SKIPPED and TRANSITION_FORBIDDEN point at the status", () => {
    expect(checkChange(problem, { ...problem, status: "known_error" }, plc, opts)).toEqual({
      findings: [
        {
          code: "TRANSITION_SKIPPED",
          message:
            "`new` -> `known_error` skips `assessed`, `root_cause_analysis`; move one state per pull request",
          pointer: "/status",
        },
      ],
      moves: [],
    });
    const fix = { ...problem, status: "fix_in_progress" };
    expect(checkChange(fix, { ...problem, status: "new" }, plc, opts)).toEqual({
      findings: [
        {
          code: "TRANSITION_FORBIDDEN",
          message: "the lifecycle has no move from `fix_in_progress` to `new`",
          pointer: "/status",
        },
      ],
      moves: [],
    });
  });

  it("the reopen window holds here too, judged by the clock the caller gives (none: no window)", () => {
    const old = { ...resolved, timestamps: { ...resolved.timestamps, resolved_at: "2020-01-01T00:00:00Z" } };
    const back = { ...old, status: "in_progress" };
    const expired = {
      code: "REOPEN_WINDOW_EXPIRED",
      message:
        "resolved at 2020-01-01T00:00:00Z, longer ago than the reopen window (P14D); declare a new incident and link it with related.related",
      pointer: "/status",
    };
    expect(
      checkChange(old, back, lc, { timeline: false, now: at(Date.parse("2026-06-01T00:00:00Z")) }),
    ).toEqual({
      findings: [expired],
      moves: [{ from: "resolved", to: "in_progress" }],
    });
    // The clock is an input, never a default: without one, no window is judged.
    expect(checkChange(old, back, lc, { timeline: false })).toEqual({
      findings: [],
      moves: [{ from: "resolved", to: "in_progress" }],
    });
    expect(
      checkChange(old, back, lc, { timeline: false, now: at(Date.parse("2020-01-02T00:00:00Z")) }),
    ).toEqual({
      findings: [],
      moves: [{ from: "resolved", to: "in_progress" }],
    });
    const unreadable = { ...old, timestamps: { resolved_at: "never" } };
    expect(
      checkChange(unreadable, { ...unreadable, status: "in_progress" }, lc, {
        timeline: false,
        now: at(Date.parse("2026-06-01T00:00:00Z")),
      }).findings.map((f) => f.code),
    ).toEqual(["TIME_INVALID"]);
    // Requirements are validate's to judge, not the change's.
    expect(checkChange({ status: "new" }, { status: "assessed" }, plc, opts).findings).toEqual([]);
  });

  it("a new problem record starts in an initial state", () => {
    expect(checkChange(undefined, { status: "assessed" }, plc, opts).findings.map((f) => f.pointer)).toEqual([
      "/status",
    ]);
    expect(checkChange(undefined, { status: "new" }, plc, opts)).toEqual({ findings: [], moves: [] });
  });
});

describe("compare: approvals the moves need", () => {
  const close = [{ from: "resolved", to: "closed", at: RESOLVED_AT, index: 4 }];

  it("closing a severity that needs no approval needs none; a listed severity, base or head, does", () => {
    expect(approvalsNeeded(close, lc, ["SEV4"], SEVS)).toEqual([]);
    expect(approvalsNeeded(close, lc, ["SEV4", undefined], SEVS)).toEqual([]);
    expect(approvalsNeeded(close, lc, [], SEVS)).toEqual([]);
    expect(approvalsNeeded(close, lc, [3, null], SEVS)).toEqual([]);
    expect(approvalsNeeded(close, lc, ["SEV4", "SEV2"], SEVS)).toEqual([
      { from: "resolved", to: "closed", at: RESOLVED_AT, index: 4, role: "incident_manager" },
    ]);
    expect(approvalsNeeded([{ from: "in_progress", to: "canceled" }], lc, [undefined, "SEV1"], SEVS)).toEqual(
      [{ from: "in_progress", to: "canceled", role: "incident_manager" }],
    );
  });

  it("moves without an approval need none; an approval without severities is always needed", () => {
    expect(approvalsNeeded([{ from: "resolved", to: "in_progress" }], lc, ["SEV1"], SEVS)).toEqual([]);
    expect(approvalsNeeded([{ from: "x", to: "y" }], lc, ["SEV1"], SEVS)).toEqual([]);
    expect(
      approvalsNeeded(
        [
          { from: "a", to: "b" },
          { from: "b", to: "c" },
        ],
        tiny,
        [],
        SEVS,
      ),
    ).toEqual([{ from: "b", to: "c", role: "maintainer" }]);
  });

  it("the built-in sign-off follows the severities marked major, whatever their ids", () => {
    // A team that adds SEV0 as major and makes SEV2 minor: the sign-off moves with the flag.
    const sevs = [
      { ...(SEVS[0] as (typeof SEVS)[number]), id: "SEV0", major: true },
      ...SEVS.map((d) => (d.id === "SEV2" ? { ...d, major: false } : d)),
    ];
    expect(approvalsNeeded(close, lc, ["SEV0"], sevs).map((n) => n.role)).toEqual(["incident_manager"]);
    expect(approvalsNeeded(close, lc, ["SEV2"], sevs)).toEqual([]);
    expect(approvalsNeeded(close, lc, ["SEV1"], sevs).length).toBe(1);
    // An unknown severity is not major.
    expect(approvalsNeeded(close, lc, ["SEV9"], sevs)).toEqual([]);
  });

  it("an approval applies to listed severities, to major ones when asked, or to all when it names neither", () => {
    const defs = [
      { ...(SEVS[0] as (typeof SEVS)[number]), id: "SEV1", major: true },
      { ...(SEVS[0] as (typeof SEVS)[number]), id: "SEV3", major: false },
    ];
    const role = "incident_manager" as const;
    expect(approvalApplies({ role }, undefined, defs)).toBe(true);
    expect(approvalApplies({ role }, "SEV3", defs)).toBe(true);
    expect(approvalApplies({ role, major: true }, "SEV1", defs)).toBe(true);
    expect(approvalApplies({ role, major: true }, "SEV3", defs)).toBe(false);
    expect(approvalApplies({ role, major: true }, undefined, defs)).toBe(false);
    expect(approvalApplies({ role, major: false }, "SEV3", defs)).toBe(true);
    expect(approvalApplies({ role, severities: ["SEV3"] }, "SEV3", defs)).toBe(true);
    expect(approvalApplies({ role, severities: ["SEV3"] }, "SEV1", defs)).toBe(false);
    expect(approvalApplies({ role, severities: ["SEV3"], major: true }, "SEV1", defs)).toBe(true);
    expect(approvalApplies({ role, severities: [] }, "SEV1", defs)).toBe(false);
  });
});

describe("calendar", () => {
  const none = new Set<string>();

  it("dates: day numbers, real dates only", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(dayNumber("2026-03-01")).toBe(20_513);
    for (const bad of ["2026-02-30", "2026-3-01", "x2026-03-01", "2026-03-01x", ""])
      expect(dayNumber(bad), bad).toBeNaN();
    expect(daysBetween("2026-03-01", "2026-03-04")).toBe(3);
    expect(daysBetween("2026-03-04", "2026-03-01")).toBe(-3);
    expect(localDate("2026-03-04T23:30:00Z", "Europe/Berlin")).toBe("2026-03-05");
    expect(localDate(new Date("2026-03-04T23:30:00Z"), "UTC")).toBe("2026-03-04");
  });

  it("business days: Monday to Friday, minus holidays", () => {
    // 2026-03-06 is a Friday.
    expect(
      ["2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"].map((d) => isBusinessDay(d, none)),
    ).toEqual([true, false, false, true]);
    expect(isBusinessDay("2026-03-09", new Set(["2026-03-09"]))).toBe(false);
    expect(isBusinessDay("1969-12-31", none)).toBe(true);
    expect(isBusinessDay("1969-12-28", none)).toBe(false);
    expect(isBusinessDay("nope", none)).toBe(false);
    expect(addBusinessDays("2026-03-06", 1, none)).toBe("2026-03-09");
    expect(addBusinessDays("2026-03-06", 1, new Set(["2026-03-09"]))).toBe("2026-03-10");
    expect(addBusinessDays("2026-03-04", 5, none)).toBe("2026-03-11");
    expect(addBusinessDays("2026-03-04", 0, none)).toBe("2026-03-04");
    expect(addBusinessDays("2026-03-04", -2, none)).toBe("2026-03-04");
    expect(addBusinessDays("2026-03-04", 1.9, none)).toBe("2026-03-05");
    expect(() => addBusinessDays("2026-02-30", 1, none)).toThrow(new RangeError("not a date: 2026-02-30"));
  });

  it("an action item is overdue from the day after its due date, while open or in progress", () => {
    const item = { id: "A", title: "t", class: "prevent", owner: "o", due: "2026-03-04" } as const;
    expect(actionDaysOverdue({ ...item, status: "open" }, "2026-03-04")).toBeUndefined();
    expect(actionDaysOverdue({ ...item, status: "open" }, "2026-03-05")).toBe(1);
    expect(actionDaysOverdue({ ...item, status: "in_progress" }, "2026-03-07")).toBe(3);
    expect(actionDaysOverdue({ ...item, status: "done" }, "2026-03-07")).toBeUndefined();
    expect(actionDaysOverdue({ ...item, status: "wont_do" }, "2026-03-07")).toBeUndefined();
    expect(actionDaysOverdue({ ...item, due: undefined, status: "open" }, "2026-03-07")).toBeUndefined();
  });
});
