// Atlassian Statuspage (API v1): incidents with their `incident_updates`. `impact` gives the severity
// through a documented default (critical SEV1, major SEV2, minor SEV3, none SEV4) that a mapping's
// severity rules override; components become services; updates become the timeline (a change of
// state as a status_change, the rest as communications); the postmortem body becomes the
// narrative. Backfilled incidents (`backfilled: true`) were entered after the fact: their
// `created_at` is when someone typed them in, so only the times they were given are used. Pure.

import { makeDiagnostic } from "../diagnostics/diagnostic.js";
import type { AdapterInput, MappedResult } from "./adapters.js";
import { Catalog } from "./catalog.js";
import { parseJson } from "./input.js";
import { applyMapping } from "./mapping.js";
import { mergeMapped } from "./pagerduty.js";
import { readTime } from "./times.js";
import { type Draft, isObj, MAX_RECORDS, type Obj, own, str, tooMany } from "./types.js";

/** The documented default: Statuspage impact -> severity. */
export const IMPACT_SEVERITY: Readonly<Record<string, string>> = {
  critical: "SEV1",
  major: "SEV2",
  minor: "SEV3",
  none: "SEV4",
};

/** Statuspage incident (and update) status -> record status. */
export const STATUS: Readonly<Record<string, string>> = {
  investigating: "in_progress",
  identified: "in_progress",
  monitoring: "mitigated",
  resolved: "resolved",
  postmortem: "resolved",
};

const URL_SHAPE = /^https?:\/\/[^\s]{1,1990}$/i;

function incidentsOf(v: unknown): Obj[] | undefined {
  if (Array.isArray(v)) return v.filter(isObj);
  if (isObj(v) && Array.isArray(own(v, "incidents"))) return (own(v, "incidents") as unknown[]).filter(isObj);
  if (isObj(v) && Array.isArray(own(v, "incident_updates"))) return [v];
  return undefined;
}

export function importStatuspage(input: AdapterInput): MappedResult {
  const { config, mapping } = input;
  const catalog = new Catalog(config, { services: mapping?.services, people: mapping?.people });
  const result: MappedResult = { drafts: [], offers: [], diagnostics: [], skipped: [] };
  const incidents: Array<{ value: Obj; origin: string }> = [];
  for (const file of input.files) {
    const parsed = parseJson(file);
    if (parsed.diagnostics.length > 0) {
      result.diagnostics.push(...parsed.diagnostics);
      continue;
    }
    const items = incidentsOf(parsed.value);
    if (!items) {
      result.diagnostics.push(
        makeDiagnostic(
          "IMPORT_SHAPE",
          'not a Statuspage API v1 response: expected a list of incidents, {"incidents": [...]} or one incident with `incident_updates`',
          file.path,
          { line: 1, column: 1 },
        ),
      );
      continue;
    }
    for (const [i, inc] of items.entries()) incidents.push({ value: inc, origin: `${file.path}#${i}` });
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
    if (own(inc, "scheduled_for") !== undefined && own(inc, "scheduled_for") !== null) {
      result.skipped.push({ origin, reason: `${sourceId} is a scheduled maintenance, not an incident` });
      continue;
    }
    const draft: Draft = { sourceId, origin, record: {}, fields: {}, unmapped: [] };
    const { record, fields, unmapped } = draft;
    const backfilled = own(inc, "backfilled") === true;
    const time = (v: unknown, key: string): string | undefined => {
      if (v === undefined || v === null) return undefined;
      const t = readTime(v, "rfc3339", "UTC", config.timezone);
      if (t.reason) unmapped.push({ field: key, reason: t.reason });
      return t.time;
    };
    const url = str(own(inc, "shortlink"));
    if (url && URL_SHAPE.test(url)) draft.url = url;
    const title = str(own(inc, "name"));
    if (title) {
      record.title = title.slice(0, 200);
      fields.title = "name";
    }
    const status = str(own(inc, "status"));
    if (status && Object.hasOwn(STATUS, status)) {
      record.status = STATUS[status];
      fields.status = "status";
    } else if (status)
      unmapped.push({
        field: "status",
        reason: `Statuspage status \`${status}\` is not one the importer knows`,
      });
    const impact = str(own(inc, "impact"));
    if (impact && Object.hasOwn(IMPACT_SEVERITY, impact)) {
      record.severity = IMPACT_SEVERITY[impact];
      fields.severity = "impact (default impact map)";
    } else if (impact)
      unmapped.push({
        field: "severity",
        reason: `impact \`${impact}\` is not none, minor, major or critical`,
      });
    const services: string[] = [];
    for (const c of Array.isArray(own(inc, "components"))
      ? (own(inc, "components") as unknown[]).filter(isObj)
      : []) {
      const name = str(own(c, "name"));
      if (!name) continue;
      const r = catalog.service(name, origin);
      if (r.value) services.push(r.value);
      else unmapped.push({ field: "services", reason: r.reason ?? "" });
    }
    if (services.length) {
      record.services = [...new Set(services)];
      fields.services = "components[].name";
    }
    const timestamps: Obj = {};
    const stamp = (key: string, v: unknown, from: string) => {
      const t = time(v, from);
      if (t === undefined) return;
      timestamps[key] = t;
      fields[`timestamps.${key}`] = from;
    };
    stamp("impact_started_at", own(inc, "started_at"), "started_at");
    if (backfilled)
      unmapped.push({
        field: "timestamps.declared_at",
        reason: "backfilled: `created_at` is when it was entered, not when it was declared",
      });
    else stamp("declared_at", own(inc, "created_at"), "created_at");
    stamp("mitigated_at", own(inc, "monitoring_at"), "monitoring_at");
    stamp("resolved_at", own(inc, "resolved_at"), "resolved_at");
    const updates = (
      Array.isArray(own(inc, "incident_updates")) ? (own(inc, "incident_updates") as unknown[]) : []
    )
      .filter(isObj)
      .map((u) => ({
        u,
        at: time(own(u, "display_at") ?? own(u, "created_at"), "incident_updates[].display_at"),
      }))
      .filter((x): x is { u: Obj; at: string } => x.at !== undefined)
      .sort((a, b) => a.at.localeCompare(b.at));
    const timeline: Obj[] = [];
    let current = "new";
    for (const { u, at } of updates) {
      const s = str(own(u, "status"));
      const to = s && Object.hasOwn(STATUS, s) ? (STATUS[s] as string) : undefined;
      const body = (str(own(u, "body")) ?? "").slice(0, 3900);
      const text = body || `Status page update: ${s ?? "no status"}`;
      if (to && to !== current) {
        timeline.push({ at, type: "status_change", from: current, to, text });
        current = to;
      } else timeline.push({ at, type: "communication", text });
    }
    if (timeline.length) {
      record.timeline = timeline;
      fields.timeline = "incident_updates";
    }
    if (Object.keys(timestamps).length) record.timestamps = timestamps;
    const postmortem = str(own(inc, "postmortem_body"));
    if (postmortem && postmortem.length <= 100_000) {
      record.narrative = postmortem;
      fields.narrative = "postmortem_body";
    } else if (postmortem)
      unmapped.push({ field: "narrative", reason: "the postmortem is longer than 100000 characters" });
    if (mapping) {
      const extra = applyMapping(inc, mapping, config, catalog, origin);
      if (extra.record.severity !== undefined) delete fields.severity;
      mergeMapped(draft, extra);
    }
    result.drafts.push(draft);
  }
  result.offers = catalog.offers;
  return result;
}
