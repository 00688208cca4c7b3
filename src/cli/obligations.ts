// `incident obligations [id...]`: the regulatory reports each incident owes, their outer limits and
// where they stand now (or `--at` a given time), from the incident files, the bundled rules and the
// config's `regulatory:` block. Exit status: 0 printed; 1 config errors or invalid records left
// out; 2 usage errors (a bad --at, an unknown id).

import { resolve } from "node:path";
import { CONFIG_FILE, readConfigBytes } from "../config/load.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { makeDiagnostic } from "../diagnostics/diagnostic.js";
import { UsageError } from "../diagnostics/errors.js";
import { parseInstant, parseTime, TimeError } from "../lifecycle/time.js";
import { bundledRules, ruleSetSchema } from "../regulatory/bundled.js";
import { computeObligations } from "../regulatory/compute.js";
import {
  type IncidentObligations,
  renderObligationsJson,
  renderObligationsMarkdown,
  renderObligationsText,
} from "../regulatory/render.js";
import { mergeRules } from "../regulatory/rules.js";
import type { RuleSet } from "../regulatory/types.js";
import type { RecordSet } from "../usecases/loadRecords.js";
import { locateOffset, offsetToPosition } from "../yaml/locate.js";
import { parseYamlDocument } from "../yaml/parse.js";
import type { CommandContext } from "./context.js";
import { safe } from "./report.js";

export interface ObligationsCliOptions {
  dir: string;
  at?: string;
  format: "text" | "json" | "md";
}

/** The rules in force for a repository; findings in its config located in incident.config.yaml. */
export function repositoryRules(set: Pick<RecordSet, "root" | "config">): {
  rules: RuleSet;
  diagnostics: Diagnostic[];
} {
  const { rules, findings } = mergeRules(bundledRules(), set.config.regulatory, ruleSetSchema());
  if (findings.length === 0) return { rules, diagnostics: [] };
  // Without the file, findings point at its start.
  const text = readConfigBytes(set.root)?.toString("utf8") ?? "";
  const parsed = parseYamlDocument(text);
  const diagnostics = findings.map((f) => {
    const offset = parsed.doc ? locateOffset(parsed.doc, f.pointer, f.target) : 0;
    return makeDiagnostic(f.code, f.message, CONFIG_FILE, {
      ...offsetToPosition(parsed.lineCounter, offset),
      pointer: f.pointer,
    });
  });
  return { rules, diagnostics };
}

function printFindings(diags: readonly Diagnostic[], ctx: CommandContext): void {
  for (const d of diags.slice(0, 20))
    ctx.stderr.write(`${safe(`${d.file}:${d.line}:${d.column}`)} ${d.code} ${safe(d.message)}\n`);
  if (diags.length > 20) ctx.stderr.write(`... and ${diags.length - 20} more\n`);
}

export async function runObligations(
  ids: string[],
  opts: ObligationsCliOptions,
  ctx: CommandContext,
): Promise<number> {
  const { loadRecords } = await import("../usecases/loadRecords.js");
  const set = await loadRecords({ dir: resolve(ctx.cwd, opts.dir), full: true });
  const configErrors = set.configDiagnostics.filter((d) => d.severity === "error");
  if (configErrors.length > 0) {
    printFindings(configErrors, ctx);
    ctx.stderr.write("incident: incident.config.yaml has errors; fix them first (run `incident validate`)\n");
    return 1;
  }
  let at: string;
  try {
    at = parseTime(opts.at ?? "now", ctx.now(), set.config.timezone);
  } catch (err) {
    if (err instanceof TimeError) throw new TimeError(`--at: ${err.message}`);
    throw err;
  }
  const { rules, diagnostics } = repositoryRules(set);
  if (diagnostics.length > 0) {
    printFindings(diagnostics, ctx);
    ctx.stderr.write("incident: the regulatory rules in incident.config.yaml have errors\n");
    return 1;
  }
  const unknown = ids.filter((id) => !set.incidents.some((i) => i.id === id));
  if (unknown.length > 0) {
    throw new UsageError(`no valid incident with id ${unknown.map(safe).join(", ")}`);
  }
  const now = new Date(parseInstant(at) as number);
  const chosen = ids.length > 0 ? ids.map((id) => set.incidents.find((i) => i.id === id)) : set.incidents;
  const list: IncidentObligations[] = [];
  for (const inc of chosen) {
    if (!inc) continue;
    const obligations = computeObligations(inc, rules, set.config, now);
    // Without ids, only incidents with something to say are listed.
    if (ids.length === 0 && obligations.length === 0) continue;
    list.push({ id: inc.id, title: inc.title, obligations });
  }
  list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const render =
    opts.format === "json"
      ? renderObligationsJson
      : opts.format === "md"
        ? renderObligationsMarkdown
        : renderObligationsText;
  ctx.stdout.write(safe(render(list, at)));
  if (set.invalidFiles > 0) {
    printFindings(set.invalid, ctx);
    ctx.stderr.write(
      `incident: left out ${set.invalidFiles} invalid record file(s) (\`incident validate\` explains each finding)\n`,
    );
    return 1;
  }
  return 0;
}
