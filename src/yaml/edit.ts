// Edits YAML text in place: each change is spliced into the original string at the ranges the
// `yaml` parser reports, so comments, blank lines, quoting, key order and every untouched byte stay
// exactly as a person wrote them (re-stringifying the document would reformat the whole file).
// Pure: string in, string out.

import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  type Node,
  parseDocument,
  stringify,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { UserError } from "../diagnostics/errors.js";

export type PathKey = string | number;

export class EditError extends UserError {}

interface Splice {
  start: number;
  end: number;
  text: string;
}

const PARSE_OPTIONS = { version: "1.2", schema: "core", uniqueKeys: false, keepSourceTokens: false } as const;

function parse(text: string): Document.Parsed {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0)
    throw new EditError(`cannot edit: the file is not valid YAML (${doc.errors[0]?.message})`);
  return doc;
}

function splice(text: string, s: Splice): string {
  return text.slice(0, s.start) + s.text + text.slice(s.end);
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf("\n", offset - 1) + 1);
}

/** The offset where a new line may be inserted after a block collection ending at `end`. */
function lineAfter(text: string, end: number): { at: number; prefix: string } {
  if (end > 0 && text[end - 1] === "\n") return { at: end, prefix: "" };
  const nl = text.indexOf("\n", end);
  return nl < 0 ? { at: text.length, prefix: "\n" } : { at: nl + 1, prefix: "" };
}

/**
 * Characters written only as escapes inside double quotes: control characters (a raw CR would make
 * the file a CRLF file, C1 controls and DEL are not printable YAML), the Unicode line and paragraph
 * separators and the byte order mark (readers disagree on them), and unpaired surrogates (not text).
 */
function escapeOnly(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09 && code !== 0x0a) ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0xfeff ||
    code === 0xfffe ||
    code === 0xffff ||
    (code >= 0xd800 && code <= 0xdfff)
  );
}

function hasEscapeOnly(value: string): boolean {
  for (const ch of value) if (escapeOnly(ch.codePointAt(0) as number)) return true;
  return false;
}

/**
 * What ends or splits a plain scalar inside `[...]` or `{...}` but not in block context: the flow
 * indicators, and a colon before a blank, an indicator or the end (`10:02` stays plain).
 */
const FLOW_UNSAFE = /[,[\]{}]|:(?=[\s,[\]{}]|$)/;

