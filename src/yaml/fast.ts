// The fast parse path. `yaml`'s position-aware Document costs ~2.5 ms for a typical incident; js-yaml
// parses the same text several times faster but keeps no positions and resolves anchors, tags and
// merge keys. So a cheap lexical screen admits only text that cannot contain any construct the
// hardened parser refuses; everything else, and any file with a finding, goes through parseYamlDocument.
// test/fast-path.test.ts proves both paths agree on every fixture and example.

import { CORE_SCHEMA, load } from "js-yaml";

// Indicators that could start an anchor, alias, tag, flow mapping or complex key where a value or key
// starts; directives and document markers at a line start; keys that would be numbers, booleans or null.
const RISKY = [
  /(^|[\s[,:-])[&*!{?]/m,
  /^(%|---|\.\.\.)/m,
  /^[ \t]*(- +)?([-+]?[0-9.][0-9_.eExXoObB+-]*|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?\.(inf|Inf|INF|nan|NaN|NAN)|<<)[ \t]*:([ \t]|$)/m,
  /__proto__|constructor|prototype|\t|\r|\uFEFF/,
];

/** True when the fast path may parse this text: none of the refused constructs can occur in it. */
export function isFastPathSafe(text: string): boolean {
  for (const re of RISKY) if (re.test(text)) return false;
  return true;
}

/** Parses screened text to a plain value, or returns undefined so the caller takes the full path. */
export function parseFast(text: string): { value: unknown } | undefined {
  if (!isFastPathSafe(text)) return undefined;
  try {
    const value = load(text, { schema: CORE_SCHEMA, json: false });
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    return { value };
  } catch {
    return undefined;
  }
}
