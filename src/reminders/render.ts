// The reminder digest as text: Markdown for a terminal, Markdown for the GitHub digest issue (every
// value from a record escaped, mentions and references neutralised, under GitHub's size limit), and
// JSON. Pure.

import { formatDate, formatDuration } from "../lifecycle/time.js";
import { cell } from "../render/escape.js";
import { tableHead, tableRow } from "../render/table.js";
import { type Digest, hasReminders } from "./compute.js";

/** Hidden marker that, together with the author, identifies the digest issue. */
export const DIGEST_MARKER = "<!-- incident-as-code:reminders -->";
/** GitHub refuses issue bodies over 65,536 characters. */
export const ISSUE_BODY_LIMIT = 65_536;

export function countReminders(d: Digest): number {
  return (
    (d.filings?.length ?? 0) +
    d.actionItems.length +
    d.postmortems.length +
    d.stuck.length +
    d.unownedProblems.length
  );
}

export function digestTitle(d: Digest): string {
  const n = countReminders(d);
  return n === 0 ? "Incident reminders: nothing overdue" : `Incident reminders: ${n} overdue`;
}

// Text from a hostile file must not reach a terminal as escape sequences, nor break a table row.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A table cell for a terminal: one line, control characters shown escaped, pipes escaped. */
function plainCell(value: string): string {
  return value
    .replace(/\s*[\r\n]+\s*/g, " ")
    .trim()
    .replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/\|/g, "\\|");
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export interface RenderOptions {
  /** `github`: the digest issue body (marker, entity escaping, size cap); `terminal`: plain Markdown. */
  target: "github" | "terminal";
  /** Maximum length of the result (GitHub target only). */
  limit?: number;
}

export function renderDigestMarkdown(d: Digest, opts: RenderOptions): string {
  const github = opts.target === "github";
  const c = github ? cell : plainCell;
  const limit = opts.limit ?? ISSUE_BODY_LIMIT;
  const asOf = `${formatDate(d.now, d.timezone)} (today is ${d.today} in ${d.timezone})`;
  const n = countReminders(d);
  let body = github ? `${DIGEST_MARKER}\n` : "";
  body += `## ${c(digestTitle(d))}\n\n`;
  if (!hasReminders(d)) {
    body += `Nothing is overdue as of ${c(asOf)}.\n`;
    if (github) body += "\nThis issue is closed while nothing is overdue and reopened when something is.\n";
    return body;
  }
  body += `As of ${c(asOf)}: ${plural(n, "reminder")}.`;
  if (d.excludedIncidents > 0)
    body += ` ${plural(d.excludedIncidents, "incident")} left out by mode (\`reminders.exclude_modes\`).`;
  body += "\n";
  if (github) body += "Kept up to date by `incident remind --github`; edits to this issue are overwritten.\n";

  // Room for the closing notice, so rows stop before the limit rather than after it. Only the issue
  // body is capped: the terminal gets every row.
  const budget = github ? limit - 300 : Number.POSITIVE_INFINITY;
  let hidden = 0;
  const section = (heading: string, header: string, rows: string[]) => {
    if (rows.length === 0) return;
    const head = `\n### ${heading} (${rows.length})\n\n${header}`;
    if (hidden > 0 || body.length + head.length > budget) {
      hidden += rows.length;
      return;
    }
    body += head;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as string;
      if (body.length + row.length > budget) {
        hidden += rows.length - i;
        return;
      }
      body += row;
    }
  };

  // Regulatory deadlines first: they are the ones a law sets.
  section(
    "Regulatory filings due",
    `${tableHead(["Incident", "Regime", "Report", "Outer limit", "Left", "Duty"]).join("\n")}\n`,
    (d.filings ?? []).map(
      (f) =>
        `${tableRow([c(f.incident), c(f.regimeName), c(`${f.reportName} (${f.report})`), c(formatDate(f.deadline, f.zone)), f.state === "overdue" ? `OVERDUE by ${formatDuration(-f.leftMs) ?? "-"}` : (formatDuration(f.leftMs) ?? "-"), f.withoutUndueDelay ? "without undue delay" : "by the limit"])}\n`,
    ),
  );
  section(
    "Overdue action items",
    `${tableHead(["Record", "Action item", "Owner", "Due", "Overdue by", "Status"]).join("\n")}\n`,
    d.actionItems.map(
      (a) =>
        `${tableRow([c(a.record), c(`${a.id}: ${a.title}`), c(a.owner), c(a.due), plural(a.daysOverdue, "day"), c(a.status)])}\n`,
    ),
  );
  section(
    "Overdue postmortems",
    `${tableHead(["Incident", "Title", "Severity", "Resolved", "Due", "Overdue by", "Owner"]).join("\n")}\n`,
    d.postmortems.map(
      (p) =>
        `${tableRow([c(p.incident), c(p.title), c(p.severity), c(formatDate(p.resolvedAt, d.timezone)), `${c(p.due)} (${plural(p.businessDays, "business day")})`, plural(p.daysOverdue, "day"), c(p.owner ?? "-")])}\n`,
    ),
  );
  section(
    "Stuck incidents",
    `${tableHead(["Incident", "Title", "Severity", "State", "Since", "For", "Limit", "Owner"]).join("\n")}\n`,
    d.stuck.map(
      (s) =>
        `${tableRow([c(s.incident), c(s.title), c(s.severity ?? "-"), c(s.status), c(formatDate(s.since, d.timezone)), c(formatDuration(s.forMs) ?? "-"), c(s.limit), c(s.owner ?? "-")])}\n`,
    ),
  );
  section(
    "Problems without an owner",
    `${tableHead(["Problem", "Title", "Status"]).join("\n")}\n`,
    d.unownedProblems.map((p) => `${tableRow([c(p.problem), c(p.title), c(p.status)])}\n`),
  );
  if (hidden > 0) {
    body += `\n${plural(hidden, "more row")} ${hidden === 1 ? "is" : "are"} not shown here (GitHub limits an issue to ${ISSUE_BODY_LIMIT.toLocaleString("en-US")} characters); run \`incident remind\` for the full list.\n`;
  }
  return body;
}

/** The digest as JSON: stable keys, times as written, durations in milliseconds. */
export function renderDigestJson(d: Digest, invalidFiles: readonly string[] = []): string {
  return JSON.stringify(
    {
      now: d.now,
      today: d.today,
      timezone: d.timezone,
      overdue: countReminders(d),
      filings: d.filings ?? [],
      actionItems: d.actionItems,
      postmortems: d.postmortems,
      stuck: d.stuck.map((s) => ({ ...s, for: formatDuration(s.forMs) })),
      unownedProblems: d.unownedProblems,
      excludedIncidents: d.excludedIncidents,
      invalidFiles,
    },
    null,
    2,
  );
}
