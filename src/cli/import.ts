// `incident import <adapter> <input...>`: runs the import use case and prints what it did (or would
// do, with --dry-run), the config additions it offers, and what could not be mapped.

import type { ImportReport } from "../usecases/importHistory.js";
import type { CommandContext } from "./context.js";
import { oneLine, safe } from "./report.js";

export interface ImportCliOptions {
  dir: string;
  mapping?: string;
  dryRun?: boolean;
  writeConfig?: boolean;
  format?: "text" | "json";
}

export async function runImportCommand(
  adapter: string,
  inputs: string[],
  opts: ImportCliOptions,
  ctx: CommandContext,
): Promise<number> {
  const { ADAPTERS, importFailed, runImport } = await import("../usecases/importHistory.js");
  const { UsageError } = await import("../diagnostics/errors.js");
  if (!(ADAPTERS as readonly string[]).includes(adapter))
    throw new UsageError(`no importer \`${safe(adapter)}\`; choose one of ${ADAPTERS.join(", ")}`);
  const report = await runImport({
    dir: opts.dir,
    adapter: adapter as (typeof ADAPTERS)[number],
    inputs,
    mapping: opts.mapping,
    dryRun: opts.dryRun,
    writeConfig: opts.writeConfig,
    now: ctx.now(),
    cwd: ctx.cwd,
  });
  if (opts.format === "json") ctx.stdout.write(`${JSON.stringify(jsonReport(report), null, 2)}\n`);
  else printText(report, ctx);
  return importFailed(report) ? 1 : 0;
}

function jsonReport(r: ImportReport): unknown {
  return {
    ok:
      r.diagnostics.length === 0 &&
      !r.outcomes.some((o) => ["refused", "invalid", "skipped"].includes(o.action)),
    adapter: r.adapter,
    dry_run: r.dryRun,
    records: r.outcomes.map(({ diff: _, ...o }) => o),
    diagnostics: r.diagnostics,
    unmapped: r.unmapped,
    config_additions: r.offers.map((o) => ({ list: o.list, entry: o.entry, from: o.from })),
    config_written: r.configWritten,
    schemas_written: r.schemasWritten,
  };
}

function printText(r: ImportReport, ctx: CommandContext): void {
  const out = (s: string) => ctx.stdout.write(`${oneLine(s)}\n`);
  const err = (s: string) => ctx.stderr.write(`${oneLine(s)}\n`);
  for (const d of r.diagnostics) err(`${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);
  const would = r.dryRun ? "would be " : "";
  for (const o of r.outcomes) {
    const what = o.id ? `${o.id}${o.file ? ` (${o.file})` : ""}` : "";
    const from = `${r.adapter} ${o.sourceId ?? ""}`.trim();
    if (o.action === "created" || o.action === "updated") {
      out(
        `${would}${o.action} ${what} from ${from}${o.rewritten ? " (written whole: a field or list item went away)" : ""}`,
      );
      if (r.dryRun && o.diff) ctx.stdout.write(safe(o.diff));
    } else if (o.action === "unchanged") out(`unchanged ${what} from ${from}`);
    else {
      err(`${o.action} ${what ? `${what} ` : ""}${from} (${o.origin}): ${o.message ?? ""}`);
      for (const d of o.details ?? []) err(`  ${d}`);
    }
  }
  if (r.configDiff && r.offers.length > 0) {
    out("");
    out(
      r.configWritten
        ? `Added to incident.config.yaml (${r.offers.length}):`
        : `The source names ${r.offers.length} service(s), team(s) or people the config does not know. ${r.dryRun ? "With" : "Run again with"} --write-config to add them:`,
    );
    ctx.stdout.write(safe(r.configDiff));
    for (const f of r.schemasWritten) out(`${f}: written (the editor's schema for the new config)`);
  }
  if (r.unmapped.length > 0) {
    out("");
    out("Not mapped:");
    for (const u of r.unmapped)
      out(`  ${u.id ?? u.sourceId} (${r.adapter} ${u.sourceId}): ${u.field}: ${u.reason}`);
  }
  const count = (a: string) => r.outcomes.filter((o) => o.action === a).length;
  out("");
  out(
    `${count("created")} created, ${count("updated")} updated, ${count("unchanged")} unchanged, ${count("refused")} refused, ${count("invalid")} invalid, ${count("skipped")} skipped${r.dryRun ? " (dry run: nothing was written)" : ""}`,
  );
}
