// CDEvents 0.5.1 incident events, in-process: the official schemas accept the specification's own
// conformance examples (the validator's set-up) and every event the mapping makes; status changes map
// to detected, reported and resolved as docs/export.md says; ids are stable; hostile text stays data.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import {
  addedStatusChanges,
  CDEVENT_TYPES,
  type CDEvent,
  eventKindOf,
  incidentEvents,
  type RecordPair,
  recordEvents,
  toCloudEvent,
} from "../src/export/cdevents.js";
import { jsonLines } from "../src/export/json.js";
import type { Incident, Status, TimelineEntry } from "../src/model/types.js";
import { repoRoot } from "./helpers/cli.js";

const FIXTURES = join(repoRoot, "test/fixtures/cdevents-0.5.1");
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

const ajv = new Ajv2020.default({ allErrors: true, strict: true });
addFormats.default(ajv);
for (const f of readdirSync(join(FIXTURES, "schemas/links")))
  ajv.addSchema(readJson(join(FIXTURES, "schemas/links", f)));
const validators = Object.fromEntries(
  (["detected", "reported", "resolved"] as const).map((k) => [
    CDEVENT_TYPES[k],
    ajv.compile(readJson(join(FIXTURES, `schemas/incident${k}.json`))),
  ]),
);

function expectValid(event: unknown): void {
  const type = (event as CDEvent).context.type;
  const validate = validators[type];
  expect(validate, `a schema for ${type}`).toBeDefined();
  const ok = validate?.(event);
  expect(ok, JSON.stringify(validate?.errors, null, 1)).toBe(true);
}

const entry = (at: string, from: Status, to: Status, actor = "jlee"): TimelineEntry => ({
  at,
  type: "status_change",
  actor,
  from,
  to,
  text: "Moved on.",
});

function incident(over: Partial<Incident> = {}): Incident {
  return {
    schema_version: 1,
    id: "INC-2026-0200",
    title: "Checkout errors",
    status: "triaged",
    severity: "SEV2",
    priority: "P2",
    categories: ["ops.change"],
    services: ["checkout-api"],
    timestamps: { detected_at: "2026-04-01T09:00:00Z", declared_at: "2026-04-01T09:05:00Z" },
    timeline: [entry("2026-04-01T09:10:00Z", "new", "triaged")],
    ...over,
  };
}

const OPTS = { source: "https://github.com/acme/incidents" };

describe("the validator set-up", () => {
  it.each(["detected", "reported", "resolved"])("accepts the conformance example of incident.%s", (kind) => {
    expectValid(readJson(join(FIXTURES, `conformance/incident_${kind}.json`)));
  });

  it("refuses a reported event without its ticket, so a pass means something", () => {
    const example = readJson(join(FIXTURES, "conformance/incident_reported.json")) as unknown as CDEvent;
    const { ticketURI: _, ...content } = example.subject.content;
    const broken = { ...example, subject: { ...example.subject, content } };
    expect(validators[CDEVENT_TYPES.reported]?.(broken)).toBe(false);
  });

  it("uses the type strings of the 0.5.1 schemas", () => {
    expect(Object.keys(validators).sort()).toEqual([
      "dev.cdevents.incident.detected.0.3.0",
      "dev.cdevents.incident.reported.0.3.0",
      "dev.cdevents.incident.resolved.0.3.0",
    ]);
  });
});

describe("which status changes are events", () => {
  it.each([
    ["new", "triaged", "reported"],
    ["new", "in_progress", "reported"],
    ["new", "mitigated", "reported"],
    ["new", "canceled", undefined],
    ["triaged", "in_progress", undefined],
    ["in_progress", "on_hold", undefined],
    ["in_progress", "mitigated", undefined],
    ["mitigated", "resolved", "resolved"],
    ["new", "resolved", "resolved"],
    ["in_progress", "closed", "resolved"],
    ["resolved", "closed", undefined],
    ["resolved", "in_progress", "detected"],
    ["closed", "triaged", "detected"],
    ["in_progress", "canceled", undefined],
  ] as const)("%s -> %s: %s", (from, to, kind) => {
    expect(eventKindOf(from, to)).toBe(kind);
  });

  it("an entry without from or to is none", () => {
    expect(eventKindOf(undefined, "resolved")).toBeUndefined();
    expect(eventKindOf("new", undefined)).toBeUndefined();
  });
});

