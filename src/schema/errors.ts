// Turns ajv errors into findings with stable codes and a pointer to the key or value to change.
// Every error is reported, those under `then`/`else` too, except the ones a semantic check reports
// under its own code (the effective schema's `rule.<CODE>` blocks and catalog enums, see
// effective.ts): the lifecycle check can say which state needs which field, for instance. A key
// refused by `propertyNames` is reported once, at the key itself, naming it.

import type { ErrorObject } from "ajv";
import type { Code } from "../diagnostics/codes.js";
import type { Finding } from "../diagnostics/diagnostic.js";
import { fromPointer, toPointer } from "../diagnostics/diagnostic.js";
import { semanticCodeFor } from "./effective.js";

const LIMIT_KEYWORDS = new Set([
  "maxLength",
  "minLength",
  "maxItems",
  "minItems",
  "maximum",
  "minimum",
  "exclusiveMaximum",
  "exclusiveMinimum",
  "maxProperties",
  "minProperties",
]);

export function schemaFindings(errors: readonly ErrorObject[] | null | undefined): Finding[] {
  // ajv reports a refused key twice: the inner errors (with `propertyName`, at the object, whatever
  // the keyword) and a `propertyNames` error. Both are gathered per key and said once, at the key.
  const slots: Array<Finding | RefusedKey> = [];
  const keys = new Map<string, RefusedKey>();
  const spoken = new Set<string>();
  for (const e of errors ?? []) {
    const name = refusedKey(e);
    const id = name === undefined ? "" : `${e.instancePath}\u0000${name}`;
    // A key a semantic check reports is left to it, its propertyNames error too.
    if (semanticCodeFor(e.schemaPath)) {
      if (name !== undefined) spoken.add(id);
      continue;
    }
    // "if" errors only say which branch failed; the branch's own errors say what is wrong.
    if (e.keyword === "if") continue;
    if (name === undefined) {
      slots.push(toFinding(e));
      continue;
    }
    let entry = keys.get(id);
    if (!entry) {
      entry = { id, instancePath: e.instancePath, name, inner: [] };
      keys.set(id, entry);
      slots.push(entry);
    }
    if (e.keyword !== "propertyNames") entry.inner.push(e);
  }
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const slot of slots) {
    if ("id" in slot && spoken.has(slot.id)) continue;
    const f = "id" in slot ? keyFinding(slot.instancePath, slot.name, slot.inner) : slot;
    const key = `${f.code}\u0000${f.pointer}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

/** The errors about one key of one object. */
interface RefusedKey {
  id: string;
  instancePath: string;
  name: string;
  inner: ErrorObject[];
}

/** The key an error is about, when it judges a property name rather than a value. */
function refusedKey(e: ErrorObject): string | undefined {
  if (e.keyword === "propertyNames") {
    const name = (e.params as { propertyName?: unknown }).propertyName;
    return typeof name === "string" ? name : undefined;
  }
  return typeof e.propertyName === "string" ? e.propertyName : undefined;
}

/** One finding at a refused key, named, with the code of what it breaks (one rule, else INVALID). */
function keyFinding(instancePath: string, name: string, inner: readonly ErrorObject[]): Finding {
  const pointer = `${instancePath}${toPointer([name])}`;
  const where = instancePath === "" ? "the document" : `\`${displayPath(instancePath)}\``;
  const shown = name.length > 64 ? `${name.slice(0, 64)}…` : name;
  const what = `key \`${shown}\` in ${where}`;
  // One broken rule gets its own code; several (or a choice between rules) are SCHEMA_INVALID.
  const only = inner.length === 1 ? inner[0] : undefined;
  const base = { pointer, target: "key" as const };
  if (only?.keyword === "enum") {
    const allowed = ((only.params as { allowedValues: unknown[] }).allowedValues ?? [])
      .map((v) => JSON.stringify(v))
      .join(", ");
    return { ...base, code: "SCHEMA_ENUM", message: `${what} must be one of ${allowed}` };
  }
  if (only?.keyword === "pattern")
    return {
      ...base,
      code: "SCHEMA_PATTERN",
      message: `${what} must match ${String((only.params as { pattern?: unknown }).pattern)}`,
    };
  if (only && LIMIT_KEYWORDS.has(only.keyword))
    return { ...base, code: "SCHEMA_LIMIT", message: `${what} ${only.message ?? "is out of range"}` };
  return { ...base, code: "SCHEMA_INVALID", message: `${what} is not a name it may have` };
}

function toFinding(e: ErrorObject): Finding {
  const where = e.instancePath === "" ? "the document" : `\`${displayPath(e.instancePath)}\``;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required": {
      const prop = String(p.missingProperty);
      const pointer = `${e.instancePath}/${prop}`;
      return {
        code: "SCHEMA_REQUIRED",
        message: `missing required field \`${displayPath(pointer)}\``,
        pointer,
        target: "parent",
      };
    }
    case "additionalProperties": {
      const prop = String(p.additionalProperty);
      const pointer = `${e.instancePath}/${prop}`;
      return {
        code: "SCHEMA_UNKNOWN_PROPERTY",
        message: `unknown field \`${displayPath(pointer)}\`${e.instancePath === "" ? " (extensions must start with `x-`)" : ""}`,
        pointer,
        target: "key",
      };
    }
    case "enum": {
      const allowed = (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ");
      return finding("SCHEMA_ENUM", `${where} must be one of ${allowed}`, e);
    }
    case "const":
      return finding("SCHEMA_CONST", `${where} must be ${JSON.stringify(p.allowedValue)}`, e);
    case "type":
      return finding("SCHEMA_TYPE", `${where} must be ${article(String(p.type))}`, e);
    case "format":
      return finding(
        "SCHEMA_FORMAT",
        `${where} must be ${FORMAT_NAMES[String(p.format)] ?? `a ${p.format}`}`,
        e,
      );
    case "pattern":
      return finding("SCHEMA_PATTERN", `${where} must match ${String(p.pattern)}`, e);
    default:
      if (LIMIT_KEYWORDS.has(e.keyword))
        return finding("SCHEMA_LIMIT", `${where} ${e.message ?? "is out of range"}`, e);
      return finding("SCHEMA_INVALID", `${where} ${e.message ?? "is invalid"}`, e);
  }
}

const FORMAT_NAMES: Record<string, string> = {
  "date-time": "an RFC 3339 date-time with an offset, like 2026-03-04T10:02:00Z",
  date: "a date like 2026-03-31",
  uri: "an absolute URL, like https://tracker.example.com/OPS-123",
  email: "an e-mail address",
};

function finding(code: Code, message: string, e: ErrorObject): Finding {
  return { code, message, pointer: e.instancePath };
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** `/timeline/3/at` -> `timeline[3].at`, the way people write paths in YAML discussions. */
export function displayPath(pointer: string): string {
  return toDisplay(fromPointer(pointer));
}

export function toDisplay(path: readonly string[]): string {
  let out = "";
  for (const seg of path) out += /^\d+$/.test(seg) ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  return out;
}
