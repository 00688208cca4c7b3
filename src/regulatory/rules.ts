// Reads and merges regulatory rule sets: the bundled templates/regulatory/rules.yaml, checked
// against its own JSON Schema with positions, and a repository's `regulatory:` config (rule changes
// and additions merged by id, holiday dates added to calendars), whose references are checked.
// Pure: texts, schemas and plain objects in, rules and findings out.

import type { ValidateFunction } from "ajv";
import type { Diagnostic, Finding } from "../diagnostics/diagnostic.js";
import { makeDiagnostic } from "../diagnostics/diagnostic.js";
import { createAjv } from "../schema/ajv.js";
import { schemaFindings } from "../schema/errors.js";
import { locateOffset, offsetToPosition } from "../yaml/locate.js";
import { parseYamlDocument } from "../yaml/parse.js";
import type { Anchor, RegimeRule, RegulatoryConfig, ReportRule, RuleSet, TriggerDef } from "./types.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

const validators = new WeakMap<object, ValidateFunction>();
function validatorFor(schema: object): ValidateFunction {
  let v = validators.get(schema);
  if (!v) {
    v = createAjv().compile(schema);
    validators.set(schema, v);
  }
  return v;
}

export interface ParsedRules {
  rules?: RuleSet;
  /** YAML, schema and reference findings, with line and column in `file`. */
  diagnostics: Diagnostic[];
}

/** Parses a rule-set text (the bundled file, or a repository's own) and checks it against `schema`. */
export function parseRuleSet(text: string, file: string, schema: object): ParsedRules {
  const parsed = parseYamlDocument(text);
  const lc = parsed.lineCounter;
  const diagnostics = parsed.findings.map((f) =>
    makeDiagnostic(f.code, f.message, file, { ...offsetToPosition(lc, f.offset), pointer: f.pointer }),
  );
  if (diagnostics.length > 0 || parsed.value === undefined) return { diagnostics };
  const validate = validatorFor(schema);
  const findings = validate(parsed.value) ? [] : schemaFindings(validate.errors);
  if (findings.length === 0) findings.push(...checkRuleReferences(parsed.value as RuleSet));
  const locate = (f: Finding) => {
    const offset = parsed.doc ? locateOffset(parsed.doc, f.pointer, f.target) : 0;
    return makeDiagnostic(f.code, f.message, file, { ...offsetToPosition(lc, offset), pointer: f.pointer });
  };
  diagnostics.push(...findings.map(locate));
  return diagnostics.length > 0 ? { diagnostics } : { rules: parsed.value as RuleSet, diagnostics };
}

/**
 * The rules in force for a repository: `bundled` with the config's regimes merged by id (fields
 * given replace the bundled ones; reports merge by id), its triggers added, its holiday dates added
 * to the calendars. Findings point into incident.config.yaml (`/regulatory/...`): a merged regime
 * that is incomplete, an enabled regime that does not exist, a reference to an unknown trigger,
 * report or calendar.
 */
export function mergeRules(
  bundled: RuleSet,
  reg: RegulatoryConfig | undefined,
  schema: object,
): { rules: RuleSet; findings: Finding[] } {
  const rules = structuredClone(bundled);
  const findings: Finding[] = [];
  if (!reg) return { rules, findings };
  for (const t of reg.triggers ?? []) {
    const i = rules.triggers.findIndex((x) => x.id === t.id);
    if (i >= 0) rules.triggers[i] = { ...rules.triggers[i], ...structuredClone(t) } as TriggerDef;
    else rules.triggers.push(structuredClone(t));
  }
  for (const [name, dates] of Object.entries(reg.calendars ?? {})) {
    const known = rules.calendars[name] ?? [];
    rules.calendars[name] = [...new Set([...known, ...dates])].sort();
  }
  (reg.rules ?? []).forEach((over, index) => {
    const i = rules.regimes.findIndex((r) => r.id === over.id);
    if (i < 0) {
      rules.regimes.push(structuredClone(over) as RegimeRule);
      return;
    }
    const base = rules.regimes[i] as RegimeRule;
    const merged = { ...base, ...structuredClone(over), reports: base.reports } as RegimeRule;
    if (Array.isArray(over.reports)) {
      const reports = base.reports.map((r) => ({ ...r }));
      for (const r of over.reports as Array<Partial<ReportRule> & { id: string }>) {
        const j = reports.findIndex((x) => x.id === r.id);
        if (j >= 0) reports[j] = { ...reports[j], ...structuredClone(r) } as ReportRule;
        else reports.push(structuredClone(r) as ReportRule);
      }
      merged.reports = reports;
    }
    rules.regimes[i] = merged;
    void index;
  });
  // A merged or added regime must be as complete as a bundled one: checked by the same schema, with
  // the pointer moved to the config entry that introduced it.
  const validate = validatorFor(schema);
  if (!validate(rules)) {
    for (const f of schemaFindings(validate.errors)) findings.push(toConfigPointer(f, rules, reg));
  } else {
    for (const f of checkRuleReferences(rules)) findings.push(toConfigPointer(f, rules, reg));
  }
  const ids = new Set(rules.regimes.map((r) => r.id));
  (reg.enabled ?? []).forEach((id, i) => {
    if (!ids.has(id))
      findings.push({
        code: "CONFIG_REFERENCE",
        message: `regime \`${id}\` is neither bundled nor defined in \`regulatory.rules\``,
        pointer: `/regulatory/enabled/${i}`,
      });
  });
  return { rules, findings };
}