/** A double-quoted YAML scalar that every reader reads back as `value`, on one line. */
export function quoteDouble(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (escapeOnly(code)) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * A scalar as YAML 1.2 text on one line: plain where that reads back as the same value, quoted
 * otherwise. `flow`: the text goes inside `[...]` or `{...}`, where `,`, brackets and `: ` also end
 * a plain scalar.
 */
export function formatScalar(value: string | number | boolean | null, flow = false): string {
  if (typeof value !== "string") return stringify(value, { lineWidth: 0, version: "1.2" }).replace(/\n$/, "");
  if (value.includes("\n") || hasEscapeOnly(value)) return quoteDouble(value);
  const out = stringify(value, { lineWidth: 0, version: "1.2" }).replace(/\n$/, "");
  if (out.startsWith("'")) return out.includes("\n") ? quoteDouble(value) : out;
  if (out !== value || (flow && FLOW_UNSAFE.test(value))) return quoteDouble(value);
  return out;
}

/**
 * A multi-line text as a literal block scalar (header and content lines indented by `indent`), or
 * undefined when a block would not read back exactly: the indentation of its first line would be
 * taken for the block's, a blank line holding spaces would lose them, a tab or escape-only character
 * has no place in it, several final line breaks need keep chomping.
 */
function literalBlock(value: string, indent: number): string | undefined {
  if (!value.includes("\n") || hasEscapeOnly(value) || value.includes("\t")) return undefined;
  const body = value.replace(/\n+$/, "");
  const trailing = value.length - body.length;
  const lines = body.split("\n");
  const first = lines.find((l) => l !== "");
  if (first === undefined || /^\s/.test(first)) return undefined;
  if (lines.some((l) => l !== "" && l.trim() === "")) return undefined;
  // Keep chomping (`|+`) would also take in any blank lines that follow in the file.
  if (trailing > 1) return undefined;
  const pad = " ".repeat(indent);
  return `${trailing === 0 ? "|-" : "|"}\n${lines.map((l) => (l === "" ? "" : pad + l)).join("\n")}`;
}

/** A value written inside a flow collection: `[a, b]`, `{k: v}`, or a one-line scalar. */
function formatFlow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatFlow).join(", ")}]`;
  if (isCollection(value)) {
    const pairs = Object.entries(value as Record<string, unknown>);
    return `{${pairs.map(([k, v]) => `${formatScalar(k, true)}: ${formatFlow(v)}`).join(", ")}}`;
  }
  return formatScalar(value as string | number | boolean | null, true);
}

/**
 * The text after `key:` or `- ` for a value whose key or dash stands at column `col`: a one-line
 * scalar or empty collection after a space, or a block on the following lines.
 */
function afterIndicator(value: unknown, col: number): string {
  if (
    Array.isArray(value)
      ? value.length === 0
      : isCollection(value) && Object.keys(value as object).length === 0
  )
    return ` ${formatFlow(value)}`;
  if (isCollection(value)) return `\n${blockLines(value, col + 2).join("\n")}`;
  if (typeof value === "string") {
    const block = literalBlock(value, col + 2);
    if (block !== undefined) return ` ${block}`;
  }
  return ` ${formatScalar(value as string | number | boolean | null)}`;
}

/** A non-empty collection as block lines at column `col`. */
function blockLines(value: unknown, col: number): string[] {
  const pad = " ".repeat(col);
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((v) => ["-", v])
    : Object.entries(value as Record<string, unknown>).map(([k, v]) => [`${formatScalar(k)}:`, v]);
  const lines: string[] = [];
  for (const [lead, v] of entries) {
    if (lead === "-" && isCollection(v) && !Array.isArray(v) && Object.keys(v as object).length > 0) {
      // `- key: value` with the mapping's following keys under the first one.
      const [first, ...rest] = blockLines(v, col + 2);
      lines.push(`${pad}- ${(first as string).slice(col + 2)}`, ...rest);
    } else {
      lines.push(`${pad}${lead}${afterIndicator(v, col)}`);
    }
  }
  return lines.join("\n").split("\n");
}

function isCollection(value: unknown): boolean {
  return value !== null && typeof value === "object";
}

function nodeAt(doc: Document.Parsed, path: readonly PathKey[]): Node | undefined {
  if (path.length === 0) return doc.contents ?? undefined;
  return (doc.getIn(path, true) as Node | undefined) ?? undefined;
}

/** The preferred order of keys in the mapping at a path (for placing new keys), if known. */
export type KeyOrder = (mapPath: readonly PathKey[]) => readonly string[] | undefined;

/** Whether the node at `path` sits inside `[...]` or `{...}` (so its text must be flow text). */
function inFlow(doc: Document.Parsed, path: readonly PathKey[]): boolean {
  const parent = nodeAt(doc, path.slice(0, -1));
  return (isMap(parent) || isSeq(parent)) && parent.flow === true;
}

type Plain = Record<string, unknown>;

/** The document's value with `value` set at `path` (parents created): what an edit must read back as. */
function expectSet(before: unknown, path: readonly PathKey[], value: unknown): unknown {
  const root = structuredClone(before) as Plain;
  let cur = root as Plain | unknown[];
  for (const [i, key] of path.entries()) {
    const holder = cur as Record<PathKey, unknown>;
    if (i === path.length - 1) {
      holder[key] = value;
      break;
    }
    const next = holder[key];
    if (next === null || typeof next !== "object") holder[key] = {};
    cur = holder[key] as Plain;
  }
  return root;
}

/** Deep equality of plain data (lists, mappings, scalars), whatever the objects' prototypes. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameData((a as Plain)[k], (b as Plain)[k]));
}

/**
 * Refuses an edit whose text does not read back as the intended document (`expected`): the value
 * landed as something else, or it changed another value. Formatting is meant to make this
 * impossible; this is the net under it, so a value can never inject keys or items.
 */
function verify(out: string, expected: unknown, path: readonly PathKey[]): string {
  const doc = parseDocument(out, PARSE_OPTIONS);
  if (doc.errors.length > 0 || !sameData(doc.toJS({ maxAliasCount: 0 }), expected)) {
    throw new EditError(`cannot write this value at ${path.join(".")} without changing how the file reads`);
  }
  return out;
}

/** Sets the value at `path`, creating missing parent mappings. Scalars replace scalars in place. */
export function setIn(text: string, path: readonly PathKey[], value: unknown, order?: KeyOrder): string {
  if (path.length === 0) throw new EditError("cannot replace the whole document");
  const doc = parse(text);
  const out = setInDoc(text, doc, path, value, order);
  return out === text ? text : verify(out, expectSet(doc.toJS({ maxAliasCount: 0 }), path, value), path);
}

function setInDoc(
  text: string,
  doc: Document.Parsed,
  path: readonly PathKey[],
  value: unknown,
  order?: KeyOrder,
): string {
  const existing = nodeAt(doc, path);
  if (existing && doc.hasIn(path)) {
    const [start, valueEnd] = existing.range ?? [0, 0];
    const flow = inFlow(doc, path);
    // A null written as `key:` has an empty range; keep a space after the colon.
    const lead = start === valueEnd && text[start - 1] === ":" ? " " : "";
    if (isScalar(existing) && !isCollection(value)) {
      // The same value: leave the text (and its style: quotes, block scalars) exactly as it is.
      if (existing.value === value) return text;
      const scalar = formatScalar(value as string | number | boolean | null, flow);
      // A block scalar (`|`, `>-`) owns its final line break; the one-line value needs it back.
      const tail = valueEnd > start && text[valueEnd - 1] === "\n" ? "\n" : "";
      return splice(text, { start, end: valueEnd, text: lead + scalar + tail });
    }
    if (isScalar(existing) && existing.value === null && isCollection(value)) {
      if (flow) return splice(text, { start, end: valueEnd, text: lead + formatFlow(value) });
      return insertCollectionValue(text, start, path, value, doc);
    }
    throw new EditError(
      `cannot replace the ${isSeq(existing) ? "list" : "mapping"} at ${path.join(".")} as a whole`,
    );
  }
  // Find the deepest existing mapping on the path and add the rest below it.
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const parentPath = path.slice(0, depth);
    const parent = nodeAt(doc, parentPath);
    if (!parent) continue;
    const rest = path.slice(depth);
    if (rest.some((k) => typeof k === "number")) throw new EditError(`no list item at ${path.join(".")}`);
    let nested: unknown = value;
    for (let i = rest.length - 1; i >= 1; i--) nested = { [rest[i] as string]: nested };
    const key = rest[0] as string;
    if (isMap(parent)) return addPair(text, parent, key, nested, order?.(parentPath));
    if (isScalar(parent) && parent.value === null) {
      return setInDoc(text, doc, parentPath, { [key]: nested }, order);
    }
    throw new EditError(`${parentPath.join(".") || "the document"} is not a mapping`);
  }
  throw new EditError(`cannot set ${path.join(".")}`);
}

/**
 * Adds `key: value` to a mapping: after the last existing key that comes before it in `order`
 * (so new fields land where the schema lists them), or at the end.
 */
function addPair(text: string, map: YAMLMap, key: string, value: unknown, order?: readonly string[]): string {
  const [start, mapEnd] = map.range ?? [0, 0];
  if (map.flow) {
    // `{a: 1}` -> `{a: 1, key: value}`, right after the last pair (before a trailing comma or comment).
    const item = `${formatScalar(key, true)}: ${formatFlow(value)}`;
    const last = map.items.at(-1);
    const lastEnd = last
      ? ((last.value as Node | null)?.range?.[1] ?? (last.key as Node | null)?.range?.[1])
      : undefined;
    if (lastEnd !== undefined) return splice(text, { start: lastEnd, end: lastEnd, text: `, ${item}` });
    const close = text.lastIndexOf("}", mapEnd);
    return splice(text, { start: close, end: close, text: item });
  }
  let end = mapEnd;
  let first = false;
  const rank = order ? order.indexOf(key) : -1;
  if (order && rank >= 0) {
    const pairs = map.items.filter((p) => isScalar(p.key));
    const before = pairs.filter((p) => {
      const r = order.indexOf(String((p.key as { value: unknown }).value));
      return r >= 0 && r < rank;
    });
    const anchor = before.at(-1);
    if (anchor) {
      // Right after that pair (its value's last line), before any comment lines that follow it.
      const value = anchor.value as Node | null;
      end = value?.range?.[2] ?? (anchor.key as Node).range?.[1] ?? mapEnd;
    } else if (pairs.some((p) => order.indexOf(String((p.key as { value: unknown }).value)) > rank)) {
      first = true;
    }
  }
  const indent = columnOf(text, start);
  const { at, prefix } = first ? { at: lineStartOf(text, start), prefix: "" } : lineAfter(text, end);
  const body = `${" ".repeat(indent)}${formatScalar(key)}:${afterIndicator(value, indent)}`;
  return splice(text, { start: at, end: at, text: `${prefix}${body}\n` });
}

/** Replaces an empty value (`key:` or `key: null`) at `start` with a block collection. */
function insertCollectionValue(
  text: string,
  start: number,
  path: readonly PathKey[],
  value: unknown,
  doc: Document.Parsed,
): string {
  // The key's column decides the indentation of the nested block.
  const keyNode = findKeyNode(doc, path);
  const keyColumn = keyNode?.range ? columnOf(text, keyNode.range[0]) : 0;
  const colon = text.lastIndexOf(":", start === 0 ? 0 : start);
  const lineEnd = text.indexOf("\n", colon);
  const valueEnd = lineEnd < 0 ? text.length : lineEnd;
  // Keep a trailing comment on the key's line.
  const tail = text.slice(colon + 1, valueEnd);
  const comment = /\s#.*$/.exec(tail)?.[0] ?? "";
  const block = afterIndicator(value, keyColumn);
  return splice(text, {
    start: colon + 1,
    end: valueEnd,
    text: block.startsWith("\n") ? `${comment}${block}` : `${block}${comment}`,
  });
}

function findKeyNode(doc: Document.Parsed, path: readonly PathKey[]): Node | undefined {
  const parent = nodeAt(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
  return (pair?.key as Node | undefined) ?? undefined;
}

/** Appends `item` to the list at `path` (block or flow), creating the list when missing. */
export function appendIn(text: string, path: readonly PathKey[], item: unknown, order?: KeyOrder): string {
  return insertIn(text, path, Number.POSITIVE_INFINITY, item, order);
}

/** Inserts `item` into the list at `path` before index `index` (Infinity: at the end). */
export function insertIn(
  text: string,
  path: readonly PathKey[],
  index: number,
  item: unknown,
  order?: KeyOrder,
): string {
  const doc = parse(text);
  const seq = nodeAt(doc, path);
  if (!seq || (isScalar(seq) && seq.value === null)) return setIn(text, path, [item], order);
  if (!isSeq(seq)) throw new EditError(`${path.join(".")} is not a list`);
  const before = doc.toJS({ maxAliasCount: 0 }) as Plain;
  const list = [...(getPlain(before, path) as unknown[])];
  list.splice(Math.min(index, list.length), 0, item);
  return verify(insertInSeq(text, seq, index, item), expectSet(before, path, list), path);
}

function getPlain(value: unknown, path: readonly PathKey[]): unknown {
  let cur = value;
  for (const key of path) cur = (cur as Record<PathKey, unknown>)[key];
  return cur;
}

function insertInSeq(text: string, seq: YAMLSeq, index: number, item: unknown): string {
  const [start, end] = seq.range ?? [0, 0];
  if (seq.flow) {
    const itemText = formatFlow(item);
    if (index < seq.items.length) {
      const at = (seq.items[index] as Node).range?.[0] ?? 0;
      return splice(text, { start: at, end: at, text: `${itemText}, ` });
    }
    // After the last item (so a trailing comma or a comment after it stays where it is).
    const lastEnd = (seq.items.at(-1) as Node | undefined)?.range?.[1];
    if (lastEnd !== undefined) return splice(text, { start: lastEnd, end: lastEnd, text: `, ${itemText}` });
    const close = text.lastIndexOf("]", end);
    return splice(text, { start: close, end: close, text: itemText });
  }
  const indent = columnOf(text, start);
  const entry = `${blockLines([item], indent).join("\n")}\n`;
  if (index < seq.items.length) {
    const next = seq.items[index] as Node;
    // Insert at the start of the line holding the `- ` of that item.
    const lineStart = text.lastIndexOf("\n", (next.range?.[0] ?? 0) - 1) + 1;
    return splice(text, { start: lineStart, end: lineStart, text: entry });
  }
  const { at, prefix } = lineAfter(text, end);
  return splice(text, { start: at, end: at, text: prefix + entry });
}

/** Removes the first item equal to `item` from the list at `path`; unchanged when absent. */
export function removeFromList(text: string, path: readonly PathKey[], item: string): string {
  const doc = parse(text);
  const seq = nodeAt(doc, path);
  if (!isSeq(seq)) return text;
  const index = seq.items.findIndex((n) => isScalar(n) && n.value === item);
  if (index < 0) return text;
  const node = seq.items[index] as Node;
  const [s, e] = node.range ?? [0, 0];
  if (seq.flow) {
    const next = seq.items[index + 1] as Node | undefined;
    const prev = seq.items[index - 1] as Node | undefined;
    if (next?.range) return splice(text, { start: s, end: next.range[0], text: "" });
    if (prev?.range) return splice(text, { start: prev.range[1], end: e, text: "" });
    return splice(text, { start: s, end: e, text: "" });
  }
  const lineStart = text.lastIndexOf("\n", s - 1) + 1;
  const { at } = lineAfter(text, node.range?.[2] ?? e);
  return splice(text, { start: lineStart, end: at, text: "" });
}
