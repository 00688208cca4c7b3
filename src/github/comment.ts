// The sticky pull-request comment and the labels: pure functions from the check report to text and
// label names. All user text is escaped: no markup, HTML, mentions or issue references get through.

import type { TouchedRecord } from "../check/judge.js";
import type { Config } from "../config/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { cell } from "../render/escape.js";
import { tableHead, tableRow } from "../render/table.js";

export const COMMENT_MARKER = "<!-- incident-as-code:check -->";
/** GitHub refuses comment bodies over 65,536 characters. */
export const COMMENT_LIMIT = 65_536;

export function renderComment(touched: readonly TouchedRecord[], diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  let body = `${COMMENT_MARKER}\n### Incident check: ${errors === 0 ? "passed" : `${errors} finding(s)`}\n\n`;
  // Room for the closing notes, so rows stop before the limit rather than after it.
  const budget = COMMENT_LIMIT - 200;
  const rows = (header: string, lines: string[], what: string) => {
    if (lines.length === 0) return;
    body += header;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (body.length + line.length > budget) {
        body += `\n${lines.length - i} more ${what} are in the check's log and job summary.\n`;
        return;
      }
      body += line;
    }
  };
  if (touched.length === 0) body += "No incident or problem files changed.\n";
  rows(
    `${tableHead(["Id", "Title", "Severity", "Status", "Findings"]).join("\n")}\n`,
    touched.map(
      (t) =>
        `${tableRow([cell(t.id ?? ""), cell(t.title ?? ""), cell(t.severity ?? ""), `${cell(t.from ?? "(new)")} &rarr; ${cell(t.to ?? "")}`, String(t.findings)])}\n`,
    ),
    "records",
  );
  rows(
    `\n${tableHead(["Code", "Location", "Message"]).join("\n")}\n`,
    diagnostics.map(
      (d) => `${tableRow([cell(d.code), cell(`${d.file}:${d.line}:${d.column}`), cell(d.message)])}\n`,
    ),
    "findings",
  );
  return body;
}

/**
 * Labels the touched records call for: `incident`, `sev:N`, `status:<state>`. Only from records the
 * check found nothing wrong with, and only configured severities and states: a label named after a
 * value a pull request made up would be created in the repository by GitHub.
 */
export function labelsFor(touched: readonly TouchedRecord[], config: Config): Set<string> {
  const out = new Set<string>();
  const severities = new Set(config.severities.map((s) => s.id));
  const states = new Set(config.lifecycle.states.map((s) => s.id));
  for (const t of touched) {
    if (t.findings > 0 || !t.id?.startsWith(`${config.ids.incident.prefix}-`)) continue;
    out.add("incident");
    const sev = t.severity !== undefined && severities.has(t.severity) ? /^SEV(\d)$/.exec(t.severity) : null;
    if (sev) out.add(`sev:${sev[1]}`);
    if (t.to && states.has(t.to) && /^[a-z_]+$/.test(t.to)) out.add(`status:${t.to}`);
  }
  return out;
}

/** Labels this tool manages: any others on the pull request are left alone. */
export function isManagedLabel(name: string): boolean {
  return name === "incident" || /^sev:\d$/.test(name) || /^status:[a-z_]+$/.test(name);
}
