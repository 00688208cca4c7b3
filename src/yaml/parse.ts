// Hardened YAML parsing. YAML 1.2 core schema only: no anchors, aliases, tags, directives, merge keys,
// several documents, duplicate or non-string keys. Everything that is refused is reported as a finding
// with an offset, never thrown. Also the cheap byte-level checks (size, binary, BOM, CRLF, nesting).

import { type Document, isMap, isScalar, LineCounter, type Node, parseAllDocuments, visit } from "yaml";
import type { Code } from "../diagnostics/codes.js";

/** A finding located by character offset in the (BOM-stripped) text. */
export interface TextFinding {
  code: Code;
  message: string;
  offset: number;
  /** The JSON pointer of the value concerned, when there is one. */
  pointer?: string;
}

/** Line and column of a byte in undecodable content (columns count bytes). */
export function bytePosition(bytes: Uint8Array, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

export interface ParsedYaml {
  /** The parsed value, present only when the document is safe to convert. */
  value?: unknown;
  doc?: Document.Parsed;
  lineCounter: LineCounter;
  findings: TextFinding[];
}

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);
export const MAX_DEPTH = 64;
/**
 * Findings collected per file before the parser stops looking: a hostile file of 450 KB can hold
 * tens of thousands of aliases, and nobody reads past the first hundred.
 */
export const MAX_TEXT_FINDINGS = 200;

export interface TextCheck {
  /** The text to parse (BOM removed), or undefined when the bytes are not parseable text. */
  text?: string;
  findings: TextFinding[];
  /** For undecodable bytes: where the first offending byte is. */
  badByte?: number;
}

/** Byte-level checks before any parsing: size cap, binary content, UTF-8, BOM, CRLF, empty. */
export function checkBytes(bytes: Uint8Array, maxBytes: number): TextCheck {
  if (bytes.length > maxBytes) {
    return {
      findings: [
        {
          code: "FILE_TOO_LARGE",
          message: `file is ${bytes.length} bytes, over the limit of ${maxBytes} (limits.max_file_bytes); it was not parsed`,
          offset: 0,
        },
      ],
    };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return {
      badByte: nul,
      findings: [
        { code: "FILE_NOT_TEXT", message: "file contains a NUL byte: it is binary, not YAML", offset: 0 },
      ],
    };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return {
      badByte: firstInvalidUtf8(bytes),
      findings: [{ code: "FILE_NOT_TEXT", message: "file is not valid UTF-8 text", offset: 0 }],
    };
  }
  const findings: TextFinding[] = [];
  if (text.charCodeAt(0) === 0xfeff) {
    findings.push({
      code: "FILE_BOM",
      message: "file starts with a UTF-8 byte order mark; save it without BOM",
      offset: 0,
    });
    text = text.slice(1);
  }
  const cr = text.indexOf("\r");
  if (cr >= 0) {
    findings.push({
      code: "FILE_CRLF",
      message:
        text[cr + 1] === "\n"
          ? "file has CRLF line endings; convert to LF (for example `sed -i 's/\\r$//' FILE` or `git add --renormalize`)"
          : "file contains a carriage return; use LF line endings",
      offset: cr,
    });
  }
  return { text, findings };
}

/** Index of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    // Lead byte: sequence length and the allowed range of the second byte (no overlongs, no surrogates).
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) n = 1;
    else if (b >= 0xc2 && b <= 0xdf) n = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k < n; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += n;
  }
  return Math.max(0, bytes.length - 1);
}

/**
 * Finds nesting deeper than the parser and the checks should ever see, before parsing, so that a
 * hostile file cannot exhaust the stack. Flow brackets are counted outside quotes; block nesting is
 * estimated from indentation.
 */
export function findExcessiveNesting(text: string, maxDepth = MAX_DEPTH): number | undefined {
  // Most files have few brackets and shallow indentation: answer those without the character scan.
  if (!deepIndent(maxDepth * 4).test(text) && countFlowOpeners(text) <= maxDepth) return undefined;
  let depth = 0;
  let quote: string | undefined;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      if (c === " " || c === "-") {
        indent++;
        // Block nesting: each level needs at least one column of indentation (or a "- ").
        if (indent > maxDepth * 4) return i;
        continue;
      }
      lineStart = false;
    }
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "#" && (i === 0 || text[i - 1] === " " || text[i - 1] === "\t")) {
      const nl = text.indexOf("\n", i);
      if (nl < 0) break;
      i = nl - 1;
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1] ?? ""))) quote = c;
    else if (c === "[" || c === "{") {
      if (++depth > maxDepth) return i;
    } else if ((c === "]" || c === "}") && depth > 0) depth--;
  }
  return undefined;
}

