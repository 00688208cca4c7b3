// Entry of the `incident check` GitHub Action (.github/actions/check), bundled with everything it
// needs into .github/actions/check/dist/index.js by `npm run bundle`: reads the inputs and the event,
// runs the check and alone decides the step's result.

import { readFileSync } from "node:fs";
import * as core from "@actions/core";
import { oneLine } from "../cli/report.js";
import { parseInputs } from "./inputs.js";
import { runAction } from "./run.js";

/**
 * Fails the step: what @actions/core's setFailed does (an error annotation, exit status 1), with the
 * annotation titled so it reads as the check's own among the findings.
 */
function setFailed(message: string): void {
  core.error(message, { title: "incident check" });
  process.exitCode = core.ExitCode.Failure;
}

function readEvent(path: string | undefined): unknown {
  if (!path) return undefined;
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const parsed = parseInputs(
    (name) => core.getInput(name),
    readEvent(process.env.GITHUB_EVENT_PATH),
    process.env.GITHUB_EVENT_NAME,
  );
  if (!parsed.ok) return setFailed(parsed.message);
  try {
    const result = await runAction(parsed.inputs, process.env);
    if (result.status !== 0) setFailed(result.message ?? "incident check failed");
  } catch (err) {
    // An unexpected failure still fails the check closed, with one line and no stack in the log.
    setFailed(`incident check could not finish: ${oneLine(String((err as Error)?.message ?? err))}`);
  }
}

await main();
