// PagerDuty (REST API v2): `{"incidents": [...]}` and `{"log_entries": [...]}` files, joined by
// incident id. Status, urgency and priority map to the record's; the service to a configured
// service; assignees and acknowledgers to responders (by e-mail, GitHub login or name as the config
// knows them); trigger, acknowledge and resolve log entries give the detected, acknowledged and
// resolved times and the timeline; annotations become timeline notes. PagerDuty has no severity:
// only a mapping's severity rules set one. Pure.

import { makeDiagnostic } from "../diagnostics/diagnostic.js";
import type { AdapterInput, MappedResult } from "./adapters.js";
import { Catalog } from "./catalog.js";
import { parseJson } from "./input.js";
import { applyMapping } from "./mapping.js";
import { readTime } from "./times.js";
import { type Draft, isObj, MAX_RECORDS, type Obj, own, str, tooMany } from "./types.js";

const STATUS: Record<string, string> = {
  triggered: "new",
  acknowledged: "in_progress",
  resolved: "resolved",
};
const URL_SHAPE = /^https?:\/\/[^\s]{1,1990}$/i;

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

function person(ref: unknown): { email?: string; name?: string; login?: string } | undefined {
  if (!isObj(ref)) return undefined;
  const type = str(own(ref, "type"));
  if (type && !type.startsWith("user")) return undefined;
  const name = str(own(ref, "name")) ?? str(own(ref, "summary"));
  const email = str(own(ref, "email"));
  return name || email ? { name, email } : undefined;
}