/** A finding on the merged rule set, pointed at the config entry of that regime (or `/regulatory`). */
function toConfigPointer(f: Finding, rules: RuleSet, reg: RegulatoryConfig): Finding {
  const m = /^\/regimes\/(\d+)(\/.*)?$/.exec(f.pointer);
  if (m) {
    const regime = rules.regimes[Number(m[1])];
    const k = (reg.rules ?? []).findIndex((r) => r.id === regime?.id);
    if (k >= 0) {
      let rest = m[2] ?? "";
      // A report's index differs between the merged list and the config's list.
      const rm = /^\/reports\/(\d+)(\/.*)?$/.exec(rest);
      if (rm) {
        const report = regime?.reports[Number(rm[1])];
        const j = (reg.rules[k]?.reports ?? []).findIndex((r) => r.id === report?.id);
        rest = j >= 0 ? `/reports/${j}${rm[2] ?? ""}` : "/reports";
      }
      return {
        ...f,
        pointer: `/regulatory/rules/${k}${rest}`,
        target: f.target === "key" ? "key" : "parent",
      };
    }
  }
  return { ...f, message: `${f.message} (in the merged regulatory rules)`, pointer: "/regulatory" };
}

/** References inside a rule set: anchors name known triggers and reports, calendars exist, zones are zones. */
export function checkRuleReferences(rules: RuleSet): Finding[] {
  const out: Finding[] = [];
  const triggers = new Set(rules.triggers.map((t) => t.id));
  const seenRegimes = new Set<string>();
  rules.regimes.forEach((regime, i) => {
    const at = `/regimes/${i}`;
    if (seenRegimes.has(regime.id))
      out.push({
        code: "CONFIG_REFERENCE",
        message: `regime \`${regime.id}\` is defined twice`,
        pointer: `${at}/id`,
      });
    seenRegimes.add(regime.id);
    if (!isZone(regime.zone))
      out.push({
        code: "CONFIG_REFERENCE",
        message: `\`${regime.zone}\` is not an IANA time zone name`,
        pointer: `${at}/zone`,
      });
    if (regime.calendar !== undefined && !Object.hasOwn(rules.calendars, regime.calendar))
      out.push({
        code: "CONFIG_REFERENCE",
        message: `calendar \`${regime.calendar}\` is not defined in \`calendars\``,
        pointer: `${at}/calendar`,
      });
    const reports = new Set<string>();
    regime.reports.forEach((r, j) => {
      const rp = `${at}/reports/${j}`;
      if (reports.has(r.id))
        out.push({
          code: "CONFIG_REFERENCE",
          message: `report \`${r.id}\` is defined twice`,
          pointer: `${rp}/id`,
        });
      reports.add(r.id);
      const anchors: Array<[Anchor | undefined, string]> = [
        [r.from, `${rp}/from`],
        [r.not_later_than?.from, `${rp}/not_later_than/from`],
      ];
      for (const [a, p] of anchors) {
        if (!a) continue;
        if ("trigger" in a && !triggers.has(a.trigger))
          out.push({
            code: "CONFIG_REFERENCE",
            message: `trigger \`${a.trigger}\` is not defined`,
            pointer: `${p}/trigger`,
          });
        if ("report" in a && !regime.reports.some((x) => x.id === a.report && x.id !== r.id))
          out.push({
            code: "CONFIG_REFERENCE",
            message: `report \`${a.report}\` is not another report of \`${regime.id}\``,
            pointer: `${p}/report`,
          });
      }
      for (const key of ["while_ongoing", "only_if_ongoing"] as const) {
        const t = r[key];
        if (t !== undefined && !triggers.has(t))
          out.push({
            code: "CONFIG_REFERENCE",
            message: `trigger \`${t}\` is not defined`,
            pointer: `${rp}/${key}`,
          });
      }
      if (!r.on_request && (r.from === undefined) !== (r.within === undefined) && r.within !== undefined)
        out.push({
          code: "CONFIG_REFERENCE",
          message: `report \`${r.id}\` has a period (\`within\`) but no clock start (\`from\`)`,
          pointer: rp,
        });
    });
  });
  return out;
}

function isZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The enabled regimes of a rule set, in the config's order (unknown ids are left out). */
export function enabledRegimes(rules: RuleSet, reg: RegulatoryConfig | undefined): RegimeRule[] {
  const out: RegimeRule[] = [];
  for (const id of reg?.enabled ?? []) {
    const r = rules.regimes.find((x) => x.id === id);
    if (r) out.push(r);
  }
  return out;
}

export { isObj };
