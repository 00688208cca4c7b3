// Validates one incident or problem file from its bytes: byte checks, hardened parse (fast path when
// the text is provably plain), schema, semantic checks, then positions for whatever was found.

import type { LineCounter } from "yaml";
import type { Config } from "../config/types.js";
import type { Diagnostic, Finding } from "../diagnostics/diagnostic.js";
import { makeDiagnostic } from "../diagnostics/diagnostic.js";
import { schemaFindings } from "../schema/errors.js";
import type { Validators } from "../schema/load.js";
import { locateOffset, offsetToPosition } from "../yaml/locate.js";
import { type ParsedYaml, parseYamlDocument, type TextFinding } from "../yaml/parse.js";
import { type ReadMode, type ReadOptions, type RecordRead, readRecord } from "./read.js";
import { checkIncident, checkProblem, type RecordFacts, type RecordKind } from "./semantic.js";

const BYTE_LEVEL = new Set(["FILE_BOM", "FILE_CRLF"]);
const onlyByteFindings = (read: RecordRead) =>
  read.findings.length > 0 && read.findings.every((f) => BYTE_LEVEL.has(f.code));

/** At most this many findings are located and reported per file. */
export const MAX_FINDINGS = 100;

export interface FileResult {
  file: string;
  kind: RecordKind;
  diagnostics: Diagnostic[];
  /** Absent when the file could not be parsed into a record. */
  facts?: RecordFacts;
  /** Which parser produced the value: "fast" (screened js-yaml) or "full" (position-aware yaml). */
  parser: "fast" | "full" | "none";
}

export interface FileContext {
  config: Config;
  validators: Validators;
  /** Force the full parser (the differential test and `--full-parse`). */
  fullParse?: boolean;
  /** How to read the bytes; overrides `fullParse` (`check` reads with both parsers). */
  mode?: ReadMode;
}

export function validateRecordBytes(
  file: string,
  kind: RecordKind,
  bytes: Uint8Array,
  ctx: FileContext,
): FileResult {
  return validateRecord(file, kind, readRecord(bytes, readOptions(ctx)), ctx);
}

/** How `validate` reads a record under this context (the check reads with both parsers). */
export function readOptions(ctx: FileContext): ReadOptions {
  return { maxBytes: ctx.config.limits.max_file_bytes, mode: ctx.mode ?? (ctx.fullParse ? "full" : "auto") };
}

/** Validates a record already read by `readRecord` (so no file is parsed twice). */
export function validateRecord(
  file: string,
  kind: RecordKind,
  read: RecordRead,
  ctx: FileContext,
): FileResult {
  const text = read.text;
  if (text === undefined) {
    const pos = read.badPosition ?? { line: 1, column: 1 };
    return {
      file,
      kind,
      parser: "none",
      diagnostics: read.findings.map((f) => makeDiagnostic(f.code, f.message, file, pos)),
    };
  }
  const textFindings: TextFinding[] = [...read.findings];
  let parsed: ParsedYaml | undefined = read.parsed;
  let parser: FileResult["parser"] = read.parser;
  // A value the reader refused is not validated further, except that the schema and semantic checks
  // still run on a file whose only findings are byte-level (CRLF, BOM) when the full parser read it.
  const value = read.value ?? (onlyByteFindings(read) ? read.parsed?.value : undefined);
  let findings: Finding[] = [];
  let facts: RecordFacts | undefined;
  if (value !== undefined) {
    const validate = ctx.validators[kind];
    const valid = validate(value);
    findings = valid ? [] : schemaFindings(validate.errors);
    const semantic = (kind === "incident" ? checkIncident : checkProblem)(value, {
      config: ctx.config,
      file,
    });
    for (const f of semantic.findings) findings.push(f);
    facts = semantic.facts;
  }
  if (findings.length === 0 && textFindings.length === 0)
    return { file, kind, parser, diagnostics: [], facts };
  if (!parsed) {
    // Positions need the full parser.
    parser = "full";
    parsed = parseYamlDocument(text);
    // The screen admitted this text, so the full parser should find nothing; if it does, report it.
    for (const f of parsed.findings) textFindings.push(f);
  }
  // A hostile file can produce one finding per key; past the cap, positions are not worth the time.
  let dropped = 0;
  if (findings.length + textFindings.length > MAX_FINDINGS) {
    const keepText = Math.min(textFindings.length, MAX_FINDINGS);
    dropped = textFindings.length - keepText + Math.max(0, findings.length - (MAX_FINDINGS - keepText));
    textFindings.length = keepText;
    findings = findings.slice(0, MAX_FINDINGS - keepText);
  }
  const lc = parsed.lineCounter;
  const diagnostics = textFindings.map((f) =>
    makeDiagnostic(f.code, f.message, file, { ...offsetToPosition(lc, f.offset), pointer: f.pointer }),
  );
  for (const f of findings) diagnostics.push(locateFinding(f, file, parsed, lc));
  if (dropped > 0) {
    diagnostics.push(
      makeDiagnostic(
        "TOO_MANY_FINDINGS",
        `${dropped} more findings in this file were not reported; fix the ones above first`,
        file,
        { line: 1, column: 1 },
      ),
    );
  }
  return { file, kind, parser, diagnostics, facts };
}

export function locateFinding(
  f: Finding,
  file: string,
  parsed: ParsedYaml,
  lc: LineCounter = parsed.lineCounter,
): Diagnostic {
  const offset = parsed.doc ? locateOffset(parsed.doc, f.pointer, f.target) : 0;
  return makeDiagnostic(f.code, f.message, file, { ...offsetToPosition(lc, offset), pointer: f.pointer });
}
