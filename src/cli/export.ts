// `incident export` (VERIS 1.4.1 JSON or STIX 2.1 bundles of security incidents) and `incident events` (CDEvents 0.5.1
// incident events from the status changes between two revisions): read the records, apply the TLP
// ceiling, map them with src/export/ and print or write the result.

import { basename, join, resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { UsageError, UserError } from "../diagnostics/errors.js";
import type { Incident, Tlp } from "../model/types.js";
import type { RecordSet } from "../usecases/loadRecords.js";
import type { CommandContext } from "./context.js";
import { safe } from "./report.js";

export interface ExportCliOptions {
  dir: string;
  format: "veris" | "stix";
  /** A folder to write `<id>.json` into, or `-` for JSON Lines on stdout (the default). */
  out?: string;
  /** Incidents marked with a stricter TLP are not exported (default: clear). */
  maxTlp?: Tlp;
  sourceId?: string;
}

export interface EventsCliOptions {
  dir: string;
  since: string;
  until?: string;
  maxTlp?: Tlp;
  /** `context.source` of every event (default: the GitHub repository, else the folder's name). */
  source?: string;
  environment?: string;
  /** `cloudevents` (default): structured-mode CloudEvents; `none`: the bare CDEvents. */
  envelope?: "cloudevents" | "none";
}

/** The default TLP ceiling of both commands: what leaves the repository is what anyone may read. */
export const DEFAULT_EXPORT_TLP: Tlp = "clear";

const SHOWN_FINDINGS = 20;

function printFindings(diags: readonly Diagnostic[], ctx: CommandContext): void {
  for (const d of diags.slice(0, SHOWN_FINDINGS))
    ctx.stderr.write(`${safe(`${d.file}:${d.line}:${d.column}`)} ${d.code} ${safe(d.message)}\n`);
  if (diags.length > SHOWN_FINDINGS) ctx.stderr.write(`... and ${diags.length - SHOWN_FINDINGS} more\n`);
}

async function load(dir: string, at: string | undefined, ctx: CommandContext): Promise<RecordSet> {
  const { loadRecords } = await import("../usecases/loadRecords.js");
  const set = await loadRecords({ dir: resolve(ctx.cwd, dir), at, full: true });
  const errors = set.configDiagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    printFindings(errors, ctx);
    throw new UserError(
      `incident.config.yaml${at === undefined ? "" : ` at ${safe(at)}`} has ${errors.length} error(s); fix them first (\`incident validate\` shows them all)`,
    );
  }
  return set;
}

/** Invalid records were left out: say which and why on stderr; exit 1. */
function reportInvalid(set: RecordSet, what: string, ctx: CommandContext): number {
  if (set.invalidFiles === 0) return 0;
  printFindings(set.invalid, ctx);
  ctx.stderr.write(
    `incident: left out ${set.invalidFiles} invalid record file(s)${what}; \`incident validate\` explains each finding\n`,
  );
  return 1;
}

async function withinCeiling(
  incidents: readonly Incident[],
  maxTlp: Tlp,
): Promise<{ published: Incident[]; withheld: Incident[] }> {
  // The site's TLP rule: a record marked above the ceiling is withheld; an unmarked one is not.
  const { withinTlp } = await import("../site/build.js");
  return withinTlp(incidents, maxTlp);
}

