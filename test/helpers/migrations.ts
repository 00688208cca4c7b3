// A test-only schema_version 2 for `incident migrate`: the step 1 -> 2 renames `root_cause` to
// `cause` and moves `impact_assessment.summary` to a top-level `impact_summary`; version 2's rules
// require exactly that shape and cap `impact_summary` at 100 characters (so a long summary that v1
// accepts fails once migrated). Configs carry only the new number.

import { parse } from "yaml";
import { type Diagnostic, makeDiagnostic } from "../../src/diagnostics/diagnostic.js";
import type { Registry } from "../../src/migrate/registry.js";
import { type RulesFor, toolkitRules } from "../../src/usecases/migrate.js";

export const V2: Registry = {
  migrations: [
    {
      from: 1,
      summary: "root_cause is now cause; impact_assessment.summary is now impact_summary",
      edits(kind, value) {
        if (kind === "config") return [];
        const edits: ReturnType<Registry["migrations"][number]["edits"]> = [];
        if ("root_cause" in value) edits.push({ op: "rename", path: ["root_cause"], to: "cause" });
        const impact = value.impact_assessment as Record<string, unknown> | undefined;
        if (impact && "summary" in impact)
          edits.push({ op: "move", path: ["impact_assessment", "summary"], to: ["impact_summary"] });
        return edits;
      },
    },
  ],
};

/** Version 2's rules: the config as version 1 judges it (with the new number), records by shape. */
export const v2Rules: RulesFor = (version) =>
  version !== 2
    ? undefined
    : {
        async config(text) {
          const v1 = toolkitRules(1);
          if (!v1) throw new Error("the toolkit holds no rules of version 1");
          const judged = await v1.config(text?.replace(/^schema_version: 2$/m, "schema_version: 1"));
          return {
            ...judged,
            record(file, _kind, t) {
              const value = parse(t) as Record<string, unknown>;
              const out: Diagnostic[] = [];
              const at = (code: Diagnostic["code"], message: string) =>
                out.push(makeDiagnostic(code, message, file, { line: 1, column: 1 }));
              if (value.schema_version !== 2) at("SCHEMA_CONST", "schema_version must be 2");
              if ("root_cause" in value) at("SCHEMA_UNKNOWN_PROPERTY", "root_cause is cause in version 2");
              const impact = value.impact_assessment as Record<string, unknown> | undefined;
              if (impact && "summary" in impact)
                at("SCHEMA_UNKNOWN_PROPERTY", "impact_assessment.summary moved");
              if (typeof value.impact_summary === "string" && value.impact_summary.length > 100)
                at("SCHEMA_LIMIT", "impact_summary is at most 100 characters in version 2");
              return out;
            },
          };
        },
      };