describe("status changes added between two revisions", () => {
  const a = entry("2026-04-01T09:10:00Z", "new", "triaged");
  const b = entry("2026-04-01T10:00:00Z", "triaged", "in_progress");
  const c = entry("2026-04-01T12:00:00Z", "in_progress", "resolved");

  it("are the ones the later revision has and the earlier one does not", () => {
    const before = incident({ timeline: [a, b] });
    const after = incident({ timeline: [a, b, { at: "2026-04-01T11:00:00Z", type: "note", text: "x" }, c] });
    expect(addedStatusChanges(before, after)).toEqual([c]);
    expect(addedStatusChanges(undefined, after)).toEqual([a, b, c]);
    expect(addedStatusChanges(after, after)).toEqual([]);
  });

  it("a reworded entry is not new; a repeated move at another time is", () => {
    const before = incident({ timeline: [a] });
    expect(addedStatusChanges(before, incident({ timeline: [{ ...a, text: "Reworded." }] }))).toEqual([]);
    const twice = { ...a, at: "2026-04-02T09:10:00Z" };
    expect(addedStatusChanges(before, incident({ timeline: [a, twice] }))).toEqual([twice]);
    expect(addedStatusChanges(before, incident({ timeline: [a, a] }))).toEqual([a]);
  });
});

describe("events of one record", () => {
  it("a new record: detected at its detection time, then one event per meaningful status change", () => {
    const after = incident({
      timeline: [
        entry("2026-04-01T09:10:00Z", "new", "triaged"),
        entry("2026-04-01T09:20:00Z", "triaged", "in_progress"),
        entry("2026-04-01T11:00:00+02:00", "in_progress", "resolved"),
      ],
    });
    const events = recordEvents({ after, path: "incidents/2026/INC-2026-0200.yaml" }, OPTS);
    expect(events.map((e) => [e.context.type.split(".")[3], e.context.timestamp])).toEqual([
      ["detected", "2026-04-01T09:00:00.000Z"],
      ["reported", "2026-04-01T09:10:00.000Z"],
      ["resolved", "2026-04-01T09:00:00.000Z"],
    ]);
    for (const e of events) expectValid(e);
    const [detected, reported, resolved] = events as [CDEvent, CDEvent, CDEvent];
    expect(detected.subject).toEqual({
      id: "INC-2026-0200",
      source: OPTS.source,
      content: {
        description: "Checkout errors",
        environment: { id: "production" },
        service: { id: "checkout-api" },
      },
    });
    expect(detected.customData).toMatchObject({ record: "added", severity: "SEV2", priority: "P2" });
    expect(reported.subject.content.ticketURI).toBe("urn:incident-as-code:INC-2026-0200");
    expect(resolved.customData).toMatchObject({ from: "in_progress", to: "resolved", actor: "jlee" });
    expect(detected.context).toMatchObject({ specversion: "0.5.1", source: OPTS.source });
  });

  it("a known record: only the status changes added since", () => {
    const before = incident();
    const after = incident({
      timeline: [...before.timeline, entry("2026-04-02T09:00:00Z", "triaged", "resolved")],
    });
    const events = recordEvents({ before, after, path: "p.yaml" }, OPTS);
    expect(events.map((e) => e.context.type)).toEqual([CDEVENT_TYPES.resolved]);
    expect(recordEvents({ before: after, after, path: "p.yaml" }, OPTS)).toEqual([]);
  });

  it("a reopen is detected again", () => {
    const before = incident({ status: "resolved" });
    const after = incident({
      timeline: [...before.timeline, entry("2026-04-03T09:00:00Z", "resolved", "in_progress")],
    });
    const [event] = recordEvents({ before, after, path: "p.yaml" }, OPTS);
    expect(event?.context.type).toBe(CDEVENT_TYPES.detected);
    expectValid(event);
  });

  it("the ticket: the record's ticket link, else the file's URL, else a URN", () => {
    const withTicket = incident({
      external_refs: [
        { type: "chat", url: "https://chat.example/x" },
        { type: "ticket", url: "https://tickets.example/OPS-12" },
      ],
    });
    const ticketOf = (inc: Incident, recordUrl?: (p: string) => string) =>
      recordEvents({ after: inc, path: "incidents/2026/INC-2026-0200.yaml" }, { ...OPTS, recordUrl }).find(
        (e) => e.context.type === CDEVENT_TYPES.reported,
      )?.subject.content.ticketURI;
    expect(ticketOf(withTicket)).toBe("https://tickets.example/OPS-12");
    expect(ticketOf(incident(), (p) => `https://github.com/acme/incidents/blob/abc/${p}`)).toBe(
      "https://github.com/acme/incidents/blob/abc/incidents/2026/INC-2026-0200.yaml",
    );
    expect(ticketOf(incident(), () => "not a uri")).toBe("urn:incident-as-code:INC-2026-0200");
  });

  it("environment: the option, production by default, the mode for tests and game days", () => {
    const env = (inc: Incident, environment?: string) =>
      recordEvents({ after: inc, path: "p.yaml" }, { ...OPTS, environment })[0]?.subject.content.environment
        .id;
    expect(env(incident())).toBe("production");
    expect(env(incident(), "eu-prod")).toBe("eu-prod");
    expect(env(incident({ mode: "gameday" }), "eu-prod")).toBe("gameday");
    expect(env(incident({ mode: "test" }))).toBe("test");
    expect(env(incident({ mode: "retrospective" }))).toBe("production");
  });

  it("a record without services has no service; without a detection time it is dated by its declaration", () => {
    const inc = incident({ services: undefined, timestamps: { declared_at: "2026-04-01T09:05:00Z" } });
    const [detected] = recordEvents({ after: inc, path: "p.yaml" }, OPTS);
    expect(detected?.subject.content.service).toBeUndefined();
    expect(detected?.context.timestamp).toBe("2026-04-01T09:05:00.000Z");
    expectValid(detected);
  });
});

