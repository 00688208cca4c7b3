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
// indented deeper than a key (or `- `) whose value is a plain or block scalar are that scalar's
// content, where `* bullet` or `& more` is just text. Quoted scalars and flow collections must close
// on the line they open, and nothing but a comment may follow them: the two parsers read quoted text
// that runs over lines differently (an escaped quote at a line end, unindented continuation lines).
// Also refused there: characters no plain scalar may start with (`@`, backquote, `%`, `]`, `}`, `,`).
const NODE_START = /^[&*!?{@`%\]},]/;
// Characters a plain key may not start with (besides whitespace).
const KEY_START_REFUSED = new Set("#'\"&*!?{[]|>%@`,");
const isBlank = (c: string | undefined) => c === " " || c === "\t";
// Keys that resolve to numbers, booleans or null (not strings), and the merge key.
const NON_STRING_KEY =
  /^(?:[-+]?[0-9.][0-9a-zA-Z_.+-]*|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)|<<)$/;
const GLOBAL_RISKS = [
  /^(?:%|---|\.\.\.)/m,
  /__proto__|constructor|prototype|\t|\r|\uFEFF/,
  // Line breaks JavaScript sees but YAML does not (or the other way round), and control characters
  // (C0 other than LF, DEL, C1 including NEL U+0085) that one parser refuses and the other may not.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u2028\u2029\x00-\x09\x0b-\x1f\x7f-\x9f]/,
  // A comment glued to a quoted value: js-yaml reads it, YAML 1.2 refuses it.
  /["']#/,
  // Block scalars with an explicit indentation indicator, and empty nested sequence items: the two
  // parsers read these differently.
  /[|>][-+]?[1-9][-+]?[ \t]*(?:#.*)?$/m,
  /^[ \t]*(?:-[ \t]+)*-[ \t]*(?:#.*)?$/m,
  // Keep chomping (`|+`, `>+`, `|2+`, `>+1`): at the end of the file the parsers keep a different
  // number of trailing line breaks. Looked for anywhere, prose included: a false alarm only costs speed.
  /[|>][1-9]?\+/,
];

// Escapes both parsers decode alike; anything else (`\x`, `\N`, `\_`, `\L`, `\P`, `\U`, `\0`, an
// escaped line break...) is left to the full parser.
const SIMPLE_ESCAPES = new Set(["\\", '"', "/", "n", "t", "r"]);

function isHex4(s: string, i: number): boolean {
  for (let k = i; k < i + 4; k++) {
    const c = s.charCodeAt(k);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

/**
 * Where the quoted scalar starting at `s[i]` ends (the index after its closing quote), or -1 when it
 * does not close on this line or holds an escape outside the simple set.
 */
function quotedEnd(s: string, i: number): number {
  const q = s[i];
  for (let k = i + 1; k < s.length; k++) {
    const c = s[k];
    if (q === "'") {
      if (c !== "'") continue;
      if (s[k + 1] !== "'") return k + 1;
      k++;
    } else if (c === '"') return k + 1;
    else if (c === "\\") {
      const e = s[k + 1] as string;
      if (e === "u" && isHex4(s, k + 2)) k += 5;
      else if (SIMPLE_ESCAPES.has(e)) k++;
      else return -1;
    }
  }
  return -1;
}

/** True when `s` from `i` on is blank or a comment (`#` after a blank). */
function onlyComment(s: string, i: number): boolean {
  let k = i;
  while (s.charCodeAt(k) === 32) k++;
  return k === s.length || (s[k] === "#" && k > i);
}

/** A quoted scalar that closes on its line, followed by nothing but a comment. */
function isQuotedSafe(s: string): boolean {
  const end = quotedEnd(s, 0);
  return end > 0 && onlyComment(s, end);
}

/**
 * A flow sequence that closes on its line: plain items only (no quotes, node properties, mappings,
 * `key: value` pairs, empty entries or comments inside), nothing but a comment after the closing bracket.
 */
function isFlowSafe(flow: string): boolean {
  let depth = 0;
  // Whether the last non-blank character opened the collection or separated two entries.
  let entryStart = true;
  for (let i = 0; i < flow.length; i++) {
    const c = flow[i] as string;
    if (c === " ") continue;
    if (c === "[") {
      if (!entryStart) return false;
      depth++;
      continue;
    } else if (c === "]") {
      depth--;
      if (depth === 0) return onlyComment(flow, i + 1);
      entryStart = false;
      continue;
    } else if (c === ",") {
      // An empty entry (`[a, , b]`, `[, a]`): the parsers do not agree on it.
      if (entryStart) return false;
      entryStart = true;
      continue;
    } else if (c === '"' || c === "'" || c === "{" || c === "}" || c === "#") return false;
    else if (entryStart && "&*!?-|>:%@`".includes(c)) return false;
    // `a:b` is one plain scalar; `a: b`, `a:,` or `a:]` make a pair.
    else if (c === ":" && " ,[]".includes(flow[i + 1] ?? " ")) return false;
    entryStart = false;
  }
  return false;
}

/**
 * A `key: value` line (indentation and `- ` removed) as its key, the index of its colon and its value
 * (undefined: nothing after the colon), or undefined when it is not a key line the screen understands.
 * A key is a quoted scalar that closes before the colon, or plain text without `#` up to the first
 * colon that a blank or the line end follows. One pass over the line: a regular expression with a lazy
 * key took time quadratic in a long run of blanks.
 */
export function splitKeyLine(
  rest: string,
): [key: string, colon: number, value: string | undefined] | undefined {
  const first = rest[0];
  if (first === undefined) return undefined;
  let keyEnd: number;
  let colon: number;
  if (first === '"' || first === "'") {
    keyEnd = quotedEnd(rest, 0);
    if (keyEnd < 0) return undefined;
    colon = keyEnd;
    while (isBlank(rest[colon])) colon++;
    if (rest[colon] !== ":") return undefined;
  } else {
    if (/\s/.test(first) || KEY_START_REFUSED.has(first)) return undefined;
    // `-` starts a key only when something other than a blank or `#` follows it.
    let from = 1;
    if (first === "-") {
      const second = rest[1];
      if (second === undefined || second === "#" || /\s/.test(second)) return undefined;
      from = 2;
    }
    colon = -1;
    for (let j = from; j < rest.length; j++) {
      const c = rest[j];
      if (c === "#") return undefined;
      if (c === ":" && (j + 1 === rest.length || isBlank(rest[j + 1]))) {
        colon = j;
        break;
      }
    }
    if (colon < 0) return undefined;
    keyEnd = colon;
    while (keyEnd > from && isBlank(rest[keyEnd - 1])) keyEnd--;
  }
  const key = rest.slice(0, keyEnd);
  if (colon + 1 === rest.length) return [key, colon, undefined];
  if (!isBlank(rest[colon + 1])) return undefined;
  let v = colon + 1;
  while (isBlank(rest[v])) v++;
  return [key, colon, rest.slice(v)];
}

function screenLines(text: string): boolean {
  // Lines indented deeper than this column belong to the scalar started above; -1: none.
  let contentColumn = -1;
  // A key (or `- `) at this column has no value on its line: a deeper line may hold the value; -1: none.
  let openColumn = -1;
  // A key (or `- `) at this column ended with a complete quoted or flow value: nothing may be deeper.
  let closedColumn = -1;
  // The line above opened a block scalar (`|`, `>-`) whose content has not started yet.
  let blockStart = false;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    let col = 0;
    while (line.charCodeAt(col) === 32) col++;
    if (col === line.length) {
      // A block scalar's leading blank line with spaces: yaml refuses it when it holds more spaces
      // than the content lines below, js-yaml takes those spaces as the indentation and reads on.
      if (col > 0 && blockStart) return false;
      continue;
    }
    blockStart = false;
    if (line[col] === "#") continue;
    if (contentColumn >= 0 && col > contentColumn) continue;
    contentColumn = -1;
    if (closedColumn >= 0 && col > closedColumn) return false;
    closedColumn = -1;
    const parentColumn = openColumn;
    openColumn = -1;
    // Sequence entries: `- `, `- - `, ...
    let itemColumn = -1;
    while (line[col] === "-" && (line[col + 1] === " " || col + 1 === line.length)) {
      itemColumn = col;
      col += 2;
      while (line.charCodeAt(col) === 32) col++;
    }
    const rest = line.slice(col);
    if (rest === "" || rest[0] === "#") {
      openColumn = itemColumn;
      continue;
    }
    if (NODE_START.test(rest)) return false;
    const key = splitKeyLine(rest);
    if (key) {
      const [k, colon, rawValue] = key;
      // YAML 1.2 limits implicit keys to 1024 characters up to the colon; js-yaml does not.
      if (NON_STRING_KEY.test(k) || colon > 1000) return false;
      const value = rawValue ?? "";
      if (value === "" || value[0] === "#") {
        openColumn = col;
        continue;
      }
      if (NODE_START.test(value)) return false;
      if (value[0] === "[" || value[0] === '"' || value[0] === "'") {
        if (!(value[0] === "[" ? isFlowSafe(value) : isQuotedSafe(value))) return false;
        closedColumn = col;
        continue;
      }
      blockStart = value[0] === "|" || value[0] === ">";
      contentColumn = col;
      continue;
    }
    // A value standing alone: a sequence item's, or that of the key on the line above.
    const owner = itemColumn >= 0 ? itemColumn : parentColumn;
    if (owner < 0 || (itemColumn < 0 && col <= parentColumn)) return false;
    if (rest[0] === "[" || rest[0] === '"' || rest[0] === "'") {
      if (!(rest[0] === "[" ? isFlowSafe(rest) : isQuotedSafe(rest))) return false;
      closedColumn = owner;
      continue;
    }
    // Something key-like that the pattern above does not understand (a `#` in the key, say) is a
    // mapping we cannot screen: leave it to the full parser.
    if (/:[ \t]|:$/.test(rest)) return false;
    blockStart = rest[0] === "|" || rest[0] === ">";
    contentColumn = owner;
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
