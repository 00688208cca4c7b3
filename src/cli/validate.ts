// `incident validate`: runs the validation workflow and prints the report in the chosen format.

import { lstatSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import pc from "picocolors";
import { UsageError } from "../diagnostics/errors.js";
import { isInside } from "../io/discover.js";
import { validateRepo } from "../usecases/validateRepo.js";
import type { CommandContext } from "./context.js";
import { colorsWanted } from "./context.js";
import {
  type Colors,
  emitGithub,
  formatJson,
  formatText,
  noColors,
  oneLine,
  summaryMarkdown,
} from "./report.js";
import { formatSummary } from "./summary.js";

export interface ValidateCliOptions {
  dir: string;
  format: "text" | "json" | "github";
  summary?: boolean;
  cache: boolean;
  fullParse?: boolean;
  jobs?: number;
}

export async function runValidate(
  paths: string[],
  opts: ValidateCliOptions,
  ctx: CommandContext,
): Promise<number> {
  const dir = resolve(ctx.cwd, opts.dir);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`no such directory: ${oneLine(opts.dir)}`);
  }
  const started = performance.now();
  const report = await validateRepo({
    dir,
    cwd: ctx.cwd,
    paths,
    cache: opts.cache,
    fullParse: opts.fullParse,
    jobs: opts.jobs,
  });
  const ms = performance.now() - started;
  const { diagnostics } = report;
  const colors: Colors = colorsWanted(ctx, ctx.stdout) ? pc.createColors(true) : noColors;
  // The code frame reads the file again: only a regular file, never through a link (a FILE_SYMLINK
  // finding would otherwise print the first line of its target, which may be outside the repository,
  // or block on a FIFO).
  const realRoot = realpathSync(report.root);
  const readText = (file: string) => {
    try {
      const abs = join(report.root, file);
      if (!lstatSync(abs).isFile() || !isInside(realRoot, realpathSync(abs))) return undefined;
      if (relative(realRoot, realpathSync(abs)) !== relative(report.root, abs)) return undefined;
      return readFileSync(abs, "utf8");
    } catch {
      return undefined;
    }
  };
  if (opts.format === "json") {
    ctx.stdout.write(`${formatJson(report.files, diagnostics)}\n`);
  } else if (opts.format === "github") {
    emitGithub(diagnostics, (s) => ctx.stdout.write(s));
    if (ctx.env.GITHUB_STEP_SUMMARY) {
      const { appendJobSummary } = await import("../io/actions.js");
      appendJobSummary(summaryMarkdown(report.files, diagnostics), ctx.env);
    }
  } else {
    if (diagnostics.length > 0) ctx.stdout.write(`${formatText(diagnostics, readText, colors)}\n`);
    if (opts.summary) {
      ctx.stdout.write(
        `${diagnostics.length > 0 ? "\n" : ""}${formatSummary(report.results, diagnostics, report.config, ms, colors)}\n`,
      );
    } else if (diagnostics.length === 0) {
      ctx.stdout.write(`${report.files} files valid\n`);
    } else {
      const errors = diagnostics.filter((d) => d.severity === "error").length;
      const files = new Set(diagnostics.map((d) => d.file)).size;
      ctx.stdout.write(`\n${errors} error(s) in ${files} file(s); ${report.files} record file(s) checked\n`);
    }
  }
  return diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}
