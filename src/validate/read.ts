// The one reader of a record: bytes in, the record's value out. `validate`, the loader behind every
// report and `--at`, the editing commands and `check` (head and base) all read records here, so the
// value a pull request is judged on is the value every report reads after the merge.
//
// Two parsers can produce that value: the screened js-yaml fast path (src/yaml/fast.ts) and the
// position-aware `yaml` parser. The screen admits only text on which both agree, and the check, the
// security boundary, reads every changed file with both and refuses any difference
// (PARSER_DISAGREEMENT), so a gap in the screen can never be merged.

import type { Code } from "../diagnostics/codes.js";
import { firstDifference } from "../yaml/compare.js";
import { parseFast } from "../yaml/fast.js";
import { locateOffset } from "../yaml/locate.js";
import {
  bytePosition,
  checkBytes,
  type ParsedYaml,
  parseYamlDocument,
  type TextFinding,
} from "../yaml/parse.js";

export type ReadMode =
  /** The fast path when the screen admits the text, the full parser otherwise (`validate`, reports). */
  | "auto"
  /** The full parser only (`validate --full-parse`, the editor). */
  | "full"
  /** Both parsers; any difference between them is a finding (`check`). */
  | "both";

export interface RecordRead {
  /** The decoded text (BOM removed), or undefined when the bytes are not text. */
  text?: string;
  /** The record's value; present only when there are no findings. */
  value?: unknown;
  /** The position-aware document, when the full parser ran. */
  parsed?: ParsedYaml;
  /** Byte- and YAML-level findings, located by offset in `text`. */
  findings: TextFinding[];
  /** For undecodable bytes: where the first offending byte is (columns count bytes). */
  badPosition?: { line: number; column: number };
  /** Which parser produced the value. */
  parser: "fast" | "full" | "none";
}

export interface ReadOptions {
  maxBytes: number;
  mode?: ReadMode;
  /**
   * The fast reader (default: the screened js-yaml path). Tests pass an unscreened one to prove that
   * `both` catches a disagreement the screen would have let through.
   */
  fast?: (text: string) => { value: unknown } | undefined;
}

/** Reads a record's bytes into its value under the hardened YAML rules. Never throws on content. */
export function readRecord(bytes: Uint8Array, opts: ReadOptions): RecordRead {
  const checked = checkBytes(bytes, opts.maxBytes);
  const text = checked.text;
  if (text === undefined) {
    const badPosition = checked.badByte !== undefined ? bytePosition(bytes, checked.badByte) : undefined;
    return { findings: checked.findings, badPosition, parser: "none" };
  }
  const mode = opts.mode ?? "auto";
  const fastReader = opts.fast ?? parseFast;
  if (mode === "auto" && checked.findings.length === 0) {
    const fast = fastReader(text);
    if (fast) return { text, value: fast.value, findings: [], parser: "fast" };
  }
  const parsed = parseYamlDocument(text);
  const findings = checked.findings.length > 0 ? [...checked.findings, ...parsed.findings] : parsed.findings;
  if (mode === "both" && parsed.value !== undefined) {
    const disagreement = compareWithFastPath(text, parsed, fastReader);
    if (disagreement) findings.push(disagreement);
  }
  const value = findings.length === 0 ? parsed.value : undefined;
  return { text, value, parsed, findings, parser: "full" };
}

/**
 * The fast path's reading of `text`, compared with the full parser's: a finding at the first path
 * where they differ, or undefined when the screen refuses the text (then every reader takes the full
 * parser's reading) or both agree.
 */
function compareWithFastPath(
  text: string,
  full: ParsedYaml,
  fastReader: NonNullable<ReadOptions["fast"]>,
): TextFinding | undefined {
  const fast = fastReader(text);
  if (!fast) return undefined;
  const pointer = firstDifference(full.value, fast.value);
  if (pointer === undefined) return undefined;
  const code: Code = "PARSER_DISAGREEMENT";
  return {
    code,
    message: `two YAML readers read this file differently at \`${pointer || "/"}\`; write the value on one line in plain YAML (quote it, close every quote on its line) so every reader sees the same record`,
    // The differing node as the full parser sees it (or its nearest ancestor, for a key only the
    // fast path reads).
    offset: full.doc ? locateOffset(full.doc, pointer) : 0,
    pointer,
  };
}
