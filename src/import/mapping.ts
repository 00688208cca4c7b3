// The mapping file: YAML that says which source keys feed which record fields (value maps, time
// formats, list splitting), which value rules set the severity and the categories, which constants
// the mapping states, and how a Markdown body becomes the narrative. It is validated against its own
// JSON Schema (ajv) with positions; `applyMapping` turns one source object into a draft. Pure.

import type { Config } from "../config/types.js";
import { type Diagnostic, makeDiagnostic } from "../diagnostics/diagnostic.js";
import { createAjv } from "../schema/ajv.js";
import { schemaFindings } from "../schema/errors.js";
import { locateOffset, offsetToPosition } from "../yaml/locate.js";
import { parseYamlDocument } from "../yaml/parse.js";
import type { Catalog } from "./catalog.js";
import { knownZone, readTime, timeFormatProblem } from "./times.js";
import { isObj, MAX_MAPPING_BYTES, type Obj, own, str, type Unmapped } from "./types.js";

const TIME_FIELDS = [
  "impact_started_at",
  "detected_at",
  "declared_at",
  "acknowledged_at",
  "triaged_at",
  "contained_at",
  "mitigated_at",
  "impact_ended_at",
  "recovered_at",
  "resolved_at",
  "closed_at",
  "canceled_at",
].map((t) => `timestamps.${t}`);
const PERSON_FIELDS = [
  "roles.incident_commander",
  "roles.incident_manager",
  "roles.comms_lead",
  "roles.scribe",
];
const PEOPLE_FIELDS = ["roles.responders", "roles.it_operators", "roles.analysts"];
const LIST_FIELDS = ["categories", "contributing_factors", "detection.alert_ids"];
const TEXT_FIELDS = [
  "title",
  "summary",
  "narrative",
  "status",
  "determination",
  "severity",
  "impact",
  "urgency",
  "priority",
  "priority_reason",
  "tlp",
  "root_cause",
  "detection.method",
  "detection.source",
  "resolution.code",
  "resolution.summary",
  "impact_assessment.summary",
];
/** Every record path a mapping may fill. */
export const MAPPABLE = [
  ...TEXT_FIELDS,
  ...TIME_FIELDS,
  ...PERSON_FIELDS,
  ...PEOPLE_FIELDS,
  ...LIST_FIELDS,
  "services",
  "external_refs",
];
const X_FIELD = "^x-[a-z0-9][a-z0-9_-]{0,62}$";

const scalar = { anyOf: [{ type: "string", maxLength: 2000 }, { type: "number" }, { type: "boolean" }] };
const key = { type: "string", minLength: 1, maxLength: 200 };
const when = {
  type: "object",
  additionalProperties: false,
  required: ["key"],
  minProperties: 2,
  maxProperties: 2,
  properties: {
    key,
    equals: scalar,
    in: { type: "array", items: scalar, minItems: 1, maxItems: 200 },
    contains: { type: "string", minLength: 1, maxLength: 200 },
    present: { type: "boolean" },
  },
};
const fieldSpec = {
  anyOf: [
    key,
    {
      type: "object",
      additionalProperties: false,
      required: ["from"],
      properties: {
        from: key,
        map: { type: "object", maxProperties: 1000, additionalProperties: scalar },
        time: { type: "string", minLength: 1, maxLength: 40 },
        zone: { type: "string", minLength: 1, maxLength: 64 },
        split: { type: "string", minLength: 1, maxLength: 8 },
        link_type: {
          type: "string",
          enum: ["alert", "ticket", "chat", "doc", "status_page", "commit", "pull_request", "other"],
        },
      },
    },
  ],
};

