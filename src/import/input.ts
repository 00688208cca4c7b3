// Reading import inputs as hostile text: JSON, CSV and Markdown with YAML front matter become plain
// values, or diagnostics with file:line:column and a stable code. Size and depth are capped before
// parsing, and keys that would reach a prototype (`__proto__`, `constructor`) are refused. Pure.

import { parse as parseCsvText } from "csv-parse/sync";
import type { Code } from "../diagnostics/codes.js";
import { type Diagnostic, makeDiagnostic } from "../diagnostics/diagnostic.js";
import { offsetToPosition } from "../yaml/locate.js";
import { parseYamlDocument } from "../yaml/parse.js";
import { type InputFile, MAX_INPUT_BYTES, MAX_JSON_DEPTH, type Obj, UNSAFE_KEYS } from "./types.js";

export type Parsed<T> = { value: T; diagnostics: [] } | { value?: undefined; diagnostics: Diagnostic[] };

function fail(file: string, code: Code, message: string, line = 1, column = 1): Parsed<never> {
  return { diagnostics: [makeDiagnostic(code, message, file, { line, column })] };
}

/** 1-based line and column of a character offset in `text`. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf("\n"); i >= 0 && i < end; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: end - start + 1 };
}

function tooLarge(file: InputFile, max: number): Parsed<never> | undefined {
  const bytes = Buffer.byteLength(file.text, "utf8");
  if (bytes <= max) return undefined;
  return fail(
    file.path,
    "IMPORT_TOO_LARGE",
    `${bytes} bytes; an import reads files of at most ${max} bytes (split the export)`,
  );
}

/** Offset of the first bracket nested deeper than `max` outside strings, if any. */
function jsonTooDeep(text: string, max: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}

/** Where a quoted key appears as a key in JSON text (best effort, for the message's position). */
function keyOffset(text: string, key: string): number {
  const re = new RegExp(`"${key}"\\s*:`);
  const m = re.exec(text);
  return m ? m.index : 0;
}

/** A JSON document as a plain value. */
export function parseJson(file: InputFile, max = MAX_INPUT_BYTES): Parsed<unknown> {
  const big = tooLarge(file, max);
  if (big) return big;
  const text = file.text.replace(/^\uFEFF/, "");
  const deep = jsonTooDeep(text, MAX_JSON_DEPTH);
  if (deep !== undefined) {
    const pos = positionAt(text, deep);
    return fail(
      file.path,
      "IMPORT_TOO_LARGE",
      `nesting deeper than ${MAX_JSON_DEPTH} levels`,
      pos.line,
      pos.column,
    );
  }
  let unsafe: string | undefined;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v) => {
      if (UNSAFE_KEYS.has(key)) unsafe ??= key;
      return v;
    });
  } catch (err) {
    const message = (err as Error).message;
    const at = /at position (\d+)/.exec(message);
    const lc = /line (\d+) column (\d+)/.exec(message);
    const pos = at
      ? positionAt(text, Number(at[1]))
      : lc
        ? { line: Number(lc[1]), column: Number(lc[2]) }
        : /end of JSON input/.test(message)
          ? positionAt(text, text.length)
          : { line: 1, column: 1 };
    return fail(file.path, "IMPORT_SYNTAX", `not valid JSON: ${firstLine(message)}`, pos.line, pos.column);
  }
  if (unsafe !== undefined) {
    const pos = positionAt(text, keyOffset(text, unsafe));
    return fail(file.path, "IMPORT_UNSAFE_KEY", `the key \`${unsafe}\` is not allowed`, pos.line, pos.column);
  }
  return { value, diagnostics: [] };
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? "").slice(0, 200);
}

/** One CSV row as a record of header -> cell, with the line it starts on. */
export interface CsvRow {
  line: number;
  values: Obj;
}

