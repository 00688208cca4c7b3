// The one place that turns an error into an exit status. A UserError prints its message and
// details and exits with its own status (1 refused, 2 cannot run as asked); a file-system error
// (ENOENT, EACCES, ...) is the user's to fix (1); anything else is a bug and says how to report it (2).

import { REPORT_BUGS, UserError } from "../diagnostics/errors.js";
import { processContext } from "./context.js";
import { safe } from "./report.js";

/** The exit status for `err`, after writing what the user needs to `write` (the command's stderr). */
export function exitStatus(
  err: unknown,
  write: (text: string) => void = (t) => processContext().stderr.write(t),
  env: Readonly<Record<string, string | undefined>> = processContext().env,
): number {
  if (err instanceof UserError) {
    write(`incident: ${safe(err.message)}\n`);
    for (const d of err.details) write(`  - ${safe(d)}\n`);
    return err.exitCode;
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (err instanceof Error && typeof code === "string" && /^E[A-Z]+$/.test(code)) {
    write(`incident: ${safe(err.message)}\n`);
    return 1;
  }
  write(`incident: internal error: ${safe(err instanceof Error ? err.message : String(err))}\n`);
  write(`incident: ${REPORT_BUGS}\n`);
  if (env.INCIDENT_DEBUG) write(`${(err as Error).stack}\n`);
  return 2;
}

/** The part of `process` that `exitWhenSettled` needs. */
export interface ExitingProcess {
  exitCode?: number | string | null | undefined;
  once(event: "beforeExit", listener: () => void): unknown;
  readonly stderr: { write(text: string): unknown };
}

/**
 * Sets the exit status when `work` settles. Should Node run out of things to wait for before that
 * (a promise nothing will ever settle: always a bug), the run fails as an internal error instead of
 * ending with status 0 and no output, which a CI step would read as a pass.
 */
export function exitWhenSettled(work: Promise<number>, proc: ExitingProcess = process): void {
  let settled = false;
  const settle = (code: number) => {
    settled = true;
    proc.exitCode = code;
  };
  work.then(settle, (err: unknown) => settle(exitStatus(err, (t) => proc.stderr.write(t))));
  proc.once("beforeExit", () => {
    if (settled) return;
    settled = true;
    proc.stderr.write("incident: internal error: the command stopped before it finished\n");
    proc.stderr.write(`incident: ${REPORT_BUGS}\n`);
    proc.exitCode = 2;
  });
}
