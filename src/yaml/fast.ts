// The fast parse path. `yaml`'s position-aware Document costs ~2.5 ms for a typical incident; js-yaml
// parses the same text several times faster but keeps no positions and resolves anchors, tags and
// merge keys. So a cheap lexical screen admits only text that cannot contain any construct the
// hardened parser refuses; everything else, and any file with a finding, goes through parseYamlDocument.
// test/fast-path.test.ts proves both paths agree on every fixture and example.

import { FAILSAFE_SCHEMA, load, Type } from "js-yaml";
import { findExcessiveNesting } from "./parse.js";

// Indicators that could start an anchor, alias, tag, flow mapping or complex key where a value or key
// starts; directives and document markers at a line start; keys that would be numbers, booleans or null.
const RISKY = [
  /(^|[\s[,:-])[&*!{?]/m,
  /^(%|---|\.\.\.)/m,
  /^[ \t]*(- +)?([-+]?[0-9.][0-9_.eExXoObB+-]*|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?\.(inf|Inf|INF|nan|NaN|NAN)|<<)[ \t]*:([ \t]|$)/m,
  /__proto__|constructor|prototype|\t|\r|\uFEFF/,
];

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
  for (const re of RISKY) if (re.test(text)) return false;
  return findExcessiveNesting(text) === undefined;
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
