// `incident check`: judges a pull request (base..head) and reports like `validate`; exit 2 when the
// check cannot run (an unresolvable or unsafe revision, a broken base config).

import { makeDiagnostic } from "../diagnostics/diagnostic.js";
import { RevisionRefused } from "../io/git.js";
import { cell } from "../render/escape.js";
import { markdownTable } from "../render/table.js";
import { CheckAbort, checkPullRequest, type TouchedRecord } from "../usecases/checkPullRequest.js";
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

export async function runCheck(opts: CheckCliOptions): Promise<number> {
  let report: Awaited<ReturnType<typeof checkPullRequest>>;
  const { githubContext, GitHubClient } = await import("../github/client.js");
  const ctx = githubContext(process.env, { token: opts.token, repo: opts.repo, pr: opts.pr });
  const warn = (m: string) => process.stderr.write(`incident: warning: ${oneLine(m)}\n`);
  const client = ctx ? new GitHubClient(ctx, warn) : undefined;
  if (opts.report && !client)
    warn("--report needs GitHub context (a token, GITHUB_REPOSITORY and the pull request number)");
  try {
    report = await checkPullRequest({
      dir: opts.dir,
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
    if (d && opts.format === "json") process.stdout.write(`${formatJson(0, [d])}\n`);
    else if (d && opts.format === "github")
      process.stdout.write(`${githubError(d.code, (err as Error).message)}\n`);
    throw err;
  }
  const { diagnostics } = report;
  if (opts.format === "json") process.stdout.write(`${formatJson(report.files, diagnostics)}\n`);
  else if (opts.format === "github") {
    emitGithub(diagnostics);
    if (process.env.GITHUB_STEP_SUMMARY) {
      const { appendJobSummary } = await import("../io/actions.js");
      appendJobSummary(`${touchedTable(report.touched)}\n${summaryMarkdown(report.files, diagnostics)}`);
    }
  } else {
    if (diagnostics.length > 0) process.stdout.write(`${formatText(diagnostics, () => undefined)}\n`);
    process.stdout.write(
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