const indentPatterns = new Map<number, RegExp>();
function deepIndent(columns: number): RegExp {
  let re = indentPatterns.get(columns);
  if (!re) {
    re = new RegExp(`^[ -]{${columns + 1}}`, "m");
    indentPatterns.set(columns, re);
  }
  return re;
}

function countFlowOpeners(text: string): number {
  let n = 0;
  for (let i = text.indexOf("["); i >= 0; i = text.indexOf("[", i + 1)) n++;
  for (let i = text.indexOf("{"); i >= 0; i = text.indexOf("{", i + 1)) n++;
  return n;
}

const PARSE_OPTIONS = {
  version: "1.2",
  schema: "core",
  // yaml's own uniqueKeys check compares every key with every other (quadratic); the visitor below
  // finds duplicates with a set instead.
  uniqueKeys: false,
  merge: false,
  prettyErrors: false,
  strict: true,
  stringKeys: false,
} as const;

/** Parses one YAML document with positions, refusing every construct outside plain YAML 1.2 data. */
export function parseYamlDocument(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const findings: TextFinding[] = [];
  const deep = findExcessiveNesting(text);
  if (deep !== undefined) {
    findings.push({
      code: "YAML_TOO_DEEP",
      message: `nesting deeper than ${MAX_DEPTH} levels; the file was not parsed`,
      offset: deep,
    });
    lineCounter.addNewLine(0);
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lineCounter.addNewLine(i + 1);
    return { lineCounter, findings };
  }
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter }) as Document.Parsed[];
  } catch (err) {
    // The parser reports problems as data; a throw here is a stack overflow or a parser bug.
    findings.push({
      code: err instanceof RangeError ? "YAML_TOO_DEEP" : "YAML_SYNTAX",
      message: `the YAML parser gave up: ${(err as Error).message}`,
      offset: 0,
    });
    return { lineCounter, findings };
  }
  if (!Array.isArray(docs)) docs = [];
  const doc = docs[0];
  if (docs.length > 1) {
    const second = docs[1];
    findings.push({
      code: "YAML_MULTIPLE_DOCUMENTS",
      message: `file holds ${docs.length} YAML documents; an incident file holds exactly one`,
      offset: second?.range?.[0] ?? 0,
    });
  }
  if (!doc || doc.contents === null) {
    findings.push({ code: "FILE_EMPTY", message: "file holds no YAML content", offset: 0 });
    return { doc, lineCounter, findings };
  }
  for (const e of [...doc.errors, ...doc.warnings]) {
    // Unresolved tags are reported by the visitor below, like every other tag.
    if (e.code === "TAG_RESOLVE_FAILED") continue;
    if (findings.length > MAX_TEXT_FINDINGS) break;
    const code: Code = "YAML_SYNTAX";
    findings.push({ code, message: firstLine(e.message), offset: e.pos[0] });
  }
  if (doc.directives?.yaml.explicit || Object.keys(doc.directives?.tags ?? {}).length > 1) {
    const m = /^%[^\n#]*/m.exec(text);
    findings.push({
      code: "YAML_DIRECTIVE",
      message: `directive ${m ? `\`${m[0].trim().slice(0, 80)}\` ` : ""}is not allowed: incident files are plain YAML 1.2`,
      offset: m?.index ?? 0,
    });
  }
  const full = () => (findings.length > MAX_TEXT_FINDINGS ? visit.BREAK : undefined);
  visit(doc, {
    Alias(_, node) {
      findings.push({
        code: "YAML_ANCHOR",
        message: `alias \`*${node.source}\` is not allowed: write the value out`,
        offset: node.range?.[0] ?? 0,
      });
      return full();
    },
    Node(_, node: Node) {
      if (isScalar(node) && !isClosedQuote(text, node)) {
        // The `yaml` package ends a double-quoted scalar whose line ends in `\"` at the line end,
        // without an error; every other reader reads on. Such a text has no one reading.
        findings.push({
          code: "YAML_SYNTAX",
          message:
            'quoted value is not closed on the line where it ends; close the quote (a `\\"` is an escaped quote, not a closing one)',
          offset: node.range?.[0] ?? 0,
        });
      }
      if (isMap(node)) {
        const seen = new Set<string>();
        for (const pair of node.items) {
          const key = pair.key as Node | null;
          if (!isScalar(key)) continue;
          const k = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(k)) {
            findings.push({
              code: "YAML_DUPLICATE_KEY",
              message: `key \`${String(key.value)}\` appears twice in this mapping`,
              offset: key.range?.[0] ?? 0,
            });
          }
          seen.add(k);
        }
      }
      if (node.anchor) {
        findings.push({
          code: "YAML_ANCHOR",
          message: `anchor \`&${node.anchor}\` is not allowed`,
          offset: anchorOffset(text, node),
        });
      }
      if (node.tag) {
        findings.push({
          code: "YAML_TAG",
          message: `tag \`${shortTag(node.tag)}\` is not allowed: values are plain strings, numbers, booleans, lists and mappings`,
          offset: tagOffset(text, node),
        });
      }
      return full();
    },
    Pair(_, pair) {
      const key = pair.key as Node | null;
      if (!isScalar(key)) {
        findings.push({
          code: "YAML_NON_STRING_KEY",
          message: "mapping key is a collection or empty; keys must be plain strings",
          offset: key?.range?.[0] ?? (pair.value as Node | null)?.range?.[0] ?? 0,
        });
        return;
      }
      const offset = key.range?.[0] ?? 0;
      if (typeof key.value !== "string") {
        findings.push({
          code: "YAML_NON_STRING_KEY",
          message: `mapping key ${JSON.stringify(key.source ?? key.value)} is a ${key.value === null ? "null" : typeof key.value}; keys must be strings (quote it)`,
          offset,
        });
      } else if (key.value === "<<" && key.type === "PLAIN") {
        findings.push({
          code: "YAML_MERGE_KEY",
          message: "merge key `<<` is not allowed: write the fields out",
          offset,
        });
      } else if (UNSAFE_KEYS.has(key.value)) {
        findings.push({ code: "YAML_UNSAFE_KEY", message: `key \`${key.value}\` is not allowed`, offset });
      }
      return full();
    },
  });
  if (!isMap(doc.contents)) {
    findings.push({
      code: "YAML_NOT_MAPPING",
      message:
        "the document must be a mapping of fields (`id: ...`, `title: ...`), not a list or a single value",
      offset: doc.contents.range?.[0] ?? 0,
    });
  }
  if (findings.length > 0) return { doc, lineCounter, findings };
  return { doc, lineCounter, findings, value: doc.toJS({ maxAliasCount: 0 }) };
}

