// Regulatory obligations as text for a terminal, as Markdown and as JSON. Times are shown in each
// regime's zone; every report states its outer limit and, where the law says so, that the primary
// duty is to report without undue delay. Pure.

import { formatDate, formatDuration } from "../lifecycle/time.js";
import { tableHead, tableRow } from "../render/table.js";
import type { ObligationStatus, ReportStatus } from "./compute.js";

export interface IncidentObligations {
  id: string;
  title: string;
  obligations: ObligationStatus[];
}

export const NOT_LEGAL_ADVICE =
  "Not legal advice: deadlines are outer limits computed from the rules in templates/regulatory/rules.yaml and the config; confirm them with counsel.";

const APPLIES = { yes: "applies", no: "does not apply", undetermined: "undetermined" } as const;

function when(iso: string | undefined, zone: string): string {
  return iso === undefined ? "-" : formatDate(iso, zone);
}

/** One report's state as a phrase: `due by ... (9h 30m left)`, `filed late at ...`. */
export function describeReport(r: ReportStatus, zone: string): string {
  const limit = when(r.deadline, zone);
  const left = r.leftMs !== undefined ? formatDuration(Math.abs(r.leftMs)) : undefined;
  const undue = r.withoutUndueDelay ? "without undue delay, " : "";
  switch (r.state) {
    case "filed_on_time":
      return `filed on time ${when(r.submittedAt, zone)}${r.deadline ? ` (limit ${limit})` : ""}${r.reference ? `, ref. ${r.reference}` : ""}`;
    case "filed_late":
      return `filed late ${when(r.submittedAt, zone)} (limit ${limit})${r.reference ? `, ref. ${r.reference}` : ""}${r.lateReason ? `; reasons given: ${r.lateReason}` : "; no reasons for the delay recorded (late_reason)"}`;
    case "due":
      return r.deadline
        ? `due ${undue}at the latest ${limit} (${left} left)`
        : `due ${r.withoutUndueDelay ? "without undue delay" : "now"} (no outer limit)`;
    case "overdue":
      return `OVERDUE: the limit was ${limit} (${left} ago)`;
    case "not_triggered":
      return `not yet due: ${r.note ?? "its clock has not started"}`;
    case "on_request":
      return "on request of the authority";
    case "not_required":
      return `not required: ${r.note ?? ""}`;
  }
}

function heading(o: ObligationStatus): string {
  const proposed = o.status === "proposed" ? ", PROPOSED RULE" : "";
  const assessed = o.assessed ? "" : " (not assessed yet)";
  return `${o.name} [${o.regime}]: ${APPLIES[o.applies]}${assessed}${o.reason ? `: ${o.reason}` : ""} (${o.source}; checked ${o.checked}${proposed})`;
}

export function renderObligationsText(list: readonly IncidentObligations[], at: string): string {
  let out = "";
  for (const inc of list) {
    out += `${inc.id}: ${inc.title}\n`;
    if (inc.obligations.length === 0) out += "  no regulatory obligations recorded\n";
    for (const o of inc.obligations) {
      out += `  ${heading(o)}\n`;
      for (const r of o.reports) {
        out += `    ${r.report}: ${describeReport(r, o.zone)}\n`;
        if (r.basis && (r.state === "due" || r.state === "overdue")) out += `      ${r.basis}\n`;
      }
    }
    out += "\n";
  }
  out += `As of ${at}. ${NOT_LEGAL_ADVICE}\n`;
  return out;
}

/** A Markdown table cell: one line, pipes escaped. */
const cell = (s: string) => s.replace(/\s*[\r\n]+\s*/g, " ").replace(/\|/g, "\\|");

export function renderObligationsMarkdown(list: readonly IncidentObligations[], at: string): string {
  let out = "";
  for (const inc of list) {
    out += `## ${cell(inc.id)}: ${cell(inc.title)}\n\n`;
    if (inc.obligations.length === 0) out += "No regulatory obligations recorded.\n\n";
    for (const o of inc.obligations) {
      out += `### ${cell(heading(o))}\n\n`;
      if (o.reports.length === 0) continue;
      out += `${tableHead(["Report", "State", "Outer limit", "Counted as", "Filed"]).join("\n")}\n`;
      for (const r of o.reports) {
        out += `${tableRow([cell(`${r.name} (\`${r.report}\`)`), cell(describeReport(r, o.zone)), cell(when(r.deadline, o.zone)), cell(r.basis ?? "-"), cell(when(r.submittedAt, o.zone))])}\n`;
      }
      out += "\n";
    }
  }
  out += `As of ${at}. ${NOT_LEGAL_ADVICE}\n`;
  return out;
}

export function renderObligationsJson(list: readonly IncidentObligations[], at: string): string {
  return `${JSON.stringify({ at, notLegalAdvice: NOT_LEGAL_ADVICE, incidents: list }, null, 2)}\n`;
}
