// The fast parse path. `yaml`'s position-aware Document costs ~2.5 ms for a typical incident; js-yaml
// parses the same text several times faster but keeps no positions and resolves anchors, tags and
// merge keys. So a cheap lexical screen admits only text that cannot contain any construct the
// hardened parser refuses; everything else, and any file with a finding, goes through parseYamlDocument.
// test/fast-path.test.ts proves both paths agree on every fixture and example.

import { FAILSAFE_SCHEMA, load, Type } from "js-yaml";
import { findExcessiveNesting } from "./parse.js";

// A node's properties (`&anchor`, `!tag`), an alias (`*a`), a flow mapping (`{`) or a complex key
// (`?`) can only stand where a node starts: at a line start after indentation and `- `, after a
// key's `: `, or inside a flow collection. The screen walks the lines and looks only there. Lines
// indented deeper than a key (or `- `) whose value is a scalar are that scalar's content (block
// scalar, folded plain or quoted text), where `* bullet` or `& more` is just text. Flow collections
// must close on the line they open; within them every position after `[`, `{`, `,` or `:` counts.
const NODE_START = /^[&*!?{]/;
const KEY_LINE =
  /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"&*!?{[\]|>%@`,-][^#]*?|-[^\s#][^#]*?)[ \t]*:(?:[ \t]+(.*))?$/;
// Keys that resolve to numbers, booleans or null (not strings), and the merge key.
const NON_STRING_KEY =
  /^(?:[-+]?[0-9.][0-9_.eExXoObB+-]*|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)|<<)$/;
const FLOW_NODE_START = /[[{,:][ \t]*[&*!?{]/;
const GLOBAL_RISKS = [
  /^(?:%|---|\.\.\.)/m,
  /__proto__|constructor|prototype|\t|\r|\uFEFF/,
  // Line breaks JavaScript sees but YAML does not (or the other way round).
  /[\u2028\u2029\u0085]/,
  // A comment glued to a quoted value: js-yaml reads it, YAML 1.2 refuses it.
  /["']#/,
  // Block scalars with an explicit indentation indicator, and empty nested sequence items: the two
  // parsers read these differently.
  /[|>][-+]?[1-9][-+]?[ \t]*(?:#.*)?$/m,
  /^[ \t]*(?:-[ \t]+)*-[ \t]*$/m,
];

function isFlowSafe(flow: string): boolean {
  let depth = 0;
  for (const ch of flow) {
    if (ch === "[" || ch === "{") depth++;
    else if (ch === "]" || ch === "}") depth--;
  }
  // Unclosed on its line, a node start inside, or a `key: value` pair (its key may be a number).
  return depth <= 0 && !FLOW_NODE_START.test(flow) && !/:[ \t]/.test(flow) && !flow.includes("{");
}

function screenLines(text: string): boolean {
  // Lines indented deeper than this column belong to the scalar started above; -1: none.
  let contentColumn = -1;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    let col = 0;
    while (line.charCodeAt(col) === 32) col++;
    if (col === line.length || line[col] === "#") continue;
    if (contentColumn >= 0 && col > contentColumn) continue;
    contentColumn = -1;
    // Sequence entries: `- `, `- - `, ...
    let itemColumn = -1;
    while (line[col] === "-" && (line[col + 1] === " " || col + 1 === line.length)) {
      itemColumn = col;
      col += 2;
      while (line.charCodeAt(col) === 32) col++;
    }
    const rest = line.slice(col);
    if (rest === "" || rest[0] === "#") continue;
    if (NODE_START.test(rest)) return false;
    const key = KEY_LINE.exec(rest);
    if (key) {
      // YAML 1.2 limits implicit keys to 1024 characters; js-yaml does not.
      if (NON_STRING_KEY.test(key[1] as string) || (key[1] as string).length > 1000) return false;
      const value = key[2] ?? "";
      if (value === "" || value[0] === "#") continue;
      if (NODE_START.test(value)) return false;
      if (value[0] === "[") {
        if (!isFlowSafe(value.replace(/[ \t]+#.*$/, ""))) return false;
        continue;
      }
      contentColumn = col;
    } else if (rest[0] === "[") {
      if (!isFlowSafe(rest.replace(/[ \t]+#.*$/, ""))) return false;
    } else if (itemColumn >= 0) {
      // A sequence item that looks like `key: value` but not like a key we understand (a `#` in
      // the key, say) is a mapping we cannot screen: leave it to the full parser.
      if (/:[ \t]|:$/.test(rest)) return false;
      contentColumn = itemColumn;
    } else if (/:[ \t]|:$/.test(rest)) {
      // Something key-like that the pattern above does not understand: leave it to the full parser.
      return false;
    }
  }
  return true;
}

// js-yaml's CORE_SCHEMA also reads 0b101 and +0x1F as numbers and -0 as 0; YAML 1.2 core (what the
// `yaml` package implements) does not. These types follow the YAML 1.2 core regular expressions exactly.
const INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOAT =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const coreNull = new Type("tag:yaml.org,2002:null", {
  kind: "scalar",
  resolve: (data: unknown) =>
    data === null || (typeof data === "string" && /^(?:~|null|Null|NULL|)$/.test(data)),
  construct: () => null,
});

const coreBool = new Type("tag:yaml.org,2002:bool", {
  kind: "scalar",
  resolve: (data: unknown) => typeof data === "string" && /^(?:true|True|TRUE|false|False|FALSE)$/.test(data),
  construct: (data: string) => data[0] === "t" || data[0] === "T",
});

const coreInt = new Type("tag:yaml.org,2002:int", {
  kind: "scalar",
  resolve: (data: unknown) => typeof data === "string" && INT.test(data),
  construct: (data: string) =>
    data.startsWith("0o")
      ? Number.parseInt(data.slice(2), 8)
      : data.startsWith("0x")
        ? Number.parseInt(data.slice(2), 16)
        : Number(data),
});

const coreFloat = new Type("tag:yaml.org,2002:float", {
  kind: "scalar",
  resolve: (data: unknown) => typeof data === "string" && FLOAT.test(data) && !INT.test(data),
  construct: (data: string) => {
    const lower = data.toLowerCase();
    if (lower.endsWith(".nan")) return Number.NaN;
    if (lower.endsWith(".inf"))
      return lower.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return Number(data);
  },
});

const CORE_1_2 = FAILSAFE_SCHEMA.extend({ implicit: [coreNull, coreBool, coreInt, coreFloat] });

/** True when the fast path may parse this text: none of the refused constructs can occur in it. */
export function isFastPathSafe(text: string): boolean {
  for (const re of GLOBAL_RISKS) if (re.test(text)) return false;
  return screenLines(text) && findExcessiveNesting(text) === undefined;
}

/** Parses screened text to a plain value, or returns undefined so the caller takes the full path. */
export function parseFast(text: string): { value: unknown } | undefined {
  if (!isFastPathSafe(text)) return undefined;
  try {
    const value = load(text, { schema: CORE_1_2, json: false });
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    return { value };
  } catch {
    return undefined;
  }
}