/** `incident export --format veris|stix [--out DIR|-] [ids...]`. */
export async function runExport(ids: string[], opts: ExportCliOptions, ctx: CommandContext): Promise<number> {
  const { isSecurityIncident, toVeris } = await import("../export/veris.js");
  const { toStix } = await import("../export/stix.js");
  const { jsonLines, jsonText } = await import("../export/json.js");
  const set = await load(opts.dir, undefined, ctx);
  let selected = set.incidents;
  if (ids.length > 0) {
    const byId = new Map(set.incidents.map((i) => [i.id, i]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) {
      reportInvalid(set, "", ctx);
      throw new UserError(`no valid incident ${missing.map((m) => `\`${safe(m)}\``).join(", ")}`);
    }
    selected = [...new Set(ids)].map((id) => byId.get(id) as Incident);
  }
  const maxTlp = opts.maxTlp ?? DEFAULT_EXPORT_TLP;
  const { published, withheld } = await withinCeiling(selected, maxTlp);
  const records: Array<{ id: string; record: Record<string, unknown> }> = [];
  const notSecurity: string[] = [];
  for (const inc of published) {
    if (!isSecurityIncident(inc)) {
      notSecurity.push(inc.id);
      continue;
    }
    const result =
      opts.format === "stix"
        ? toStix(inc)
        : toVeris(inc, { sourceId: opts.sourceId, reference: set.paths.get(inc.id) });
    if ("skipped" in result) ctx.stderr.write(`incident: skipped ${inc.id}: ${safe(result.skipped)}\n`);
    else records.push({ id: inc.id, record: "bundle" in result ? { ...result.bundle } : result.record });
  }
  if (notSecurity.length > 0) {
    // Named on purpose: say so for each; otherwise one line (most incidents are operational).
    if (ids.length > 0)
      for (const id of notSecurity) ctx.stderr.write(`incident: skipped ${id}: no sec.* category\n`);
    else ctx.stderr.write(`incident: skipped ${notSecurity.length} incident(s) without a sec.* category\n`);
  }
  if (withheld.length > 0) {
    ctx.stderr.write(
      `incident: withheld ${withheld.length} incident(s) marked above TLP:${maxTlp.toUpperCase()}: ${withheld.map((i) => i.id).join(", ")} (--max-tlp raises the ceiling)\n`,
    );
  }
  const out = opts.out ?? "-";
  if (out === "-") {
    ctx.stdout.write(jsonLines(records.map((r) => r.record)));
  } else {
    const { makeFolders, writeInside } = await import("../io/safeWrite.js");
    const outDir = resolve(ctx.cwd, out);
    // An empty export is still an export: the folder is there, so what reads it finds no records
    // rather than no folder (and the line below never names a folder that does not exist).
    makeFolders(outDir);
    for (const r of records) {
      // Ids are checked by the schema's id pattern; basename keeps the name a plain file name anyway.
      writeInside(outDir, join(outDir, `${basename(r.id)}.json`), jsonText(r.record, true));
    }
    const what = opts.format === "stix" ? "STIX bundle(s)" : "VERIS record(s)";
    ctx.stderr.write(`incident: wrote ${records.length} ${what} to ${safe(out)}\n`);
  }
  return reportInvalid(set, " (not exported)", ctx);
}

/** The events' source: --source, else the GitHub repository from the Actions environment, else the folder. */
function eventSource(opts: EventsCliOptions, root: string, env: CommandContext["env"]): string {
  if (opts.source !== undefined) return opts.source;
  const server = env.GITHUB_SERVER_URL;
  const repo = env.GITHUB_REPOSITORY;
  if (server && repo && /^https?:\/\/[^\s/]+$/.test(server) && /^[\w.-]+\/[\w.-]+$/.test(repo)) {
    return `${server}/${repo}`;
  }
  return `/incident-as-code/${encodeURIComponent(basename(root))}`;
}

/** A URI reference as CDEvents' `source` takes it: no blanks or controls, not empty. */
function checkSource(source: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (source === "" || source.length > 2048 || /[\s\u0000-\u001f\u007f-\u009f"<>\\^`{|}]/.test(source)) {
    throw new UsageError(`--source must be a URI reference such as https://github.com/acme/incidents`);
  }
}

/** `incident events --since REV [--until REV]`: JSON Lines of CDEvents, oldest first. */
export async function runEvents(opts: EventsCliOptions, ctx: CommandContext): Promise<number> {
  const { checkRevision } = await import("../io/git.js");
  const until = opts.until ?? "HEAD";
  // Refused before git runs: a revision must be a plain branch, tag or commit id, never an option.
  for (const [flag, rev] of [
    ["--since", opts.since],
    ["--until", until],
  ] as const) {
    try {
      checkRevision(rev);
    } catch (err) {
      throw new UsageError(`${flag}: ${(err as Error).message}`);
    }
  }
  if (opts.source !== undefined) checkSource(opts.source);
  if (opts.environment !== undefined && !/^[A-Za-z0-9][\w.-]{0,99}$/.test(opts.environment)) {
    throw new UsageError("--environment must be a name of letters, digits, `.`, `_` and `-`");
  }
  const before = await load(opts.dir, opts.since, ctx);
  const after = await load(opts.dir, until, ctx);
  const { incidentEvents, toCloudEvent } = await import("../export/cdevents.js");
  const { jsonLines } = await import("../export/json.js");
  const maxTlp = opts.maxTlp ?? DEFAULT_EXPORT_TLP;
  const { published, withheld } = await withinCeiling(after.incidents, maxTlp);
  const beforeById = new Map(before.incidents.map((i) => [i.id, i]));
  // A file that was invalid at --since has entries we cannot compare: leave it out, say so.
  const unreadableBefore = new Set(before.invalid.map((d) => d.file));
  const pairs = [];
  const unknownPast: string[] = [];
  for (const inc of published) {
    const path = after.paths.get(inc.id) ?? "";
    const prior = beforeById.get(inc.id);
    if (prior === undefined && unreadableBefore.has(path)) {
      unknownPast.push(inc.id);
      continue;
    }
    pairs.push({ before: prior, after: inc, path });
  }
  const source = eventSource(opts, after.root, ctx.env);
  const server = ctx.env.GITHUB_SERVER_URL;
  const onGitHub = opts.source === undefined && server !== undefined && source.startsWith(`${server}/`);
  const events = incidentEvents(pairs, {
    source,
    environment: opts.environment,
    recordUrl: onGitHub && after.commit ? (p) => `${source}/blob/${after.commit}/${encodeURI(p)}` : undefined,
  });
  ctx.stdout.write(jsonLines(opts.envelope === "none" ? events : events.map(toCloudEvent)));
  if (withheld.length > 0) {
    ctx.stderr.write(
      `incident: withheld the events of ${withheld.length} incident(s) marked above TLP:${maxTlp.toUpperCase()}: ${withheld.map((i) => i.id).join(", ")} (--max-tlp raises the ceiling)\n`,
    );
  }
  for (const id of unknownPast) {
    ctx.stderr.write(`incident: skipped ${id}: its file was not a valid record at ${safe(opts.since)}\n`);
  }
  return Math.max(
    reportInvalid(after, ` at ${safe(until)} (no events)`, ctx),
    unknownPast.length > 0 ? 1 : 0,
  );
}
