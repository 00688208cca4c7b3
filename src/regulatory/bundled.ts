// The rule set shipped with the package (templates/regulatory/rules.yaml and its schema). The one
// place under src/regulatory that reads a file: a package asset, never a repository's file, read
// once per process.

import { readFileSync } from "node:fs";
import { parseRuleSet } from "./rules.js";
import type { RuleSet } from "./types.js";

const DIR = new URL("../../templates/regulatory/", import.meta.url);
let cached: { rules: RuleSet; schema: object } | undefined;

/** The JSON Schema of a rule set. */
export function ruleSetSchema(): object {
  return bundled().schema;
}

/** The bundled rules; a broken bundled file is a bug of the package, not of the repository. */
export function bundledRules(): RuleSet {
  return bundled().rules;
}

function bundled(): { rules: RuleSet; schema: object } {
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(new URL("rules.schema.json", DIR), "utf8")) as object;
  const parsed = parseRuleSet(
    readFileSync(new URL("rules.yaml", DIR), "utf8"),
    "templates/regulatory/rules.yaml",
    schema,
  );
  if (!parsed.rules) {
    const first = parsed.diagnostics[0];
    throw new Error(
      `the bundled regulatory rules are invalid: ${first ? `${first.file}:${first.line}:${first.column} ${first.code} ${first.message}` : "unknown error"}`,
    );
  }
  cached = { rules: parsed.rules, schema };
  return cached;
}
