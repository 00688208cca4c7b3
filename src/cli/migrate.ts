// `incident migrate`: brings the config and every record to the toolkit's schema_version (or
// `--to N`), printing what changed per file; `--dry-run` prints the unified diff and writes nothing.

import { statSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../diagnostics/errors.js";
import type { Registry } from "../migrate/registry.js";
import { type MigrateResult, migrateRepo, type RulesFor } from "../usecases/migrate.js";
import type { CommandContext } from "./context.js";
import { formatText, noColors, safe } from "./report.js";

export interface MigrateCliOptions {
  dir: string;
  to?: number;
  dryRun?: boolean;
}

/** What tests put in place of this release's steps and rules. */
export interface MigrateInjection {
  registry?: Registry;
  rules?: RulesFor;
  toolkitVersion?: string;
}

/**
 * Exit status: 0 every file is at the target (migrated, or already there); 1 a file was refused
 * (newer than this toolkit, unreadable, or invalid once migrated: it is left as it was); 2 usage.
 */
export async function runMigrate(
  opts: MigrateCliOptions,
  ctx: CommandContext,
  inject: MigrateInjection = {},
): Promise<number> {
  const dir = resolve(ctx.cwd, opts.dir);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`no such directory: ${safe(opts.dir)}`);
  const result = await migrateRepo({ dir, to: opts.to, dryRun: opts.dryRun, ...inject });
  print(result, ctx);
  return result.files.some((f) => f.action === "refused") ? 1 : 0;
}

function print(result: MigrateResult, ctx: CommandContext): void {
  const out = (s: string) => ctx.stdout.write(s);
  const dry = result.dryRun;
  if (result.diagnostics.length > 0) {
    // Frames come only from the texts the use case read itself: a file it refused (a link, a FIFO)
    // is never read here, so a link cannot print a file from outside the repository or block.
    const text = formatText(result.diagnostics, (file) => result.texts.get(file), noColors);
    out(text.endsWith("\n") ? text : `${text}\n`);
  }
  for (const f of result.files) {
    if (f.action === "migrated") {
      out(
        `${safe(f.file)}: schema_version ${f.from} -> ${result.target}${dry ? " (would migrate)" : " (migrated)"}\n`,
      );
      for (const s of f.steps) out(`  ${safe(s)}\n`);
      if (dry) out(f.diff);
    } else if (f.action === "ahead")
      out(
        `${safe(f.file)}: schema_version ${f.from}, past --to ${result.target}; left alone (migrations only go forward)\n`,
      );
  }
  const count = (a: string) => result.files.filter((f) => f.action === a).length;
  const migrated = count("migrated");
  const current = count("current");
  const refused = count("refused");
  if (migrated === 0 && refused === 0) {
    const records = result.files.filter((f) => f.kind !== "config" && f.action === "current").length;
    const config = result.files.some((f) => f.kind === "config" && f.action === "current");
    out(
      `Every record is current: ${config ? "the config and " : ""}${records === 0 ? "no records" : records === 1 ? "1 record" : `${records} records`} at schema_version ${result.target}; nothing to migrate.\n`,
    );
    return;
  }
  const parts = [
    `${migrated} ${dry ? "would be migrated" : "migrated"} to schema_version ${result.target}`,
    `${current} current`,
  ];
  if (refused > 0) parts.push(`${refused} refused and left as they were`);
  out(`${parts.join(", ")}.${dry ? " Dry run: nothing was written." : ""}\n`);
  if (!dry && migrated > 0)
    out("Next: `incident validate`, review `git diff`, commit the migration in one pull request.\n");
}
