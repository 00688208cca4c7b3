// Runs a registry's steps over one file's text: each step's edits are spliced into the text (the
// editor in src/yaml/edit.ts sets values; removing and renaming keys are spliced here the same way),
// so comments, blank lines, quoting and key order survive, then schema_version is set to the step's
// target. Every splice is read back and must give exactly the intended data. Pure: text in, text out.

import { type Document, isMap, isScalar, isSeq, type Node, parseDocument, type YAMLMap } from "yaml";
import type { Finding } from "../diagnostics/diagnostic.js";
import { EditError, formatScalar, type KeyOrder, type PathKey, sameData, setIn } from "../yaml/edit.js";
import type { FileKind, MigrationEdit, Registry } from "./registry.js";

const PARSE_OPTIONS = { version: "1.2", schema: "core", uniqueKeys: false, keepSourceTokens: false } as const;

type Plain = Record<string, unknown>;

export type VersionRead = { version: number } | { finding: Finding };

/**
 * The schema_version a parsed file declares. A config without one is at version 1: the key is
 * optional there, and 1 was the only version when that was decided. A record must declare it.
 */
export function versionOf(kind: FileKind, value: unknown): VersionRead {
  const raw = (value as Plain | null)?.schema_version;
  if (raw === undefined) {
    if (kind === "config") return { version: 1 };
    return {
      finding: {
        code: "SCHEMA_REQUIRED",
        message: "`schema_version` is missing, so which version of the format the file is in is unknown",
        pointer: "",
        target: "parent",
      },
    };
  }
  if (typeof raw !== "number" || !Number.isSafeInteger(raw) || raw < 1)
    return {
      finding: {
        code: "SCHEMA_TYPE",
        message: `\`schema_version\` must be a whole number from 1, not ${JSON.stringify(raw)?.slice(0, 40)}`,
        pointer: "/schema_version",
      },
    };
  return { version: raw };
}

/** The refusal of a file written by a newer toolkit, naming the upgrade. */
export function newerFinding(version: number, known: number, toolkitVersion: string): Finding {
  return {
    code: "SCHEMA_VERSION_NEWER",
    message: `schema_version ${version} is newer than this toolkit knows (incident-as-code ${toolkitVersion} reads up to ${known}); upgrade: bump the incident-as-code devDependency, run \`npx incident-as-code init --update\`, then \`incident migrate\` (docs/adopting.md#upgrading)`,
    pointer: "/schema_version",
  };
}

export interface MigratedText {
  text: string;
  steps: Array<{ from: number; to: number; summary: string }>;
}

/**
 * `text` (a file of `kind` at version `from`) brought to version `to` by the registry's steps. Throws
 * EditError when an edit cannot be written into this text without changing what else it says.
 */
export function migrateText(
  text: string,
  kind: FileKind,
  from: number,
  to: number,
  registry: Registry,
  order?: KeyOrder,
): MigratedText {
  const steps: MigratedText["steps"] = [];
  let out = text;
  for (let v = from; v < to; v++) {
    const migration = registry.migrations[v - 1];
    if (migration?.from !== v) throw new Error(`no migration from schema_version ${v}`);
    const value = plain(out);
    for (const edit of migration.edits(kind, structuredClone(value))) out = applyEdit(out, edit, order);
    // schema_version first when it has to be added (a config may not have it).
    const keys = Object.keys(plain(out));
    const rootOrder: KeyOrder = (path) =>
      path.length === 0 ? ["schema_version", ...keys.filter((k) => k !== "schema_version")] : order?.(path);
    out = setIn(out, ["schema_version"], v + 1, rootOrder);
    steps.push({ from: v, to: v + 1, summary: migration.summary });
  }
  return { text: out, steps };
}

function parse(text: string): Document.Parsed {
  const doc = parseDocument(text, PARSE_OPTIONS);
  if (doc.errors.length > 0)
    throw new EditError(`cannot migrate: the file is not valid YAML (${doc.errors[0]?.message})`);
  return doc;
}

function plain(text: string): Plain {
  const value = parse(text).toJS({ maxAliasCount: 0 }) as unknown;
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new EditError("cannot migrate: the file is not a mapping");
  return value as Plain;
}

export function applyEdit(text: string, edit: MigrationEdit, order?: KeyOrder): string {
  switch (edit.op) {
    case "set":
      return setIn(text, edit.path, edit.value, order);
    case "remove":
      return removeIn(text, edit.path);
    case "rename":
      return renameIn(text, edit.path, edit.to);
    case "move": {
      const value = getPlain(plain(text), edit.path);
      if (value === undefined) return text;
      return removeIn(setIn(text, edit.to, value, order), edit.path);
    }
  }
}

function getPlain(value: unknown, path: readonly PathKey[]): unknown {
  let cur = value;
  for (const key of path) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<PathKey, unknown>)[key];
  }
  return cur;
}