describe("events of many records", () => {
  const one = incident({ id: "INC-2026-0201", timeline: [entry("2026-04-01T09:30:00Z", "new", "triaged")] });
  const two = incident({
    id: "INC-2026-0202",
    timestamps: { detected_at: "2026-04-01T09:15:00Z" },
    timeline: [entry("2026-04-01T09:30:00Z", "new", "in_progress")],
  });
  const pairs: RecordPair[] = [
    { after: one, path: "a.yaml" },
    { after: two, path: "b.yaml" },
  ];

  it("are ordered by time, then incident id", () => {
    const events = incidentEvents(pairs, OPTS);
    expect(
      events.map((e) => `${e.context.timestamp} ${e.subject.id} ${e.context.type.split(".")[3]}`),
    ).toEqual([
      "2026-04-01T09:00:00.000Z INC-2026-0201 detected",
      "2026-04-01T09:15:00.000Z INC-2026-0202 detected",
      "2026-04-01T09:30:00.000Z INC-2026-0201 reported",
      "2026-04-01T09:30:00.000Z INC-2026-0202 reported",
    ]);
    expect(incidentEvents([...pairs].reverse(), OPTS)).toEqual(events);
  });

  it("have stable ids: the same input twice gives the same ids, different entries different ones", () => {
    const ids = incidentEvents(pairs, OPTS).map((e) => e.context.id);
    expect(incidentEvents(pairs, OPTS).map((e) => e.context.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("wrap into structured-mode CloudEvents whose data is the CDEvent", () => {
    for (const e of incidentEvents(pairs, OPTS)) {
      const ce = toCloudEvent(e);
      expect(ce).toEqual({
        specversion: "1.0",
        id: e.context.id,
        source: OPTS.source,
        type: e.context.type,
        time: e.context.timestamp,
        subject: e.subject.id,
        datacontenttype: "application/json",
        data: e,
      });
      expectValid(ce.data);
    }
  });
});

describe("hostile text", () => {
  it("titles and actors stay inside their JSON strings, one event per line", () => {
    const nasty = 'a"b\\c\nd\re\u2028f\u2029g\u0085h\u202ei {"x":1}';
    const inc = incident({
      title: nasty,
      timeline: [entry("2026-04-01T09:10:00Z", "new", "triaged", nasty)],
    });
    const events = recordEvents({ after: inc, path: "p.yaml" }, OPTS);
    const text = jsonLines(events.map(toCloudEvent));
    const lines = text.split("\n");
    expect(lines).toHaveLength(events.length + 1);
    expect(lines.at(-1)).toBe("");
    const back = lines.slice(0, -1).map((l) => JSON.parse(l) as { data: CDEvent });
    expect(back.map((b) => b.data.subject.content.description)).toEqual([nasty, nasty]);
    expect(back[1]?.data.customData.actor).toBe(nasty);
    expect(text).not.toMatch(/[\u2028\u2029\u0085\u202e\r]/);
    for (const b of back) expectValid(b.data);
  });
});
