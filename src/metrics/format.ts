// Output of `incident stats` and `incident list`: an aligned plain-text table for terminals and
// reviews, GitHub Markdown tables (cells escaped), CSV (RFC 4180, formula-neutralised) and JSON with
// durations in seconds. Pure: reports in, strings out.

import { formatDuration } from "../lifecycle/time.js";
import { cell } from "../render/escape.js";
import { markdownTable } from "../render/table.js";
import type { GroupStats, MetricInfo, MetricSummary, StatsReport } from "./compute.js";
import type { ListReport } from "./list.js";
import { MAX_MONTHS } from "./summary.js";

export type OutputFormat = "table" | "json" | "csv" | "md";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["table", "json", "csv", "md"];

interface Table {
  headers: string[];
  /** Columns aligned right (numbers, durations). */
  right?: number[];
  rows: string[][];
}

interface Section {
  heading: string;
  /** Sentences before the table. */
  notes?: string[];
  table?: Table;
}

const dur = (ms: number | undefined) => (ms === undefined ? "-" : (formatDuration(ms) ?? "-"));
const when = (iso: string | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : "-");
const pct = (x: number | undefined) => (x === undefined ? "-" : `${Math.round(x * 100)}%`);

function leftOut(m: MetricSummary): string {
  const parts: string[] = [];
  if (m.missing) parts.push(`${m.missing} missing`);
  if (m.negative) parts.push(`${m.negative} negative`);
  return parts.length ? parts.join(", ") : "0";
}

const metricName = (d: MetricInfo) => (d.abbr === d.label ? d.label : `${d.label} (${d.abbr})`);