/** Whether a quoted scalar's source really ends with its closing quote (not an escaped one). */
function isClosedQuote(text: string, node: Node): boolean {
  const type = (node as { type?: string }).type;
  if (type !== "QUOTE_DOUBLE" && type !== "QUOTE_SINGLE") return true;
  const [start, end] = node.range ?? [0, 0];
  const quote = type === "QUOTE_DOUBLE" ? '"' : "'";
  if (end - start < 2 || text[end - 1] !== quote) return false;
  // Count the run before the last quote: an odd number of backslashes escapes it ("...\"), and in
  // single quotes `''` is one quote, so the closing quote ends an odd run of quotes.
  let i = end - 2;
  let run = 0;
  const escapeChar = type === "QUOTE_DOUBLE" ? "\\" : "'";
  while (i > start && text[i] === escapeChar) {
    run++;
    i--;
  }
  return run % 2 === 0;
}

function shortTag(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice(18)}` : tag;
}

// A node's range starts at its value; the `&anchor` and `!tag` tokens sit just before it.
function anchorOffset(text: string, node: Node): number {
  const start = node.range?.[0] ?? 0;
  const i = text.lastIndexOf(`&${node.anchor}`, start);
  return i >= 0 ? i : start;
}

function tagOffset(text: string, node: Node): number {
  // The tag is the token just before the node's value: walk back over blanks, then over the token.
  const start = node.range?.[0] ?? 0;
  let end = start;
  while (end > 0 && /\s/.test(text[end - 1] ?? "")) end--;
  let i = end;
  while (i > 0 && !/[\s[{,]/.test(text[i - 1] ?? "")) i--;
  return text[i] === "!" ? i : start;
}

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, "");
}
