// The GitHub Actions runner's files: the job summary and step outputs, appended to the files the
// runner names in $GITHUB_STEP_SUMMARY and $GITHUB_OUTPUT. What @actions/core's summary and
// setOutput do, without the HTTP client and the packages it brings (the CLI and the bundled action
// only ever append text to these two files).

import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";

/** Appends Markdown to the job summary; does nothing outside Actions (no $GITHUB_STEP_SUMMARY). */
export function appendJobSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown);
}

/**
 * Sets a step output. The value is written in the heredoc form with a random delimiter, so no value
 * can end the entry early and add an output of its own.
 */
export function setOutput(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`invalid output name ${name}`);
  let delimiter = `ghadelimiter_${randomBytes(16).toString("hex")}`;
  while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomBytes(16).toString("hex")}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}
