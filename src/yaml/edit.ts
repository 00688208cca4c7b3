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
} from "yaml";
import { UserError } from "../diagnostics/errors.js";

export type PathKey = string | number;

export class EditError extends UserError {}

interface Splice {
  start: number;
  end: number;
  text: string;
}

function parse(text: string): Document.Parsed {
  const doc = parseDocument(text, {
    version: "1.2",
    schema: "core",
    uniqueKeys: false,
    keepSourceTokens: false,
  });
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

/** A scalar as YAML 1.2 text: plain where that reads back as the same value, quoted otherwise. */
export function formatScalar(value: string | number | boolean | null): string {
  const out = stringify(value, { lineWidth: 0, version: "1.2" }).replace(/\n$/, "");
  if (typeof value === "string" && out.includes("\n")) return JSON.stringify(value);
  return out;
}

/** A value as YAML lines indented by `indent` spaces (the first line without indentation). */
function formatBlock(value: unknown, indent: number): string {
  const text = stringify(value, { lineWidth: 0, version: "1.2", indentSeq: true }).replace(/\n$/, "");
  const pad = " ".repeat(indent);
  return text
    .split("\n")
    .map((line, i) => (i === 0 || line === "" ? line : pad + line))
    .join("\n");
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

/** Sets the value at `path`, creating missing parent mappings. Scalars replace scalars in place. */
export function setIn(text: string, path: readonly PathKey[], value: unknown, order?: KeyOrder): string {
  if (path.length === 0) throw new EditError("cannot replace the whole document");
  const doc = parse(text);
  const existing = nodeAt(doc, path);
  if (existing && doc.hasIn(path)) {
    const [start, valueEnd] = existing.range ?? [0, 0];
    if (isScalar(existing) && !isCollection(value)) {
      // The same value: leave the text (and its style: quotes, block scalars) exactly as it is.
      if (existing.value === value) return text;
      const scalar = formatScalar(value as string | number | boolean | null);
      // A null written as `key:` has an empty range; keep a space after the colon.
      const lead = start === valueEnd && text[start - 1] === ":" ? " " : "";
      // A block scalar (`|`, `>-`) owns its final line break; the one-line value needs it back.
      const tail = valueEnd > start && text[valueEnd - 1] === "\n" ? "\n" : "";
      return splice(text, { start, end: valueEnd, text: lead + scalar + tail });
    }
    if (isScalar(existing) && existing.value === null && isCollection(value)) {
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
      return insertCollectionValue(text, parent.range?.[0] ?? 0, parentPath, { [key]: nested }, doc);
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
  let end = mapEnd;
  let first = false;
  const rank = order ? order.indexOf(key) : -1;
  if (order && rank >= 0 && !map.flow) {
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
  const keyText = formatScalar(key);
  if (map.flow) {
    // `{a: 1}` -> `{a: 1, key: value}`
    const close = text.lastIndexOf("}", end);
    const inner = text.slice(start + 1, close).trim();
    const item = `${keyText}: ${isCollection(value) ? JSON.stringify(value) : formatScalar(value as string)}`;
    return splice(text, { start: close, end: close, text: inner === "" ? item : `, ${item}` });
  }
  const indent = columnOf(text, start);
  const { at, prefix } = first ? { at: lineStartOf(text, start), prefix: "" } : lineAfter(text, end);
  const body = isCollection(value)
    ? `${keyText}:\n${" ".repeat(indent + 2)}${formatBlock(value, indent + 2)}`
    : `${keyText}: ${formatScalar(value as string)}`;
  return splice(text, { start: at, end: at, text: `${prefix}${" ".repeat(indent)}${body}\n` });
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
  const indent = (keyNode?.range ? columnOf(text, keyNode.range[0]) : 0) + 2;
  const colon = text.lastIndexOf(":", start === 0 ? 0 : start);
  const lineEnd = text.indexOf("\n", colon);
  const valueEnd = lineEnd < 0 ? text.length : lineEnd;
  // Keep a trailing comment on the key's line.
  const tail = text.slice(colon + 1, valueEnd);
  const comment = /\s#.*$/.exec(tail)?.[0] ?? "";
  const block = `${comment}\n${" ".repeat(indent)}${formatBlock(value, indent)}`;
  return splice(text, { start: colon + 1, end: valueEnd, text: block });
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
  const [start, end] = seq.range ?? [0, 0];
  if (seq.flow) {
    if (isCollection(item))
      throw new EditError(`cannot add a mapping to the one-line list at ${path.join(".")}`);
    const itemText = formatScalar(item as string);
    const close = text.lastIndexOf("]", end);
    if (seq.items.length === 0) return splice(text, { start: close, end: close, text: itemText });
    if (index >= seq.items.length) return splice(text, { start: close, end: close, text: `, ${itemText}` });
    const before = seq.items[index] as Node;
    const at = before.range?.[0] ?? close;
    return splice(text, { start: at, end: at, text: `${itemText}, ` });
  }
  const indent = columnOf(text, start);
  const entry = `${" ".repeat(indent)}- ${formatBlock(item, indent + 2)}\n`;
  if (index < seq.items.length) {
    const before = seq.items[index] as Node;
    // Insert at the start of the line holding the `- ` of that item.
    const lineStart = text.lastIndexOf("\n", (before.range?.[0] ?? 0) - 1) + 1;
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
