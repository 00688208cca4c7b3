// Entry of the `incident check` GitHub Action (.github/actions/check), bundled with everything it
// needs into .github/actions/check/dist/index.js by `npm run bundle`: reads the inputs and the event,
// runs the check and alone decides the step's result (setFailed).

import { readFileSync } from "node:fs";
import { oneLine } from "../cli/report.js";
import { parseInputs } from "./inputs.js";
import { runAction } from "./run.js";

/** Fails the step: an error annotation and exit status 1, as @actions/core's setFailed does. */
function setFailed(message: string): void {
  const data = message.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  process.stdout.write(`::error title=incident check::${data}\n`);
  process.exitCode = 1;
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
  const parsed = parseInputs(process.env, readEvent(process.env.GITHUB_EVENT_PATH));
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