function statsSections(r: StatsReport): { title: string; summary: string[]; sections: Section[] } {
  const excluded = Object.entries(r.counts.excludedModes)
    .map(([mode, n]) => `${n} ${mode}`)
    .join(", ");
  const window =
    r.since || r.until
      ? `, dated ${r.since ? `from ${when(r.since)}` : ""}${r.since && r.until ? " " : ""}${r.until ? `before ${when(r.until)}` : ""}`
      : "";
  const summary = [
    `${r.counts.counted} incident(s) counted${window}; left out: ${excluded || "none by mode"}${r.counts.outsideWindow ? `, ${r.counts.outsideWindow} outside the dates` : ""}${r.counts.dismissed ? `, ${r.counts.dismissed} canceled, false positive or duplicate (in the status counts only)` : ""}. ${r.counts.problems} problem record(s).`,
    `Times in ${r.timezone}; as of ${when(r.now)}.`,
  ];
  if (r.byStatus.length)
    summary.push(`Status: ${r.byStatus.map((s) => `${s.status} ${s.incidents}`).join(", ")}.`);
  const sections: Section[] = [];
  sections.push({
    heading: "Response times",
    notes: [
      `${r.definitions.map((d) => `${d.abbr} = ${d.end} - ${d.start}`).join("; ")}. ` +
        "Median: the middle value (the mean of the two middle ones for an even n); p90: nearest rank, the value at rank ceil(0.9 n).",
    ],
    table: {
      headers: ["Metric", "n", "Median", "p90", "Mean", "Left out"],
      right: [1, 2, 3, 4],
      rows: r.definitions.map((d) => {
        const m = r.overall.metrics[d.id];
        return [metricName(d), String(m.n), dur(m.median), dur(m.p90), dur(m.mean), leftOut(m)];
      }),
    },
  });
  if (r.by) {
    const groupTable = (pick: (m: MetricSummary) => number | undefined): Table => ({
      headers: [capital(r.by as string), "Incidents", "Open", ...r.definitions.map((d) => d.abbr)],
      right: [1, 2, ...r.definitions.map((_, i) => i + 3)],
      rows: r.groups.map((g: GroupStats) => [
        g.label,
        String(g.incidents),
        String(g.open),
        ...r.definitions.map((d) => dur(pick(g.metrics[d.id]))),
      ]),
    });
    const cut = r.monthsCut
      ? [
          `The incidents span ${r.monthsCut.first} to ${r.monthsCut.last}, ${r.monthsCut.span} months, more than ${MAX_MONTHS}: only the months with incidents are listed (a date that far back is often a typo).`,
        ]
      : undefined;
    sections.push({ heading: `Medians by ${r.by}`, notes: cut, table: groupTable((m) => m.median) });
    sections.push({ heading: `p90 by ${r.by}`, table: groupTable((m) => m.p90) });
  }
  sections.push({
    heading: "Response targets",
    notes: [
      "Measured from detected_at to acknowledged_at, mitigated_at and resolved_at (the last resolution); an open incident past its target counts as breached.",
    ],
    table: {
      headers: ["Severity", "Target", "Limit", "Measured", "Breached", "Not measured"],
      right: [2, 3, 4, 5],
      rows: r.targets.map((t) => [
        t.severity,
        t.target,
        dur(t.limitMs),
        String(t.measured),
        String(t.breached),
        String(t.notMeasured),
      ]),
    },
  });
  if (r.breaches.length) {
    sections.push({
      heading: "Breaches",
      table: {
        headers: ["Incident", "Severity", "Target", "Took", "Limit", "Over by", "Title"],
        right: [3, 4, 5],
        rows: r.breaches.map((b) => [
          b.id,
          b.severity,
          b.target,
          `${dur(b.tookMs)}${b.ongoing ? " (open)" : ""}`,
          dur(b.limitMs),
          dur(b.overMs),
          b.title,
        ]),
      },
    });
  }
  const a = r.actionItems;
  sections.push({
    heading: "Action items",
    notes: [
      `${a.total} in all: ${a.open} open (${a.overdue} overdue), ${a.done} done, ${a.wontDo} won't do. ` +
        `Done on time: ${a.doneWithDue ? `${a.doneOnTime} of ${a.doneWithDue} (${pct(a.onTimeRate)})` : "no done items with a due date"}.`,
    ],
    table: a.overdueItems.length
      ? {
          headers: ["Record", "Item", "Due", "Days over", "Owner", "Title"],
          right: [3],
          rows: a.overdueItems.map((o) => [o.record, o.id, o.due, String(o.daysOverdue), o.owner, o.title]),
        }
      : undefined,
  });
  if (r.problems.length) {
    sections.push({
      heading: "Problems",
      notes: [
        "Incidents counted per problem record (recurrence); linked: in all, from either side of the link.",
      ],
      table: {
        headers: ["Problem", "Status", "Incidents", "Linked", "Title"],
        right: [2, 3],
        rows: r.problems.map((p) => [p.id, p.status, String(p.incidents), String(p.linked), p.title]),
      },
    });
  }
  if (r.services.length) {
    sections.push({
      heading: "Time between failures",
      notes: ["Median gap between the detection of consecutive incidents of each service."],
      table: {
        headers: ["Service", "Incidents", "Median gap", "Last detected"],
        right: [1, 2],
        rows: r.services.map((s) => [
          s.service,
          String(s.incidents),
          dur(s.medianGapMs),
          when(s.lastDetected),
        ]),
      },
    });
  }
  if (r.regulatory) {
    sections.push({
      heading: "Regulatory reports",
      notes: [
        "Reports with an outer limit whose clock has started, per regime: filed on time, filed late, missing (past the limit, not filed) and pending. Not legal advice.",
      ],
      table: {
        headers: ["Regime", "Incidents", "Reports", "On time", "Late", "Missing", "Pending"],
        right: [1, 2, 3, 4, 5, 6],
        rows: r.regulatory.map((g) => [
          g.regime,
          String(g.incidents),
          String(g.reports),
          String(g.onTime),
          String(g.late),
          String(g.missing),
          String(g.pending),
        ]),
      },
    });
  }
  return { title: "Incident metrics", summary, sections };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One line per cell: newlines and tabs become spaces so a table row stays a row. */
const oneLine = (s: string) => s.replace(/[\r\n\t\u2028\u2029]+/g, " ");

function textTable(t: Table): string[] {
  const rows = [t.headers, ...t.rows].map((r) => r.map(oneLine));
  const widths = t.headers.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length)));
  const right = new Set(t.right ?? []);
  const line = (r: string[]) =>
    r
      .map((c, i) => {
        const pad = " ".repeat((widths[i] as number) - [...c].length);
        return right.has(i) ? pad + c : i === r.length - 1 ? c : c + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(rows[0] as string[]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)];
}