export function importPagerDuty(input: AdapterInput): MappedResult {
  const { config, mapping } = input;
  const catalog = new Catalog(config, { services: mapping?.services, people: mapping?.people });
  const result: MappedResult = { drafts: [], offers: [], diagnostics: [], skipped: [] };
  const incidents: Array<{ value: Obj; origin: string }> = [];
  const logs = new Map<string, Obj[]>();
  for (const file of input.files) {
    const parsed = parseJson(file);
    if (parsed.diagnostics.length > 0) {
      result.diagnostics.push(...parsed.diagnostics);
      continue;
    }
    const v = parsed.value;
    const found =
      isObj(v) &&
      (Array.isArray(own(v, "incidents")) ||
        Array.isArray(own(v, "log_entries")) ||
        isObj(own(v, "incident")));
    if (!found) {
      result.diagnostics.push(
        makeDiagnostic(
          "IMPORT_SHAPE",
          'not a PagerDuty REST v2 response: expected {"incidents": [...]}, {"incident": {...}} or {"log_entries": [...]}',
          file.path,
          { line: 1, column: 1 },
        ),
      );
      continue;
    }
    const items = [
      ...list(own(v, "incidents")),
      ...(isObj(own(v, "incident")) ? [own(v, "incident") as Obj] : []),
    ];
    for (const [i, inc] of items.entries()) incidents.push({ value: inc, origin: `${file.path}#${i}` });
    for (const entry of list(own(v, "log_entries"))) {
      const id = str(own(own(entry, "incident"), "id"));
      if (!id) continue;
      const l = logs.get(id) ?? [];
      l.push(entry);
      logs.set(id, l);
    }
  }
  if (incidents.length > MAX_RECORDS) {
    result.diagnostics.push(tooMany(input.files[0]?.path ?? ""));
    incidents.length = MAX_RECORDS;
  }
  for (const { value: inc, origin } of incidents) {
    const sourceId = str(own(inc, "id"));
    if (!sourceId || sourceId.length > 200) {
      result.skipped.push({ origin, reason: "the incident has no usable `id`" });
      continue;
    }
    const draft: Draft = { sourceId, origin, record: {}, fields: {}, unmapped: [] };
    const { record, fields, unmapped } = draft;
    const put = (path: string, value: unknown, key: string) => {
      if (value === undefined) return;
      record[path] = value;
      fields[path] = key;
    };
    const time = (v: unknown, key: string): string | undefined => {
      if (v === undefined || v === null) return undefined;
      const t = readTime(v, "rfc3339", "UTC", config.timezone);
      if (t.reason) unmapped.push({ field: key, reason: t.reason });
      return t.time;
    };
    const url = str(own(inc, "html_url"));
    if (url && URL_SHAPE.test(url)) draft.url = url;
    put("title", (str(own(inc, "title")) ?? str(own(inc, "summary")))?.slice(0, 200), "title");
    const description = str(own(inc, "description"));
    if (description && description !== record.title)
      put("summary", description.slice(0, 4000), "description");
    const status = str(own(inc, "status"));
    if (status && Object.hasOwn(STATUS, status)) put("status", STATUS[status], "status");
    else if (status)
      unmapped.push({
        field: "status",
        reason: `PagerDuty status \`${status}\` is not one the importer knows`,
      });
    const urgency = str(own(inc, "urgency"));
    if (urgency === "high" || urgency === "low") put("urgency", urgency, "urgency");
    const priority = str(own(own(inc, "priority"), "summary"));
    if (priority && /^P[1-5]$/.test(priority)) put("priority", priority, "priority.summary");
    else if (priority)
      unmapped.push({ field: "priority", reason: `PagerDuty priority \`${priority}\` is not P1-P5` });
    const service = str(own(own(inc, "service"), "summary"));
    if (service) {
      const r = catalog.service(service, origin);
      if (r.value) put("services", [r.value], "service.summary");
      else unmapped.push({ field: "services", reason: r.reason ?? "" });
    }
    for (const team of list(own(inc, "teams"))) {
      const name = str(own(team, "summary"));
      if (name) catalog.team(name, origin);
    }
    const responders: string[] = [];
    const who = (ref: unknown, field: string): string | undefined => {
      const p = person(ref);
      if (!p) return undefined;
      const r = catalog.person(p, origin);
      if (!r.value) unmapped.push({ field, reason: r.reason ?? "" });
      return r.value;
    };
    for (const a of list(own(inc, "assignments"))) {
      const h = who(own(a, "assignee"), "roles.responders");
      if (h) responders.push(h);
    }
    for (const a of list(own(inc, "acknowledgements"))) {
      const h = who(own(a, "acknowledger"), "roles.responders");
      if (h) responders.push(h);
    }
    const timestamps: Obj = {};
    const stamp = (key: string, value: string | undefined, from: string) => {
      if (value === undefined || timestamps[key] !== undefined) return;
      timestamps[key] = value;
      fields[`timestamps.${key}`] = from;
    };
    const timeline: Obj[] = [];
    let current = "new";
    const entries = [...(logs.get(sourceId) ?? [])].sort((a, b) =>
      String(own(a, "created_at")).localeCompare(String(own(b, "created_at"))),
    );
    for (const e of entries) {
      const type = str(own(e, "type"));
      const at = time(own(e, "created_at"), `log_entries.${type}.created_at`);
      if (!at) continue;
      const actor = who(own(e, "agent"), "timeline.actor");
      const withActor = (entry: Obj): Obj => ({
        at,
        type: entry.type,
        ...(actor ? { actor } : {}),
        ...entry,
      });
      const summary = (str(own(e, "summary")) ?? "").slice(0, 3900);
      if (type === "trigger_log_entry") {
        stamp("detected_at", at, "log_entries[trigger_log_entry].created_at");
        timeline.push(withActor({ type: "detection", text: summary || "Triggered in PagerDuty" }));
      } else if (type === "acknowledge_log_entry") {
        stamp("acknowledged_at", at, "log_entries[acknowledge_log_entry].created_at");
        if (actor) responders.push(actor);
        if (current === "new") {
          timeline.push(
            withActor({
              type: "status_change",
              from: "new",
              to: "in_progress",
              text: summary || "Acknowledged in PagerDuty",
            }),
          );
          current = "in_progress";
        }
      } else if (type === "resolve_log_entry") {
        stamp("resolved_at", at, "log_entries[resolve_log_entry].created_at");
        if (current !== "resolved") {
          timeline.push(
            withActor({
              type: "status_change",
              from: current,
              to: "resolved",
              text: summary || "Resolved in PagerDuty",
            }),
          );
          current = "resolved";
        }
      } else if (type === "annotate_log_entry") {
        const note = (str(own(own(e, "channel"), "summary")) ?? summary).slice(0, 3900);
        if (note) timeline.push(withActor({ type: "note", text: note }));
      }
    }
    stamp("detected_at", time(own(inc, "created_at"), "created_at"), "created_at");
    if (status === "resolved")
      stamp(
        "resolved_at",
        time(own(inc, "resolved_at") ?? own(inc, "last_status_change_at"), "resolved_at"),
        own(inc, "resolved_at") ? "resolved_at" : "last_status_change_at",
      );
    if (responders.length) {
      record.roles = { responders: [...new Set(responders)] };
      fields["roles.responders"] = "assignments, acknowledgements, acknowledge_log_entry.agent";
    }
    if (Object.keys(timestamps).length) record.timestamps = timestamps;
    if (timeline.length) {
      record.timeline = timeline;
      fields.timeline = "log_entries";
    }
    if (mapping) {
      const extra = applyMapping(inc, mapping, config, catalog, origin);
      mergeMapped(draft, extra);
    }
    if (record.severity === undefined)
      unmapped.push({
        field: "severity",
        reason: "PagerDuty incidents carry no severity; set one with severity rules in a mapping",
      });
    result.drafts.push(draft);
  }
  result.offers = catalog.offers;
  return result;
}

/** A mapping's results over an adapter's own: the mapping wins where it says something. */
export function mergeMapped(
  draft: Draft,
  extra: { record: Obj; fields: Record<string, string>; unmapped: Draft["unmapped"] },
): void {
  for (const [k, v] of Object.entries(extra.record)) {
    if (isObj(v) && isObj(draft.record[k])) draft.record[k] = { ...(draft.record[k] as Obj), ...v };
    else draft.record[k] = v;
  }
  Object.assign(draft.fields, extra.fields);
  draft.unmapped.push(...extra.unmapped);
}
