import type { DebugLog } from '../debug-log.ts';

// The last line of defence between claude and the telemetry path: once claude runs, nothing
// that goes wrong while recording the session may change what claude prints or how it exits.
// Every step of the telemetry path that the runs take after starting claude goes through
// here; a step that throws is logged, and claude's output and exit status go on untouched.

export class TelemetryGuard {
  private failures = 0;

  constructor(private readonly debugLog: DebugLog) {}

  /** How many steps failed so far. */
  get failed(): number {
    return this.failures;
  }

  /** Runs one synchronous step; a throw is logged, never passed on. */
  run(step: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.report(step, error);
    }
  }

  /** Awaits one asynchronous step; a throw or a rejection gives `fallback`. */
  async settle<T>(step: string, work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.report(step, error);
      return fallback;
    }
  }

  report(step: string, error: unknown): void {
    this.failures += 1;
    this.debugLog.log('error', `telemetry failed while ${step}; claude is not affected`, {
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
}

/**
 * For the command only (a library never touches its host's process): an error that escaped
 * every guard, thrown from a callback or a promise nobody awaits, is logged instead of
 * ending the wrapper while claude runs.
 */
export function survivePathErrors(guard: TelemetryGuard): void {
  process.on('uncaughtException', (error) => guard.report('running (uncaught)', error));
  process.on('unhandledRejection', (reason) => guard.report('running (unhandled rejection)', reason));
}
