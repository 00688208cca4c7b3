// The importers driven by a mapping file: Markdown postmortems with YAML front matter, CSV rows and
// JSON objects. Each reads its inputs as hostile text (src/import/input.ts), turns every source
// record into a draft through the mapping, and keeps what it could not map. Pure.

import type { Config } from "../config/types.js";
import { makeDiagnostic } from "../diagnostics/diagnostic.js";
import { Catalog } from "./catalog.js";
import { parseCsv, parseJson, parseMarkdown } from "./input.js";
import { applyMapping, lookup, type Mapping } from "./mapping.js";
import {
  type AdapterResult,
  type Draft,
  type InputFile,
  isObj,
  MAX_MARKDOWN_BYTES,
  MAX_RECORDS,
  type Obj,
  str,
  tooMany,
} from "./types.js";

export interface AdapterInput {
  files: InputFile[];
  mapping?: Mapping;
  config: Config;
}

const URL_SHAPE = /^https?:\/\/[^\s]{1,1990}$/i;

/** A draft from one source object, or a reason in `unmapped` when it has no source id. */
export function draftFrom(
  source: Obj,
  mapping: Mapping,
  config: Config,
  catalog: Catalog,
  origin: string,
  fallbackId: string | undefined,
): Draft | { origin: string; reason: string } {
  const sourceId = mapping.source_id ? str(lookup(source, mapping.source_id)) : fallbackId;
  if (!sourceId)
    return { origin, reason: `no source id (\`${mapping.source_id ?? "source_id"}\` is empty or missing)` };
  if (sourceId.length > 200) return { origin, reason: "the source id is longer than 200 characters" };
  const mapped = applyMapping(source, mapping, config, catalog, origin);
  const draft: Draft = { sourceId, origin, ...mapped };
  const url = mapping.url ? str(lookup(source, mapping.url)) : undefined;
  if (url && URL_SHAPE.test(url)) draft.url = url;
  else if (url)
    draft.unmapped.push({
      field: "provenance.url",
      reason: `${JSON.stringify(url).slice(0, 80)} is not an http(s) URL`,
    });
  return draft;
}

function collect(
  result: AdapterResult,
  d: Draft | { origin: string; reason: string },
  skipped: Array<{ origin: string; reason: string }>,
): void {
  if ("sourceId" in d) result.drafts.push(d);
  else skipped.push(d);
}

export interface MappedResult extends AdapterResult {
  /** Source records that became no draft, and why. */
  skipped: Array<{ origin: string; reason: string }>;
}

export function importMarkdown(input: AdapterInput): MappedResult {
  const mapping = input.mapping as Mapping;
  const catalog = new Catalog(input.config, { services: mapping.services, people: mapping.people });
  const result: MappedResult = { drafts: [], offers: [], diagnostics: [], skipped: [] };
  for (const file of input.files) {
    if (result.drafts.length >= MAX_RECORDS) {
      result.diagnostics.push(tooMany(file.path));
      break;
    }
    const doc = parseMarkdown(file, MAX_MARKDOWN_BYTES);
    if (doc.value === undefined) {
      result.diagnostics.push(...doc.diagnostics);
      continue;
    }
    const name = file.path.split(/[\\/]/).pop() ?? file.path;
    const source: Obj = {
      ...doc.value.front,
      $body: doc.value.body,
      $file: name.replace(/\.(md|markdown)$/i, ""),
    };
    collect(
      result,
      draftFrom(source, mapping, input.config, catalog, file.path, source.$file as string),
      result.skipped,
    );
  }
  result.offers = catalog.offers;
  return result;
}

export function importCsv(input: AdapterInput): MappedResult {
  const mapping = input.mapping as Mapping;
  const catalog = new Catalog(input.config, { services: mapping.services, people: mapping.people });
  const result: MappedResult = { drafts: [], offers: [], diagnostics: [], skipped: [] };
  for (const file of input.files) {
    const rows = parseCsv(file);
    if (rows.value === undefined) {
      result.diagnostics.push(...rows.diagnostics);
      continue;
    }
    if (result.drafts.length + rows.value.length > MAX_RECORDS) {
      result.diagnostics.push(tooMany(file.path));
      break;
    }
    for (const row of rows.value) {
      const origin = `${file.path}:${row.line}`;
      collect(
        result,
        draftFrom(row.values, mapping, input.config, catalog, origin, undefined),
        result.skipped,
      );
    }
  }
  result.offers = catalog.offers;
  return result;
}

export function importJson(input: AdapterInput): MappedResult {
  const mapping = input.mapping as Mapping;
  const catalog = new Catalog(input.config, { services: mapping.services, people: mapping.people });
  const result: MappedResult = { drafts: [], offers: [], diagnostics: [], skipped: [] };
  for (const file of input.files) {
    const parsed = parseJson(file);
    if (parsed.diagnostics.length > 0) {
      result.diagnostics.push(...parsed.diagnostics);
      continue;
    }
    const list =
      mapping.records && isObj(parsed.value) ? lookup(parsed.value, mapping.records) : parsed.value;
    if (!Array.isArray(list)) {
      result.diagnostics.push(
        makeDiagnostic(
          "IMPORT_SHAPE",
          mapping.records
            ? `\`${mapping.records}\` is not a list of records`
            : "the file is not a list of records (name the list with `records:` in the mapping)",
          file.path,
          { line: 1, column: 1 },
        ),
      );
      continue;
    }
    if (result.drafts.length + list.length > MAX_RECORDS) {
      result.diagnostics.push(tooMany(file.path));
      break;
    }
    for (const [i, item] of list.entries()) {
      const origin = `${file.path}#${i}`;
      if (!isObj(item)) {
        result.skipped.push({ origin, reason: "not an object" });
        continue;
      }
      collect(result, draftFrom(item, mapping, input.config, catalog, origin, undefined), result.skipped);
    }
  }
  result.offers = catalog.offers;
  return result;
}
