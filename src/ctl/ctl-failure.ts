// A failure a ctl command reports as one line on stderr with a chosen exit code, never as a
// stack trace.

/** The exit codes of the viewing commands. */
export const EXIT_OK = 0;
/** The session asked for is not in the store, or the report could not be written. */
export const EXIT_NOT_FOUND = 1;
/** The command line is wrong: a bad option value, an ambiguous id prefix. */
export const EXIT_USAGE = 2;

export class CtlFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CtlFailure';
  }
}
