// The shapes every importer shares: a source record read from an input file, the draft of an
// incident an adapter makes from it, what could not be mapped, and what the config does not know.

import { type Diagnostic, makeDiagnostic } from "../diagnostics/diagnostic.js";
import type { ImportSource } from "../model/types.js";

export type Obj = Record<string, unknown>;

/** One input file as the use case read it: the path shown to people, and its text. */
export interface InputFile {
  /** As given on the command line (or found in a given folder), for messages. */
  path: string;
  text: string;
}

/** A field an adapter could not map, and why. */
export interface Unmapped {
  /** The record field (dotted path) or source key concerned. */
  field: string;
  reason: string;
}

/** Something the source names that the config does not know: offered as a config addition. */
export interface Offer {
  list: "services" | "teams" | "people";
  entry: Obj;
  /** Where it was met, for the summary. */
  from: string;
}

/** One incident as an adapter read it from the source, before it gets an id and provenance. */
export interface Draft {
  sourceId: string;
  url?: string;
  /** The input file (and line, where known) the record came from. */
  origin: string;
  /** Record fields (no schema_version, id, mode or provenance). */
  record: Obj;
  /** Record path (dotted) -> the source key that fed it. */
  fields: Record<string, string>;
  unmapped: Unmapped[];
}

export interface AdapterResult {
  drafts: Draft[];
  offers: Offer[];
  diagnostics: Diagnostic[];
}

export type { ImportSource };

/** Keys that never become properties: they would reach an object's prototype. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** An input file larger than this is refused (JSON, CSV). */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;
/** A Markdown postmortem larger than this is refused. */
export const MAX_MARKDOWN_BYTES = 1024 * 1024;
/** A mapping file larger than this is refused. */
export const MAX_MAPPING_BYTES = 256 * 1024;
/** At most this many records in one run. */
export const MAX_RECORDS = 10_000;
/** JSON nesting beyond this is refused before parsing. */
export const MAX_JSON_DEPTH = 64;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** The own property `key` of `v` (never one inherited through a prototype). */
export function own(v: unknown, key: string): unknown {
  return isObj(v) && Object.hasOwn(v, key) ? v[key] : undefined;
}

/** A non-empty trimmed string, or undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  return t === "" ? undefined : t;
}

/** The finding for an input with more records than one import takes (the rest are left out). */
export function tooMany(path: string): Diagnostic {
  return makeDiagnostic(
    "IMPORT_TOO_LARGE",
    `more than ${MAX_RECORDS} records in one import; split the input`,
    path,
    { line: 1, column: 1 },
  );
}