/** Refuses a splice that does not read back as `expected` (the net under the splicing). */
function verify(out: string, expected: unknown, what: string): string {
  const doc = parseDocument(out, PARSE_OPTIONS);
  if (doc.errors.length > 0 || !sameData(doc.toJS({ maxAliasCount: 0 }), expected))
    throw new EditError(`cannot ${what} without changing how the file reads`);
  return out;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** Where the line after offset `end` starts (the end of the text when there is none). */
function nextLine(text: string, end: number): number {
  if (end > 0 && text[end - 1] === "\n") return end;
  const nl = text.indexOf("\n", end);
  return nl < 0 ? text.length : nl + 1;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function parentOf(doc: Document.Parsed, path: readonly PathKey[]): Node | undefined {
  if (path.length <= 1) return doc.contents ?? undefined;
  return (doc.getIn(path.slice(0, -1), true) as Node | undefined) ?? undefined;
}

function pairIndex(map: YAMLMap, key: PathKey): number {
  return map.items.findIndex((p) => isScalar(p.key) && p.key.value === key);
}

/** Removes the key (or list item) at `path` with its value; nothing when it is not there. */
export function removeIn(text: string, path: readonly PathKey[]): string {
  if (path.length === 0) throw new EditError("cannot remove the whole document");
  const doc = parse(text);
  const before = doc.toJS({ maxAliasCount: 0 }) as Plain;
  if (getPlain(before, path) === undefined) return text;
  const parent = parentOf(doc, path);
  const key = path[path.length - 1] as PathKey;
  const expected = structuredClone(before);
  const holder = getPlain(expected, path.slice(0, -1)) as Record<PathKey, unknown> | unknown[];
  if (Array.isArray(holder)) holder.splice(key as number, 1);
  else delete holder[key];
  let out: string;
  if (isMap(parent)) {
    const i = pairIndex(parent, key);
    const pair = parent.items[i];
    const keyRange = (pair?.key as Node | undefined)?.range;
    if (!pair || !keyRange) throw new EditError(`cannot find ${path.join(".")}`);
    const value = pair.value as Node | null;
    const valueEnd = value?.range?.[1] ?? keyRange[1];
    if (parent.flow) {
      const next = parent.items[i + 1]?.key as Node | undefined;
      const prev = parent.items[i - 1];
      const prevEnd = prev
        ? ((prev.value as Node | null)?.range?.[1] ?? (prev.key as Node).range?.[1])
        : undefined;
      if (next?.range) out = splice(text, keyRange[0], next.range[0], "");
      else if (prevEnd !== undefined) out = splice(text, prevEnd, valueEnd, "");
      else out = splice(text, keyRange[0], valueEnd, "");
    } else if (parent.items.length === 1 && path.length > 1) {
      // The last key of a nested mapping: the mapping stays, empty.
      out = setIn(
        splice(text, lineStart(text, keyRange[0]), nextLine(text, value?.range?.[2] ?? valueEnd), ""),
        path.slice(0, -1),
        {},
      );
    } else {
      out = splice(text, lineStart(text, keyRange[0]), nextLine(text, value?.range?.[2] ?? valueEnd), "");
    }
  } else if (isSeq(parent) && typeof key === "number") {
    const item = parent.items[key] as Node | undefined;
    const range = item?.range;
    if (!range) throw new EditError(`cannot find ${path.join(".")}`);
    if (parent.flow) {
      const next = (parent.items[key + 1] as Node | undefined)?.range;
      const prev = (parent.items[key - 1] as Node | undefined)?.range;
      if (next) out = splice(text, range[0], next[0], "");
      else if (prev) out = splice(text, prev[1], range[1], "");
      else out = splice(text, range[0], range[1], "");
    } else {
      out = splice(text, lineStart(text, range[0]), nextLine(text, range[2]), "");
      if (parent.items.length === 1) out = setIn(out, path.slice(0, -1), []);
    }
  } else throw new EditError(`${path.slice(0, -1).join(".") || "the document"} is not a mapping or list`);
  return verify(out, expected, `remove ${path.join(".")}`);
}

/** Gives the key at `path` the name `to`, in place: its value, comments and position stay. */
export function renameIn(text: string, path: readonly PathKey[], to: string): string {
  const from = path[path.length - 1];
  if (typeof from !== "string") throw new EditError(`${path.join(".")} is not a key`);
  if (from === to) return text;
  const doc = parse(text);
  const before = doc.toJS({ maxAliasCount: 0 }) as Plain;
  const holder = getPlain(before, path.slice(0, -1));
  if (holder === null || typeof holder !== "object" || !Object.hasOwn(holder, from)) return text;
  if (Object.hasOwn(holder, to)) throw new EditError(`cannot rename ${path.join(".")}: ${to} exists already`);
  const parent = parentOf(doc, path);
  if (!isMap(parent))
    throw new EditError(`${path.slice(0, -1).join(".") || "the document"} is not a mapping`);
  const keyRange = (parent.items[pairIndex(parent, from)]?.key as Node | undefined)?.range;
  if (!keyRange) throw new EditError(`cannot find ${path.join(".")}`);
  const expected = structuredClone(before);
  const target = getPlain(expected, path.slice(0, -1)) as Plain;
  target[to] = target[from];
  delete target[from];
  return verify(
    splice(text, keyRange[0], keyRange[1], formatScalar(to, parent.flow === true)),
    expected,
    `rename ${path.join(".")}`,
  );
}
