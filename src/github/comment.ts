// The sticky pull-request comment and the labels: pure functions from the check report to text and
// label names. All user text is escaped: no markup, HTML, mentions or issue references get through.

import { cell } from "../cli/report.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { TouchedRecord } from "../workflows/checkPullRequest.js";

export const COMMENT_MARKER = "<!-- incident-as-code:check -->";
/** GitHub refuses comment bodies over 65,536 characters. */
export const COMMENT_LIMIT = 65_536;

export function renderComment(touched: readonly TouchedRecord[], diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const head = `${COMMENT_MARKER}\n### Incident check: ${errors === 0 ? "passed" : `${errors} finding(s)`}\n\n`;
  const table =
    touched.length === 0
      ? "No incident or problem files changed.\n"
      : `| Id | Title | Severity | Status | Findings |\n| --- | --- | --- | --- | --- |\n${touched
          .map(
            (t) =>
              `| ${cell(t.id ?? "")} | ${cell(t.title ?? "")} | ${cell(t.severity ?? "")} | ${cell(t.from ?? "(new)")} &rarr; ${cell(t.to ?? "")} | ${t.findings} |`,
          )
          .join("\n")}\n`;
  let body = head + table;
  if (diagnostics.length > 0) body += "\n| Code | Location | Message |\n| --- | --- | --- |\n";
  const footer = (n: number) => `\n${n} more finding(s) are in the check's log.\n`;
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i] as Diagnostic;
    const row = `| ${cell(d.code)} | ${cell(`${d.file}:${d.line}:${d.column}`)} | ${cell(d.message)} |\n`;
    if (body.length + row.length + footer(diagnostics.length).length > COMMENT_LIMIT) {
      body += footer(diagnostics.length - i);
      break;
    }
    body += row;
  }
  return body;
}

/** Labels the touched records call for: `incident`, `sev:N`, `status:<state>`. */
export function labelsFor(touched: readonly TouchedRecord[]): Set<string> {
  const out = new Set<string>();
  for (const t of touched) {
    if (!t.id?.startsWith("INC")) continue;
    out.add("incident");
    const sev = /^SEV(\d)$/.exec(t.severity ?? "");
    if (sev) out.add(`sev:${sev[1]}`);
    if (t.to && /^[a-z_]+$/.test(t.to)) out.add(`status:${t.to}`);
  }
  return out;
}

/** Labels this tool manages: any others on the pull request are left alone. */
export function isManagedLabel(name: string): boolean {
  return name === "incident" || /^sev:\d$/.test(name) || /^status:[a-z_]+$/.test(name);
}