/** The mapping file's JSON Schema. */
export const MAPPING_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "urn:incident-as-code:import-mapping",
  title: "Import mapping",
  type: "object",
  additionalProperties: false,
  required: ["version"],
  properties: {
    version: { const: 1 },
    source_id: key,
    url: key,
    records: key,
    zone: { type: "string", minLength: 1, maxLength: 64 },
    fields: {
      type: "object",
      maxProperties: 200,
      propertyNames: {
        anyOf: [
          { type: "string", enum: MAPPABLE },
          { type: "string", pattern: X_FIELD },
        ],
      },
      additionalProperties: fieldSpec,
    },
    severity: {
      type: "array",
      maxItems: 200,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["set"],
        properties: { when, set: { type: "string", minLength: 1, maxLength: 32 } },
      },
    },
    categories: {
      type: "array",
      maxItems: 500,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["add"],
        properties: { when, add: { type: "string", minLength: 1, maxLength: 100 } },
      },
    },
    set: {
      type: "object",
      maxProperties: 50,
      propertyNames: {
        anyOf: [
          { type: "string", enum: MAPPABLE },
          { type: "string", pattern: X_FIELD },
        ],
      },
      additionalProperties: scalar,
    },
    narrative: {
      type: "object",
      additionalProperties: false,
      required: ["from"],
      properties: { from: key, drop_title: { type: "boolean" } },
    },
    services: {
      type: "object",
      maxProperties: 1000,
      additionalProperties: { type: "string", maxLength: 64 },
    },
    people: { type: "object", maxProperties: 5000, additionalProperties: { type: "string", maxLength: 39 } },
  },
};

export interface FieldSpec {
  from: string;
  map?: Obj;
  time?: string;
  zone?: string;
  split?: string;
  link_type?: string;
}
export interface When {
  key: string;
  equals?: string | number | boolean;
  in?: Array<string | number | boolean>;
  contains?: string;
  present?: boolean;
}
export interface Mapping {
  version: 1;
  source_id?: string;
  url?: string;
  records?: string;
  zone?: string;
  fields?: Record<string, string | FieldSpec>;
  severity?: Array<{ when?: When; set: string }>;
  categories?: Array<{ when?: When; add: string }>;
  set?: Record<string, string | number | boolean>;
  narrative?: { from: string; drop_title?: boolean };
  services?: Obj;
  people?: Obj;
}

let compiled: ReturnType<ReturnType<typeof createAjv>["compile"]> | undefined;

/** Reads and checks a mapping file: the mapping, or diagnostics with positions. */
export function loadMapping(path: string, text: string): { mapping?: Mapping; diagnostics: Diagnostic[] } {
  if (Buffer.byteLength(text, "utf8") > MAX_MAPPING_BYTES) {
    return {
      diagnostics: [
        makeDiagnostic("IMPORT_TOO_LARGE", `a mapping file is at most ${MAX_MAPPING_BYTES} bytes`, path, {
          line: 1,
          column: 1,
        }),
      ],
    };
  }
  const parsed = parseYamlDocument(text);
  const at = (offset: number) => offsetToPosition(parsed.lineCounter, offset);
  if (parsed.findings.length > 0 || parsed.value === undefined) {
    return {
      diagnostics: parsed.findings
        .slice(0, 20)
        .map((f) =>
          makeDiagnostic(
            f.code === "YAML_UNSAFE_KEY" ? "IMPORT_UNSAFE_KEY" : "IMPORT_SYNTAX",
            f.message,
            path,
            at(f.offset),
          ),
        ),
    };
  }
  compiled ??= createAjv().compile(MAPPING_SCHEMA);
  const errors = compiled(parsed.value) ? [] : (compiled.errors ?? []);
  // A key outside the names a mapping may use: said once, at the key, with the names it may use.
  const findings = schemaFindings(
    errors.filter((e) => e.keyword !== "propertyNames" && !e.schemaPath.includes("/propertyNames/")),
  );
  for (const e of errors) {
    if (e.keyword !== "propertyNames") continue;
    const name = String((e.params as { propertyName?: unknown }).propertyName);
    findings.push({
      code: "IMPORT_MAPPING",
      message: `\`${name}\` is not a record field a mapping can fill (${MAPPABLE.join(", ")}, or an x- field)`,
      pointer: `${e.instancePath}/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`,
      target: "key",
    });
  }
  const m = parsed.value as Mapping;
  // What the schema cannot say: time formats and zones the importer can read.
  for (const [field, spec] of Object.entries(isObj(m.fields) ? m.fields : {})) {
    if (!isObj(spec)) continue;
    const f = spec as unknown as FieldSpec;
    const problem = typeof f.time === "string" ? timeFormatProblem(f.time) : undefined;
    if (problem)
      findings.push({ code: "IMPORT_MAPPING", message: problem, pointer: `/fields/${field}/time` });
    if (typeof f.zone === "string" && !knownZone(f.zone))
      findings.push({
        code: "IMPORT_MAPPING",
        message: `\`${f.zone}\` is not a time zone`,
        pointer: `/fields/${field}/zone`,
      });
  }
  if (typeof m.zone === "string" && !knownZone(m.zone))
    findings.push({ code: "IMPORT_MAPPING", message: `\`${m.zone}\` is not a time zone`, pointer: "/zone" });
  if (findings.length > 0) {
    // One finding per place: a key outside the allowed names fails each branch of its `anyOf`.
    const seen = new Set<string>();
    const unique = findings.filter((f) => !seen.has(f.pointer) && Boolean(seen.add(f.pointer)));
    return {
      diagnostics: unique.map((f) =>
        makeDiagnostic(
          "IMPORT_MAPPING",
          f.message,
          path,
          parsed.doc
            ? { ...at(locateOffset(parsed.doc, f.pointer, f.target)), pointer: f.pointer }
            : { line: 1, column: 1 },
        ),
      ),
    };
  }
  return { mapping: m, diagnostics: [] };
}

