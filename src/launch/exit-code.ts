import { constants } from 'node:os';

/** claude's exit code, or 128+N when a signal ended it, as a shell reports it. */
export function exitCodeOf(exitCode: number | undefined | null, signal: string | undefined | null): number {
  if (typeof exitCode === 'number') return exitCode;
  if (signal) {
    const number = (constants.signals as Record<string, number | undefined>)[signal];
    if (number !== undefined) return 128 + number;
  }
  return 1;
}
