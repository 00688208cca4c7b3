// `incident stats` and `incident list`: read the records (working tree or `--at REV`), check the flags
// against the config, compute with src/metrics/ and print. Exit status: 0 done, 1 when invalid records
// were left out or the config has errors, 2 for usage errors (bad flag values, unknown revision).

import { resolve } from "node:path";
import type { Config } from "../config/types.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { UsageError } from "../diagnostics/errors.js";
import { parseTime, TimeError } from "../lifecycle/time.js";
import type { GroupBy } from "../metrics/compute.js";
import type { OutputFormat } from "../metrics/format.js";
import type { ListKind } from "../metrics/list.js";
import { parseIncludeModes } from "../metrics/modes.js";
import type { RecordSet } from "../usecases/loadRecords.js";
import type { CommandContext, TextSink } from "./context.js";
import { safe } from "./report.js";

/** A flag value the command cannot use: exit 2. */

export interface StatsCliOptions {
  dir: string;
  by?: GroupBy;
  since?: string;
  until?: string;
  at?: string;
  includeModes?: string;
  format: OutputFormat;
  now?: string;
}

export interface ListCliOptions {
  dir: string;
  kind?: ListKind;
  status?: string[];
  severity?: string[];
  category?: string;
  service?: string;
  open?: boolean;
  since?: string;
  until?: string;
  at?: string;
  format: OutputFormat;
}

/** Invalid-record findings printed before the count of the rest. */
const SHOWN_FINDINGS = 20;

export async function runStats(opts: StatsCliOptions, ctx: CommandContext): Promise<number> {
  return (async () => {
    const includeModes = parseIncludeModes(opts.includeModes);
    const set = await read(opts.dir, opts.at, ctx);
    if (!set) return 1;
    const { config } = set;
    // A past commit is judged at its own time (what was open, late or overdue then), so that the
    // numbers of a commit never change; --now overrides.
    const now =
      opts.now === undefined && set.commitTime ? set.commitTime : parseNow(opts.now, config, ctx.now());
    const { since, until } = parseWindow(opts.since, opts.until, now, config);
    const { computeStats } = await import("../metrics/compute.js");
    const { formatStats } = await import("../metrics/format.js");
    const { repositoryRules } = await import("./obligations.js");
    const { rules } = repositoryRules(set);
    const report = computeStats(
      { incidents: set.incidents, problems: set.problems, config, now, rules },
      { by: opts.by, since, until, includeModes },
    );
    print(ctx.stdout, formatStats(report, opts.format), opts.format);
    return reportInvalid(set, ctx.stderr);
  })();
}

export async function runList(opts: ListCliOptions, ctx: CommandContext): Promise<number> {
  return (async () => {
    const set = await read(opts.dir, opts.at, ctx);
    if (!set) return 1;
    const { config } = set;
    const now = ctx.now();
    const { since, until } = parseWindow(opts.since, opts.until, now, config);
    const { checkListFilters, computeList } = await import("../metrics/list.js");
    const filters = {
      kind: opts.kind,
      statuses: opts.status,
      severities: opts.severity,
      category: opts.category,
      service: opts.service,
      open: opts.open,
      since,
      until,
    };
    const errors = checkListFilters(filters, config);
    if (errors.length > 0) throw new UsageError(errors[0] as string, errors.slice(1));
    const { formatList } = await import("../metrics/format.js");
    print(
      ctx.stdout,
      formatList(computeList(set.incidents, set.problems, config, filters), opts.format),
      opts.format,
    );
    return reportInvalid(set, ctx.stderr);
  })();
}

async function read(
  dir: string,
  at: string | undefined,
  ctx: CommandContext,
): Promise<RecordSet | undefined> {
  const { loadRecords } = await import("../usecases/loadRecords.js");
  const set = await loadRecords({ dir: resolve(ctx.cwd, dir), at });
  const errors = set.configDiagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    printFindings(errors, ctx.stderr);
    ctx.stderr.write(
      `incident: incident.config.yaml${set.commit ? ` at ${safe(at ?? "")}` : ""} has ${errors.length} error(s); fix them first (\`incident validate\` shows them all)\n`,
    );
    return undefined;
  }
  return set;
}

function print(out: TextSink, text: string, format: OutputFormat): void {
  // Every format may reach a terminal. JSON.stringify escapes C0 controls but not C1 or bidi ones;
  // escaping those as \uXXXX keeps the JSON valid (they only occur inside strings). CSV keeps the
  // CR LF that ends its records (and may sit in quoted fields); CR cannot start an escape sequence.
  if (format === "json") out.write(safe(text));
  else if (format === "csv") out.write(text.split("\r").map(safe).join("\r"));
  else out.write(safe(text));
}

function printFindings(diags: readonly Diagnostic[], err: TextSink): void {
  for (const d of diags.slice(0, SHOWN_FINDINGS))
    err.write(`${safe(`${d.file}:${d.line}:${d.column}`)} ${d.code} ${safe(d.message)}\n`);
  if (diags.length > SHOWN_FINDINGS) err.write(`... and ${diags.length - SHOWN_FINDINGS} more\n`);
}

/** Invalid records were left out: say which and why on stderr, exit 1. */
function reportInvalid(set: RecordSet, err: TextSink): number {
  if (set.invalidFiles === 0) return 0;
  printFindings(set.invalid, err);
  err.write(
    `incident: left out ${set.invalidFiles} invalid record file(s); the numbers above do not include them (\`incident validate\` explains each finding)\n`,
  );
  return 1;
}

function parseNow(value: string | undefined, config: Config, clock: Date): Date {
  if (value === undefined) return clock;
  return new Date(Date.parse(parseTimeOrDate(value, "--now", clock, config, "start")));
}

const DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/**
 * A time as `--at` takes it (now, -30d, RFC 3339, local `YYYY-MM-DD HH:MM`) or a calendar day or month
 * in the configured zone: its first moment (`start`), or the first moment after it (`end`).
 */
function parseTimeOrDate(
  value: string,
  flag: string,
  now: Date,
  config: Config,
  edge: "start" | "end",
): string {
  const m = DATE.exec(value.trim());
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
    const day = new Date(Date.UTC(y, mo - 1, d));
    if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d)
      throw new UsageError(`${flag}: ${value} is not a calendar date`);
    if (edge === "end") {
      if (m[3] === undefined) day.setUTCMonth(day.getUTCMonth() + 1);
      else day.setUTCDate(day.getUTCDate() + 1);
    }
    return parseTime(`${day.toISOString().slice(0, 10)} 00:00`, now, config.timezone);
  }
  try {
    return parseTime(value, now, config.timezone);
  } catch (err) {
    if (err instanceof TimeError)
      throw new UsageError(
        `${flag}: cannot read \`${value}\`; use a date (2026-03-01), a month (2026-03), -30d, or an RFC 3339 time such as 2026-03-01T00:00:00Z`,
      );
    throw err;
  }
}

function parseWindow(
  since: string | undefined,
  until: string | undefined,
  now: Date,
  config: Config,
): { since?: Date; until?: Date } {
  const out: { since?: Date; until?: Date } = {};
  if (since !== undefined)
    out.since = new Date(Date.parse(parseTimeOrDate(since, "--since", now, config, "start")));
  if (until !== undefined)
    out.until = new Date(Date.parse(parseTimeOrDate(until, "--until", now, config, "end")));
  if (out.since && out.until && out.since.getTime() >= out.until.getTime())
    throw new UsageError(`--since ${since} is not before --until ${until}`);
  return out;
}
