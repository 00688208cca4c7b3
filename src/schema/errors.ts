// Turns ajv errors into findings with stable codes and a pointer to the key or value to change.
// Every error is reported, those under `then`/`else` too, except the ones a semantic check reports
// under its own code (the effective schema's `rule.<CODE>` blocks and catalog enums, see
// effective.ts): the lifecycle check can say which state needs which field, for instance.

import type { ErrorObject } from "ajv";
import type { Code } from "../diagnostics/codes.js";
import type { Finding } from "../diagnostics/diagnostic.js";
import { fromPointer } from "../diagnostics/diagnostic.js";
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
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    // "if" errors only say which branch failed; the branch's own errors say what is wrong.
    if (e.keyword === "if" || semanticCodeFor(e.schemaPath)) continue;
    const f = toFinding(e);
    const key = `${f.code}\u0000${f.pointer}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
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
