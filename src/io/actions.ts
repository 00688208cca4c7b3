// The CLI's job summary: `validate` and `check` with `--format github` append Markdown to the file
// the runner names in $GITHUB_STEP_SUMMARY, read from the command's own environment (its
// CommandContext), so the commands stay testable in memory. The action itself writes its summary,
// outputs and annotations through @actions/core (src/action/); for one append the CLI does not load
// @actions/core, whose summary reads only process.env and which brings Actions' HTTP client.

import { appendFileSync } from "node:fs";

/** Appends Markdown to the job summary; does nothing outside Actions (no $GITHUB_STEP_SUMMARY). */
export function appendJobSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown);
}
