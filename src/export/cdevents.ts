// CDEvents 0.5.1 incident events (detected, reported, resolved) from what changed in incident records
// between two revisions: a pure function of the records at both revisions. Each event is a CDEvent
// (context, subject, customData), optionally wrapped in a structured-mode CloudEvent 1.0 whose `data`
// is the CDEvent, as the CDEvents CloudEvents binding describes. docs/export.md has the mapping.

import type { Incident, Status, TimelineEntry } from "../model/types.js";
import { stableUuid } from "./ids.js";

export const CDEVENTS_SPEC_VERSION = "0.5.1";

export type IncidentEventKind = "detected" | "reported" | "resolved";

/** The event type string of each kind, as the CDEvents 0.5.1 schemas fix it. */
export const CDEVENT_TYPES: Readonly<Record<IncidentEventKind, string>> = {
  detected: "dev.cdevents.incident.detected.0.3.0",
  reported: "dev.cdevents.incident.reported.0.3.0",
  resolved: "dev.cdevents.incident.resolved.0.3.0",
};

export interface CDEvent {
  context: { specversion: string; id: string; source: string; type: string; timestamp: string };
  subject: {
    id: string;
    source: string;
    content: {
      description?: string;
      environment: { id: string };
      service?: { id: string };
      ticketURI?: string;
    };
  };
  customData: Record<string, unknown>;
  customDataContentType: "application/json";
}

export interface CloudEvent {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype: "application/json";
  data: CDEvent;
}

/** One incident as the two revisions hold it: `before` is absent when the record is new. */
export interface RecordPair {
  before?: Incident;
  after: Incident;
  /** The record's path in the repository at the later revision. */
  path: string;
}

export interface EventOptions {
  /** `context.source` and `subject.source`: a URI reference naming the repository. */
  source: string;
  /** The environment of incidents in standard or retrospective mode (default "production"). */
  environment?: string;
  /** A link to the record for `reported` events when it has no ticket: e.g. the file on GitHub. */
  recordUrl?: (path: string) => string | undefined;
}

const OPEN: ReadonlySet<Status> = new Set(["triaged", "in_progress", "on_hold", "mitigated"]);
const DONE: ReadonlySet<Status> = new Set(["resolved", "closed"]);

/**
 * What a status change means as an incident event: leaving `new` for an open state is the incident
 * being reported (triaged and taken on); reaching `resolved`, or `closed` straight from an open
 * state, resolves it; going back from resolved or closed to an open state detects it again (a
 * reopen). Every other move (on hold, mitigated, closing a resolved incident, canceling) is none.
 */
export function eventKindOf(from: Status | undefined, to: Status | undefined): IncidentEventKind | undefined {
  if (from === undefined || to === undefined) return undefined;
  if (from === "new" && OPEN.has(to)) return "reported";
  if (to === "resolved" && from !== "resolved") return "resolved";
  if (to === "closed" && from !== undefined && OPEN.has(from)) return "resolved";
  if (DONE.has(from) && OPEN.has(to)) return "detected";
  return undefined;
}

/** The identity of a status change across revisions: its time and its move, not its wording. */
const entryKey = (e: TimelineEntry) => JSON.stringify([e.at, e.from ?? "", e.to ?? ""]);

/** Status changes in `after` that `before` does not have (as many times as they are new). */
export function addedStatusChanges(before: Incident | undefined, after: Incident): TimelineEntry[] {
  const seen = new Map<string, number>();
  for (const e of before?.timeline ?? []) {
    if (e.type !== "status_change") continue;
    const k = entryKey(e);
    seen.set(k, (seen.get(k) ?? 0) + 1);
  }
  const added: TimelineEntry[] = [];
  for (const e of after.timeline ?? []) {
    if (e.type !== "status_change") continue;
    const k = entryKey(e);
    const left = seen.get(k) ?? 0;
    if (left > 0) seen.set(k, left - 1);
    else added.push(e);
  }
  return added;
}