/** The source value at a dotted key, through own properties only. */
export function lookup(source: Obj, dotted: string): unknown {
  if (Object.hasOwn(source, dotted)) return source[dotted];
  let cur: unknown = source;
  for (const part of dotted.split(".")) {
    cur = own(cur, part);
    if (cur === undefined) return undefined;
  }
  return cur;
}

function matches(source: Obj, w: When | undefined): boolean {
  if (!w) return true;
  const v = lookup(source, w.key);
  const values = Array.isArray(v) ? v : [v];
  const text = (x: unknown) => (typeof x === "string" ? x.trim() : String(x));
  if (w.present !== undefined)
    return (str(v) !== undefined || (Array.isArray(v) && v.length > 0)) === w.present;
  if (w.equals !== undefined) return values.some((x) => x !== undefined && text(x) === String(w.equals));
  if (w.in !== undefined) return values.some((x) => x !== undefined && w.in?.map(String).includes(text(x)));
  if (w.contains !== undefined) {
    const needle = w.contains.toLowerCase();
    return values.some((x) => typeof x === "string" && x.toLowerCase().includes(needle));
  }
  return false;
}

/** Sets a dotted path in a plain record, creating the mappings on the way. */
export function setPath(record: Obj, dotted: string, value: unknown): void {
  const parts = dotted.split(".");
  let cur = record;
  for (const part of parts.slice(0, -1)) {
    if (!isObj(cur[part])) cur[part] = {};
    cur = cur[part] as Obj;
  }
  cur[parts.at(-1) as string] = value;
}

export interface MappedRecord {
  record: Obj;
  fields: Record<string, string>;
  unmapped: Unmapped[];
}

function listOf(v: unknown, split: string | undefined): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string" && split)
    return v
      .split(split)
      .map((s) => s.trim())
      .filter((s) => s !== "");
  return v === undefined || v === null || v === "" ? [] : [v];
}

/**
 * One source object (front matter, a CSV row, a JSON object) through the mapping: only what the
 * source holds (and the constants the mapping states) reaches the record.
 */
