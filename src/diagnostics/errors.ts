// The one error model. A UserError is the user's to fix and knows its exit status: 1 when the
// content is refused (a record, a template, a file), 2 when the command cannot run as asked (a flag,
// a time, a revision, a missing GitHub context). Anything else that reaches cli/main.ts is a bug
// (InternalError or an unexpected throw): it prints how to report it and exits 2.

export type ExitCode = 1 | 2;

export class UserError extends Error {
  readonly exitCode: ExitCode = 1;
  constructor(
    message: string,
    /** Lines that explain the refusal, one finding or missing field each. */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** The command cannot run as asked: a bad flag value, time or revision. Exit 2. */
export class UsageError extends UserError {
  override readonly exitCode: ExitCode = 2;
}

/** A state the code should never reach: a bug, reported as one. */
export class InternalError extends Error {}

export const REPORT_BUGS =
  "this is a bug in incident-as-code; please report it at https://github.com/incident-as-code/incident-as-code/issues with the command you ran and its output with INCIDENT_DEBUG=1";
