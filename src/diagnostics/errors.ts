// Errors that are the user's to fix (a refused edit, a bad time, an unknown id): the CLI prints the
// message and exits 1 instead of reporting an internal error.

export class UserError extends Error {
  constructor(
    message: string,
    /** Lines that explain the refusal, one finding or missing field each. */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}