export function applyMapping(
  source: Obj,
  mapping: Mapping,
  config: Config,
  catalog: Catalog,
  origin: string,
): MappedRecord {
  const record: Obj = {};
  const fields: Record<string, string> = {};
  const unmapped: Unmapped[] = [];
  const zone = mapping.zone ?? config.timezone;
  for (const [path, raw] of Object.entries(mapping.fields ?? {})) {
    const spec: FieldSpec = typeof raw === "string" ? { from: raw } : raw;
    const value = lookup(source, spec.from);
    if (value === undefined || value === null || value === "") continue;
    const viaMap = (v: unknown): unknown => {
      if (!spec.map) return v;
      const k = typeof v === "string" ? v.trim() : String(v);
      if (Object.hasOwn(spec.map, k)) return spec.map[k];
      unmapped.push({
        field: path,
        reason: `\`${spec.from}\` value ${JSON.stringify(k).slice(0, 80)} has no entry in the map`,
      });
      return undefined;
    };
    let out: unknown;
    if (TIME_FIELDS.includes(path)) {
      const t = readTime(value, spec.time ?? "rfc3339", spec.zone ?? zone, config.timezone);
      if (t.reason) unmapped.push({ field: path, reason: `\`${spec.from}\`: ${t.reason}` });
      out = t.time;
    } else if (PERSON_FIELDS.includes(path) || PEOPLE_FIELDS.includes(path)) {
      const handles: string[] = [];
      for (const item of listOf(value, spec.split)) {
        const v = viaMap(item);
        const name = str(v);
        if (!name) continue;
        const r = catalog.person(name.includes("@") ? { email: name } : { name, login: name }, origin);
        if (r.value) handles.push(r.value);
        else unmapped.push({ field: path, reason: r.reason ?? "no person" });
      }
      out = PERSON_FIELDS.includes(path) ? handles[0] : handles.length ? [...new Set(handles)] : undefined;
    } else if (path === "services") {
      const ids: string[] = [];
      for (const item of listOf(value, spec.split)) {
        const name = str(viaMap(item));
        if (!name) continue;
        const r = catalog.service(name, origin);
        if (r.value) ids.push(r.value);
        else unmapped.push({ field: path, reason: r.reason ?? "no service" });
      }
      out = ids.length ? [...new Set(ids)] : undefined;
    } else if (path === "external_refs") {
      const refs: Obj[] = [];
      for (const item of listOf(value, spec.split)) {
        const url = str(isObj(item) ? own(item, "url") : item);
        const title = isObj(item) ? str(own(item, "title")) : undefined;
        if (!url || !/^https?:\/\/[^\s]+$/i.test(url) || url.length > 2000) {
          unmapped.push({
            field: path,
            reason: `${JSON.stringify(url ?? item)?.slice(0, 80)} is not an http(s) link`,
          });
          continue;
        }
        const ref: Obj = { type: spec.link_type ?? "other", url };
        if (title) ref.title = title.slice(0, 200);
        refs.push(ref);
      }
      out = refs.length ? refs : undefined;
    } else if (LIST_FIELDS.includes(path) || (path.startsWith("x-") && Array.isArray(value))) {
      const items = listOf(value, spec.split)
        .map((v) => str(viaMap(v)))
        .filter((v): v is string => v !== undefined);
      out = items.length ? [...new Set(items)] : undefined;
    } else {
      const v = viaMap(value);
      if (isObj(v) || Array.isArray(v)) {
        unmapped.push({ field: path, reason: `\`${spec.from}\` holds a list or mapping, not one value` });
        continue;
      }
      out = path.startsWith("x-") && typeof v !== "string" ? v : str(v);
    }
    if (out === undefined) continue;
    setPath(record, path, out);
    fields[path] = spec.from;
  }
  for (const [i, rule] of (mapping.severity ?? []).entries()) {
    if (!matches(source, rule.when)) continue;
    record.severity = rule.set;
    fields.severity = rule.when ? `severity rule ${i + 1} (${rule.when.key})` : `severity rule ${i + 1}`;
    break;
  }
  const taxonomy = new Set(config.categories.map((c) => c.id));
  const categories = new Set<string>(Array.isArray(record.categories) ? (record.categories as string[]) : []);
  const ruleKeys: string[] = [];
  for (const [i, rule] of (mapping.categories ?? []).entries()) {
    if (!matches(source, rule.when)) continue;
    categories.add(rule.add);
    ruleKeys.push(`category rule ${i + 1}${rule.when ? ` (${rule.when.key})` : ""}`);
  }
  for (const c of categories) {
    if (!taxonomy.has(c)) {
      categories.delete(c);
      unmapped.push({ field: "categories", reason: `category \`${c}\` is not in the config's taxonomy` });
    }
  }
  if (categories.size > 0) {
    record.categories = [...categories];
    if (ruleKeys.length) fields.categories = [fields.categories, ...ruleKeys].filter(Boolean).join(", ");
  } else {
    delete record.categories;
    delete fields.categories;
  }
  for (const [path, value] of Object.entries(mapping.set ?? {})) {
    setPath(record, path, value);
    fields[path] = "mapping set";
  }
  if (mapping.narrative) {
    let body = lookup(source, mapping.narrative.from);
    if (typeof body === "string") {
      if (mapping.narrative.drop_title) body = body.replace(/^\s*#[ \t]+[^\n]*\n/, "");
      const text = (body as string).trim();
      if (text.length > 100_000)
        unmapped.push({
          field: "narrative",
          reason: `${text.length} characters; a narrative holds at most 100000`,
        });
      else if (text !== "") {
        record.narrative = text;
        fields.narrative = mapping.narrative.from;
      }
    }
  }
  return { record, fields, unmapped };
}