function mdTable(t: Table): string[] {
  // An empty cell is written as one space, so the row reads `|   |`.
  return markdownTable(
    t.headers.map(cell),
    t.rows.map((r) => r.map((c) => cell(c) || " ")),
    t.right,
  );
}

/** Prose wrapped at `width` columns for terminals. */
function wrap(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of oneLine(text).split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function renderText(doc: { title: string; summary: string[]; sections: Section[] }): string {
  const out = [doc.title, "=".repeat(doc.title.length), ...doc.summary.flatMap((l) => wrap(l))];
  for (const s of doc.sections) {
    out.push("", s.heading, "-".repeat(s.heading.length));
    for (const n of s.notes ?? []) out.push(...wrap(n));
    if (s.table) {
      if (s.notes?.length) out.push("");
      out.push(...textTable(s.table));
    }
  }
  return `${out.join("\n")}\n`;
}

function renderMd(doc: { title: string; summary: string[]; sections: Section[] }): string {
  // Prose lines are the tool's own text (counts, modes, timestamp names); table cells carry record
  // text and are escaped.
  const out = [`## ${doc.title}`, "", ...doc.summary.flatMap((l) => [l, ""])];
  for (const s of doc.sections) {
    out.push("", `### ${s.heading}`, "");
    for (const n of s.notes ?? []) out.push(n, "");
    if (s.table) out.push(...mdTable(s.table));
  }
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

/** Text that a spreadsheet would run as a formula gets a leading `'` (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF; text is formula-neutralised. */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(headers: string[], rows: Array<Array<string | number | undefined>>): string {
  return `${[headers, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}

/** Milliseconds as seconds, to the millisecond. */
const sec = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms) / 1000);

export function formatStats(r: StatsReport, format: OutputFormat): string {
  if (format === "json") return `${JSON.stringify(statsJson(r), null, 2)}\n`;
  if (format === "csv") return statsCsv(r);
  const doc = statsSections(r);
  return format === "md" ? renderMd(doc) : renderText(doc);
}

function metricJson(m: MetricSummary) {
  return {
    n: m.n,
    median: sec(m.median) ?? null,
    p90: sec(m.p90) ?? null,
    mean: sec(m.mean) ?? null,
    missing: m.missing,
    negative: m.negative,
  };
}

function groupJson(g: GroupStats) {
  return {
    key: g.key,
    label: g.label,
    incidents: g.incidents,
    open: g.open,
    metrics: Object.fromEntries(Object.entries(g.metrics).map(([k, m]) => [k, metricJson(m)])),
  };
}

/** The JSON document of `incident stats` (documented in the README; durations in seconds). */
export function statsJson(r: StatsReport) {
  return {
    now: r.now,
    timezone: r.timezone,
    since: r.since ?? null,
    until: r.until ?? null,
    by: r.by ?? null,
    unit: "seconds",
    definitions: r.definitions.map((d) => ({
      id: d.id,
      abbr: d.abbr,
      label: d.label,
      start: d.start,
      end: d.end,
    })),
    counts: {
      incidents: r.counts.incidents,
      counted: r.counts.counted,
      excluded_modes: r.counts.excludedModes,
      outside_window: r.counts.outsideWindow,
      dismissed: r.counts.dismissed,
      problems: r.counts.problems,
    },
    by_status: Object.fromEntries(r.byStatus.map((s) => [s.status, s.incidents])),
    overall: groupJson(r.overall),
    groups: r.groups.map(groupJson),
    ...(r.monthsCut
      ? { months_cut: { first: r.monthsCut.first, last: r.monthsCut.last, span: r.monthsCut.span } }
      : {}),
    targets: r.targets.map((t) => ({
      severity: t.severity,
      target: t.target,
      limit: t.limit,
      limit_seconds: sec(t.limitMs),
      measured: t.measured,
      breached: t.breached,
      not_measured: t.notMeasured,
    })),
    breaches: r.breaches.map((b) => ({
      id: b.id,
      title: b.title,
      severity: b.severity,
      target: b.target,
      limit: b.limit,
      took: sec(b.tookMs),
      over: sec(b.overMs),
      ongoing: b.ongoing,
    })),
    action_items: {
      total: r.actionItems.total,
      open: r.actionItems.open,
      overdue: r.actionItems.overdue,
      done: r.actionItems.done,
      wont_do: r.actionItems.wontDo,
      done_with_due: r.actionItems.doneWithDue,
      done_on_time: r.actionItems.doneOnTime,
      on_time_rate: r.actionItems.onTimeRate ?? null,
      overdue_items: r.actionItems.overdueItems.map((o) => ({
        record: o.record,
        id: o.id,
        title: o.title,
        owner: o.owner,
        due: o.due,
        status: o.status,
        days_overdue: o.daysOverdue,
      })),
    },
    problems: r.problems,
    time_between_failures: r.services.map((s) => ({
      service: s.service,
      incidents: s.incidents,
      gaps: s.gaps,
      median_gap: sec(s.medianGapMs) ?? null,
      last_detected: s.lastDetected ?? null,
    })),
    ...(r.regulatory
      ? {
          regulatory: r.regulatory.map((g) => ({
            regime: g.regime,
            name: g.name,
            incidents: g.incidents,
            reports: g.reports,
            on_time: g.onTime,
            late: g.late,
            missing: g.missing,
            pending: g.pending,
          })),
        }
      : {}),
  };
}

/**
 * `incident stats --format csv`: one long table `section,group,item,field,value` (one value per row,
 * durations in seconds), so every section fits one shape and pivots in a spreadsheet.
 */
function statsCsv(r: StatsReport): string {
  const rows: Array<Array<string | number | undefined>> = [];
  const add = (
    section: string,
    group: string,
    item: string,
    field: string,
    value: string | number | undefined,
  ) => {
    if (value !== undefined) rows.push([section, group, item, field, value]);
  };
  for (const g of [r.overall, ...r.groups]) {
    const group = g === r.overall ? "all" : g.key;
    add("count", group, "", "incidents", g.incidents);
    add("count", group, "", "open", g.incidents === 0 ? 0 : g.open);
    if (g === r.overall) add("count", group, "", "dismissed", r.counts.dismissed);
    for (const d of r.definitions) {
      const m = g.metrics[d.id];
      add("metric", group, d.id, "n", m.n);
      add("metric", group, d.id, "median_seconds", sec(m.median));
      add("metric", group, d.id, "p90_seconds", sec(m.p90));
      add("metric", group, d.id, "mean_seconds", sec(m.mean));
      add("metric", group, d.id, "missing", m.missing);
      add("metric", group, d.id, "negative", m.negative);
    }
  }
  if (r.monthsCut) {
    // Only the months with incidents are rows: say which span was not listed month by month.
    add("months_cut", "all", "", "first", r.monthsCut.first);
    add("months_cut", "all", "", "last", r.monthsCut.last);
    add("months_cut", "all", "", "span", r.monthsCut.span);
  }
  for (const s of r.byStatus) add("status", "all", s.status, "incidents", s.incidents);
  for (const t of r.targets) {
    add("target", t.severity, t.target, "limit_seconds", sec(t.limitMs));
    add("target", t.severity, t.target, "measured", t.measured);
    add("target", t.severity, t.target, "breached", t.breached);
    add("target", t.severity, t.target, "not_measured", t.notMeasured);
  }
  for (const b of r.breaches) {
    const item = `${b.id} ${b.target}`;
    add("breach", b.severity, item, "took_seconds", sec(b.tookMs));
    add("breach", b.severity, item, "over_seconds", sec(b.overMs));
    add("breach", b.severity, item, "ongoing", b.ongoing ? "true" : "false");
    add("breach", b.severity, item, "title", b.title);
  }
  const a = r.actionItems;
  add("action_items", "all", "", "total", a.total);
  add("action_items", "all", "", "open", a.open);
  add("action_items", "all", "", "overdue", a.overdue);
  add("action_items", "all", "", "done", a.done);
  add("action_items", "all", "", "wont_do", a.wontDo);
  add("action_items", "all", "", "done_with_due", a.doneWithDue);
  add("action_items", "all", "", "done_on_time", a.doneOnTime);
  add("action_items", "all", "", "on_time_rate", a.onTimeRate);
  for (const o of a.overdueItems) {
    add("overdue", o.record, o.id, "due", o.due);
    add("overdue", o.record, o.id, "days_overdue", o.daysOverdue);
    add("overdue", o.record, o.id, "owner", o.owner);
    add("overdue", o.record, o.id, "title", o.title);
  }
  for (const p of r.problems) {
    add("problem", p.id, "", "status", p.status);
    add("problem", p.id, "", "incidents", p.incidents);
    add("problem", p.id, "", "linked", p.linked);
    add("problem", p.id, "", "title", p.title);
  }
  for (const s of r.services) {
    add("tbf", s.service, "", "incidents", s.incidents);
    add("tbf", s.service, "", "median_gap_seconds", sec(s.medianGapMs));
  }
  return csv(["section", "group", "item", "field", "value"], rows);
}

export function formatList(r: ListReport, format: OutputFormat): string {
  if (format === "json") {
    return `${JSON.stringify({ timezone: r.timezone, incidents: r.incidents, problems: r.problems }, null, 2)}\n`;
  }
  if (format === "csv") {
    const rows: Array<Array<string | number | undefined>> = [];
    for (const i of r.incidents) {
      rows.push([
        "incident",
        i.id,
        i.status,
        i.severity,
        i.priority,
        i.mode,
        i.date,
        i.detected,
        i.resolved,
        i.categories.join(" "),
        i.services.join(" "),
        i.commander,
        i.problems.join(" "),
        i.title,
      ]);
    }
    for (const p of r.problems) {
      rows.push([
        "problem",
        p.id,
        p.status,
        undefined,
        undefined,
        undefined,
        p.date,
        undefined,
        undefined,
        p.categories.join(" "),
        p.services.join(" "),
        p.owner,
        p.incidents.join(" "),
        p.title,
      ]);
    }
    return csv(
      [
        "kind",
        "id",
        "status",
        "severity",
        "priority",
        "mode",
        "date",
        "detected",
        "resolved",
        "categories",
        "services",
        "owner",
        "links",
        "title",
      ],
      rows,
    );
  }
  const sections: Section[] = [];
  if (r.kind !== "problem" && (r.incidents.length || r.problems.length === 0)) {
    sections.push({
      heading: `Incidents (${r.incidents.length})`,
      table: r.incidents.length
        ? {
            headers: ["Incident", "Severity", "Status", "Date", "Services", "Title"],
            rows: r.incidents.map((i) => [
              i.id,
              i.severity ?? "-",
              i.mode === "standard" ? i.status : `${i.status} (${i.mode})`,
              when(i.date),
              i.services.join(", ") || "-",
              i.title,
            ]),
          }
        : undefined,
      notes: r.incidents.length ? undefined : ["No incidents match."],
    });
  }
  if (r.problems.length || r.kind === "problem") {
    sections.push({
      heading: `Problems (${r.problems.length})`,
      notes: r.problems.length ? undefined : ["No problems match."],
      table: r.problems.length
        ? {
            headers: ["Problem", "Status", "Created", "Incidents", "Title"],
            rows: r.problems.map((p) => [
              p.id,
              p.status,
              when(p.date),
              p.incidents.join(", ") || "-",
              p.title,
            ]),
          }
        : undefined,
    });
  }
  if (format === "md") {
    const out: string[] = [];
    for (const s of sections) {
      out.push(`### ${s.heading}`, "");
      for (const n of s.notes ?? []) out.push(cell(n), "");
      if (s.table) out.push(...mdTable(s.table), "");
    }
    return `${out.join("\n").trimEnd()}\n`;
  }
  const out: string[] = [];
  for (const s of sections) {
    if (out.length) out.push("");
    out.push(s.heading, "-".repeat(s.heading.length));
    for (const n of s.notes ?? []) out.push(n);
    if (s.table) out.push(...textTable(s.table));
  }
  return `${out.join("\n")}\n`;
}
