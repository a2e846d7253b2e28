import type { SessionEvent } from '../session/events.ts';
import type { DebugLog } from '../sinks/debug-log.ts';

// One session's telemetry while it may still be loading (claude is started first): events
// wait in a queue until the runtime is there. Nothing here ever throws at the caller.

/** What a long-running session needs of its telemetry (LiveSessionSink is one). */
export interface LiveSessionSink {
  handle(event: SessionEvent): void;
  readonly traceId: string | undefined;
  /** Stores and sends what has finished so far (finished prompts' spans, logs). */
  flushFinished(budgetMs: number): Promise<{ delivered: boolean; timedOut: boolean }>;
  /** Stores and sends everything, metrics included, within `budgetMs`. */
  finish(budgetMs: number): Promise<void>;
}

export class QueuedRuntime {
  private runtime: LiveSessionSink | undefined;
  private readonly queue: SessionEvent[] = [];
  private readonly ready: Promise<LiveSessionSink | undefined>;
  private flushing: Promise<void> | undefined;
  private flushAgain = false;

  constructor(
    load: Promise<LiveSessionSink>,
    private readonly debugLog: DebugLog,
  ) {
    this.ready = load.then(
      (runtime) => {
        this.runtime = runtime;
        for (const event of this.queue.splice(0)) this.handleNow(runtime, event);
        return runtime;
      },
      (error: unknown) => {
        debugLog.log('error', 'telemetry could not start', { error: String(error) });
        return undefined;
      },
    );
  }

  handle(event: SessionEvent): void {
    if (this.runtime) this.handleNow(this.runtime, event);
    else this.queue.push(event);
  }

  /**
   * Sends what has finished (a prompt's spans) in the background. A flush already under
   * way is followed by one more, so nothing waits for an idle moment that never comes.
   */
  flushFinished(budgetMs: number): void {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    const run = async (): Promise<void> => {
      const runtime = await this.ready;
      if (!runtime) return;
      do {
        this.flushAgain = false;
        try {
          const report = await runtime.flushFinished(budgetMs);
          this.debugLog.log('debug', 'flushed finished spans', { delivered: report.delivered, timedOut: report.timedOut });
        } catch (error) {
          this.debugLog.log('error', 'flush failed', { error: String(error) });
        }
      } while (this.flushAgain);
    };
    this.flushing = run().finally(() => {
      this.flushing = undefined;
    });
  }

  /** Resolves when no background flush is under way. */
  idle(): Promise<void> {
    return this.flushing ?? Promise.resolve();
  }

  /** Stores and sends everything left, within `budgetMs` (loading included); the session's trace id. */
  async finish(budgetMs: number): Promise<string | undefined> {
    const started = Date.now();
    const runtime = await Promise.race([this.ready, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), budgetMs).unref())]);
    if (!runtime) return undefined;
    try {
      await runtime.finish(Math.max(0, budgetMs - (Date.now() - started)));
      this.debugLog.log('debug', 'flushed the session', { ms: Date.now() - started });
    } catch (error) {
      this.debugLog.log('error', 'flush failed', { error: String(error) });
    }
    return runtime.traceId;
  }

  private handleNow(runtime: LiveSessionSink, event: SessionEvent): void {
    try {
      runtime.handle(event);
    } catch (error) {
      this.debugLog.log('error', 'telemetry failed on an event', { error: String(error) });
    }
  }
}