/** A CSV file with a header row: rows as header -> cell (cells are strings). */
export function parseCsv(file: InputFile, max = MAX_INPUT_BYTES): Parsed<CsvRow[]> {
  const big = tooLarge(file, max);
  if (big) return big;
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    rows = parseCsvText(file.text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (err) {
    const e = err as { lines?: number; message?: string };
    return fail(
      file.path,
      "IMPORT_SYNTAX",
      `not valid CSV: ${firstLine(e.message ?? String(err))}`,
      e.lines ?? 1,
    );
  }
  const [head, ...body] = rows;
  if (!head) return fail(file.path, "IMPORT_SHAPE", "the CSV file is empty; it needs a header row");
  const header = head.record.map((h) => h.trim());
  for (const [i, h] of header.entries()) {
    if (UNSAFE_KEYS.has(h)) {
      return fail(
        file.path,
        "IMPORT_UNSAFE_KEY",
        `the column name \`${h}\` is not allowed`,
        head.info.lines,
        i + 1,
      );
    }
  }
  const seen = new Set<string>();
  for (const [i, h] of header.entries()) {
    if (seen.has(h))
      return fail(file.path, "IMPORT_SHAPE", `the column \`${h}\` appears twice`, head.info.lines, i + 1);
    seen.add(h);
  }
  return {
    value: body.map((r) => ({
      line: r.info.lines,
      values: Object.fromEntries(header.map((h, i) => [h, r.record[i] ?? ""])),
    })),
    diagnostics: [],
  };
}

/** A YAML document read by the hardened parser (no anchors, tags, unsafe keys), lines shifted by `lineOffset`. */
export function parseYaml(path: string, text: string, lineOffset = 0): Parsed<unknown> {
  const parsed = parseYamlDocument(text);
  if (parsed.findings.length > 0 || parsed.value === undefined) {
    const findings = parsed.findings.length
      ? parsed.findings
      : [{ code: "YAML_SYNTAX" as Code, message: "not valid YAML", offset: 0 }];
    return {
      diagnostics: findings.slice(0, 20).map((f) => {
        const pos = offsetToPosition(parsed.lineCounter, f.offset);
        const code: Code =
          f.code === "YAML_UNSAFE_KEY"
            ? "IMPORT_UNSAFE_KEY"
            : f.code === "YAML_TOO_DEEP"
              ? "IMPORT_TOO_LARGE"
              : "IMPORT_SYNTAX";
        return makeDiagnostic(code, f.message, path, { line: pos.line + lineOffset, column: pos.column });
      }),
    };
  }
  return { value: parsed.value, diagnostics: [] };
}

/** A Markdown file's front matter (a YAML mapping between `---` lines) and its body. */
export interface MarkdownDoc {
  front: Obj;
  body: string;
}

export function parseMarkdown(file: InputFile, max: number): Parsed<MarkdownDoc> {
  const big = tooLarge(file, max);
  if (big) return big;
  const text = file.text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  if (!text.startsWith("---\n"))
    return fail(file.path, "IMPORT_SHAPE", "no front matter: the file must start with a `---` line");
  const close = /^(?:---|\.\.\.)[ \t]*$/m;
  const rest = text.slice(4);
  const m = close.exec(rest);
  if (!m) return fail(file.path, "IMPORT_SYNTAX", "the front matter is not closed by a `---` line", 1, 1);
  const yaml = rest.slice(0, m.index);
  const body = rest.slice(m.index + m[0].length).replace(/^\n/, "");
  if (yaml.trim() === "") return { value: { front: {}, body }, diagnostics: [] };
  const parsed = parseYaml(file.path, yaml, 1);
  if (parsed.value === undefined) return { diagnostics: parsed.diagnostics };
  if (parsed.value === null || typeof parsed.value !== "object" || Array.isArray(parsed.value))
    return fail(file.path, "IMPORT_SHAPE", "the front matter is not a mapping of keys", 2, 1);
  return { value: { front: parsed.value as Obj, body }, diagnostics: [] };
}
