import type { GitContext, SessionEvent } from '../session/events.ts';
import type { DebugLog } from '../debug-log.ts';
import { clampTimerMs } from '../config/timer-limit.ts';
import { deadlineIn } from '../deadline.ts';
import type { Deadline } from '../deadline.ts';

// One session's telemetry while it may still be loading (claude is started first): events
// wait in a queue until the runtime is there. Nothing here ever throws at the caller.

/** Where a session's events go: the telemetry runtime, or a host program's providers. */
export interface SessionSink {
  handle(event: SessionEvent): void;
  readonly traceId: string | undefined;
  /** Stores and sends what has finished so far (finished prompts' spans, logs), until `deadline`. */
  flushFinished?(deadline: Deadline): Promise<{ delivered: boolean; timedOut: boolean }>;
  /** The git work tree the session runs in, as soon as it is read (the local store shows a running session with it). */
  gitKnown?(git: GitContext): void;
  /**
   * Stores and sends everything, metrics included, until `deadline`; calls `onStored` once
   * the session is complete in the local store, before anything waits on the network.
   */
  finish(deadline: Deadline, onStored?: () => void): Promise<void>;
}

/** What a long-running session needs of its telemetry: finished prompts leave as they finish. */
export type LiveSessionSink = SessionSink & Required<Pick<SessionSink, 'flushFinished'>>;

export class QueuedRuntime {
  private runtime: SessionSink | undefined;
  private readonly queue: SessionEvent[] = [];
  private readonly ready: Promise<SessionSink | undefined>;
  private flushing: Promise<void> | undefined;
  private flushAgain = false;

  constructor(
    load: Promise<SessionSink>,
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
      if (!runtime?.flushFinished) return;
      do {
        this.flushAgain = false;
        try {
          const report = await runtime.flushFinished(deadlineIn(budgetMs));
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

  /**
   * Stores and sends everything left, within `budgetMs` (loading included); the session's
   * trace id. Loading is local work: on a loaded machine it may take longer than the budget,
   * and `loadGraceMs` more is allowed for it, so that the session is still stored (a replay
   * sends it later). `onStored` is called once the session is in the store (or cannot be).
   */
  async finish(budgetMs: number, loadGraceMs = 0, onStored?: () => void): Promise<string | undefined> {
    const started = Date.now();
    // The one deadline of this flush: every step below asks it what is left.
    const deadline = deadlineIn(budgetMs);
    const runtime = await Promise.race([
      this.ready,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), clampTimerMs(budgetMs + loadGraceMs)).unref()),
    ]);
    if (!runtime) {
      onStored?.();
      return undefined;
    }
    try {
      await runtime.finish(deadline, onStored);
      this.debugLog.log('debug', 'flushed the session', { ms: Date.now() - started });
    } catch (error) {
      this.debugLog.log('error', 'flush failed', { error: String(error) });
    } finally {
      onStored?.();
    }
    return runtime.traceId;
  }

  private handleNow(runtime: SessionSink, event: SessionEvent): void {
    try {
      runtime.handle(event);
    } catch (error) {
      this.debugLog.log('error', 'telemetry failed on an event', { error: String(error) });
    }
  }
}
