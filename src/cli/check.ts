// `incident check`: judges a pull request (base..head) and reports like `validate`; exit 2 when the
// check cannot run (an unresolvable or unsafe revision, a broken base config).

import { resolve } from "node:path";
import { makeDiagnostic } from "../diagnostics/diagnostic.js";
import { RevisionRefused } from "../io/git.js";
import { cell } from "../render/escape.js";
import { markdownTable } from "../render/table.js";
import { CheckAbort, checkPullRequest, type TouchedRecord } from "../usecases/checkPullRequest.js";
import type { CommandContext } from "./context.js";
import { emitGithub, formatJson, formatText, githubError, oneLine, summaryMarkdown } from "./report.js";

export interface CheckCliOptions {
  dir: string;
  base: string;
  head: string;
  format: "text" | "json" | "github";
  /** Post the sticky comment and sync labels (needs GitHub context). */
  report?: boolean;
  token?: string;
  repo?: string;
  pr?: number;
}

export async function runCheck(opts: CheckCliOptions, ctx: CommandContext): Promise<number> {
  let report: Awaited<ReturnType<typeof checkPullRequest>>;
  const { githubContext, GitHubClient } = await import("../github/client.js");
  const github = githubContext(ctx.env, { token: opts.token, repo: opts.repo, pr: opts.pr });
  const warn = (m: string) => ctx.stderr.write(`incident: warning: ${oneLine(m)}\n`);
  const client = github ? new GitHubClient(github, warn) : undefined;
  if (opts.report && !client)
    warn("--report needs GitHub context (a token, GITHUB_REPOSITORY and the pull request number)");
  try {
    report = await checkPullRequest({
      dir: resolve(ctx.cwd, opts.dir),
      now: ctx.now(),
      base: opts.base,
      head: opts.head,
      approvals: client ? (stale) => client.approvalSource(stale) : undefined,
    });
  } catch (err) {
    // A check that cannot run still answers in the format asked for, so a workflow reading the
    // JSON or the annotations sees why. A revision that is not a plain name is refused like one
    // that does not resolve: nothing was checked, BASE_UNRESOLVED. cli/main.ts then prints the
    // message and exits with the error's status (2).
    const d =
      err instanceof CheckAbort
        ? err.diagnostic
        : err instanceof RevisionRefused
          ? makeDiagnostic("BASE_UNRESOLVED", err.message, "", { line: 1, column: 1 })
          : undefined;
    if (d && opts.format === "json") ctx.stdout.write(`${formatJson(0, [d])}\n`);
    else if (d && opts.format === "github")
      ctx.stdout.write(`${githubError(d.code, (err as Error).message)}\n`);
    throw err;
  }
  const { diagnostics } = report;
  if (opts.format === "json") ctx.stdout.write(`${formatJson(report.files, diagnostics)}\n`);
  else if (opts.format === "github") {
    emitGithub(diagnostics, (s) => ctx.stdout.write(s));
    if (ctx.env.GITHUB_STEP_SUMMARY) {
      const { appendJobSummary } = await import("../io/actions.js");
      appendJobSummary(
        `${touchedTable(report.touched)}\n${summaryMarkdown(report.files, diagnostics)}`,
        ctx.env,
      );
    }
  } else {
    if (diagnostics.length > 0) ctx.stdout.write(`${formatText(diagnostics, () => undefined)}\n`);
    ctx.stdout.write(
      `${report.touched.length} record(s) changed between ${report.base.slice(0, 12)} and ${report.head.slice(0, 12)}; ${diagnostics.length} finding(s)\n`,
    );
  }
  if (opts.report && client) {
    const { labelsFor, renderComment } = await import("../github/comment.js");
    await client.upsertComment(renderComment(report.touched, diagnostics));
    await client.syncLabels(labelsFor(report.touched, report.config));
  }
  return diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}

/** The records a pull request touches, as a Markdown table with every value escaped. */
export function touchedTable(touched: readonly TouchedRecord[]): string {
  if (touched.length === 0) return "### incident check: no incident or problem files changed\n";
  const rows = touched.map((t) => [
    cell(t.id ?? ""),
    cell(t.title ?? ""),
    cell(t.severity ?? ""),
    `${cell(t.from ?? "(new)")} -> ${cell(t.to ?? "")}`,
    String(t.findings),
  ]);
  return `### incident check\n\n${markdownTable(["Id", "Title", "Severity", "Status", "Findings"], rows).join("\n")}\n`;
}
