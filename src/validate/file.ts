// Validates one incident or problem file from its bytes: byte checks, hardened parse (fast path when
// the text is provably plain), schema, semantic checks, then positions for whatever was found.

import type { LineCounter } from "yaml";
import type { Config } from "../config/types.js";
import type { Diagnostic, Finding } from "../diagnostics/diagnostic.js";
import { makeDiagnostic } from "../diagnostics/diagnostic.js";
import { schemaFindings } from "../schema/errors.js";
import type { Validators } from "../schema/load.js";
import { parseFast } from "../yaml/fast.js";
import { locateOffset, offsetToPosition } from "../yaml/locate.js";
import {
  bytePosition,
  checkBytes,
  type ParsedYaml,
  parseYamlDocument,
  type TextFinding,
} from "../yaml/parse.js";
import { checkIncident, checkProblem, type RecordFacts, type RecordKind } from "./semantic.js";

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
}

export function validateRecordBytes(
  file: string,
  kind: RecordKind,
  bytes: Uint8Array,
  ctx: FileContext,
): FileResult {
  const checked = checkBytes(bytes, ctx.config.limits.max_file_bytes);
  const text = checked.text;
  if (text === undefined) {
    const pos = checked.badByte !== undefined ? bytePosition(bytes, checked.badByte) : { line: 1, column: 1 };
    return {
      file,
      kind,
      parser: "none",
      diagnostics: checked.findings.map((f) => makeDiagnostic(f.code, f.message, file, pos)),
    };
  }
  const textFindings: TextFinding[] = [...checked.findings];
  let parsed: ParsedYaml | undefined;
  let value: unknown;
  let parser: FileResult["parser"] = "fast";
  const fast = !ctx.fullParse && textFindings.length === 0 ? parseFast(text) : undefined;
  if (fast) value = fast.value;
  else {
    parser = "full";
    parsed = parseYamlDocument(text);
    textFindings.push(...parsed.findings);
    value = parsed.value;
  }
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
    findings.push(...semantic.findings);
    facts = semantic.facts;
  }
  if (findings.length === 0 && textFindings.length === 0)
    return { file, kind, parser, diagnostics: [], facts };
  if (!parsed) {
    parser = "full";
    parsed = parseYamlDocument(text);
    // The screen admitted this text, so the full parser should find nothing; if it does, report it.
    textFindings.push(...parsed.findings);
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
    makeDiagnostic(f.code, f.message, file, offsetToPosition(lc, f.offset)),
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