/** An RFC 3339 time in UTC with milliseconds, or undefined when it cannot be read. */
function utc(at: string | undefined): string | undefined {
  if (at === undefined) return undefined;
  const ms = Date.parse(at);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/;

/** The ticket of a `reported` event: the record's ticket link, its file's URL, else a URN. */
function ticketUri(inc: Incident, path: string, opts: EventOptions): string {
  const ticket = inc.external_refs?.find((r) => r.type === "ticket" && ABSOLUTE_URI.test(r.url));
  if (ticket) return ticket.url;
  const url = opts.recordUrl?.(path);
  if (url !== undefined && ABSOLUTE_URI.test(url)) return url;
  return `urn:incident-as-code:${encodeURIComponent(inc.id)}`;
}

function environmentOf(inc: Incident, opts: EventOptions): string {
  // An exercise or a test did not happen in production: its mode is its environment.
  if (inc.mode === "test" || inc.mode === "gameday") return inc.mode;
  return opts.environment ?? "production";
}

function makeEvent(
  kind: IncidentEventKind,
  inc: Incident,
  path: string,
  timestamp: string,
  cause: Record<string, unknown>,
  opts: EventOptions,
): CDEvent {
  const content: CDEvent["subject"]["content"] = {
    description: inc.title,
    environment: { id: environmentOf(inc, opts) },
  };
  const service = inc.services?.[0];
  if (service !== undefined) content.service = { id: service };
  if (kind === "reported") content.ticketURI = ticketUri(inc, path, opts);
  const customData: Record<string, unknown> = { ...cause };
  if (inc.severity !== undefined) customData.severity = inc.severity;
  if (inc.priority !== undefined) customData.priority = inc.priority;
  if (inc.services && inc.services.length > 1) customData.services = inc.services;
  if (inc.categories && inc.categories.length > 0) customData.categories = inc.categories;
  return {
    context: {
      specversion: CDEVENTS_SPEC_VERSION,
      id: stableUuid("incident-as-code", "cdevents", inc.id, kind, JSON.stringify(cause)),
      source: opts.source,
      type: CDEVENT_TYPES[kind],
      timestamp,
    },
    subject: { id: inc.id, source: opts.source, content },
    customData,
    customDataContentType: "application/json",
  };
}

/**
 * The incident events of one record between two revisions, oldest first: `detected` when the record
 * is new (at its detection time, else its declaration), then one event per added status change that
 * means one (see `eventKindOf`).
 */
export function recordEvents(pair: RecordPair, opts: EventOptions): CDEvent[] {
  const { before, after, path } = pair;
  const events: CDEvent[] = [];
  if (before === undefined) {
    const at = utc(after.timestamps?.detected_at) ?? utc(after.timestamps?.declared_at);
    if (at !== undefined) events.push(makeEvent("detected", after, path, at, { record: "added" }, opts));
  }
  for (const e of addedStatusChanges(before, after)) {
    const kind = eventKindOf(e.from, e.to);
    const at = utc(e.at);
    if (kind === undefined || at === undefined) continue;
    const cause: Record<string, unknown> = { from: e.from, to: e.to, at: e.at };
    if (e.actor !== undefined) cause.actor = e.actor;
    events.push(makeEvent(kind, after, path, at, cause, opts));
  }
  return events;
}

const KIND_ORDER: Readonly<Record<string, number>> = {
  [CDEVENT_TYPES.detected]: 0,
  [CDEVENT_TYPES.reported]: 1,
  [CDEVENT_TYPES.resolved]: 2,
};

/** Events of all records, ordered by time, then incident id, then kind, then event id. */
export function incidentEvents(pairs: readonly RecordPair[], opts: EventOptions): CDEvent[] {
  const all = pairs.flatMap((p) => recordEvents(p, opts));
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return all.sort(
    (a, b) =>
      cmp(a.context.timestamp, b.context.timestamp) ||
      cmp(a.subject.id, b.subject.id) ||
      (KIND_ORDER[a.context.type] ?? 0) - (KIND_ORDER[b.context.type] ?? 0) ||
      cmp(a.context.id, b.context.id),
  );
}

/** A CDEvent as a structured-mode CloudEvent 1.0 (the CDEvents CloudEvents binding). */
export function toCloudEvent(e: CDEvent): CloudEvent {
  return {
    specversion: "1.0",
    id: e.context.id,
    source: e.context.source,
    type: e.context.type,
    time: e.context.timestamp,
    subject: e.subject.id,
    datacontenttype: "application/json",
    data: e,
  };
}
