import { clampTimerMs } from './config/timer-limit.ts';

// A flush's one deadline, made once where the flush budget starts and handed down to every step
// (git context, store, send, sending what earlier runs missed): its signal aborts when time is up,
// so a send waiting on a collector stops waiting then, and each step asks it what is left instead
// of working the budget out again. An abort from elsewhere (the caller gives up) ends it early.

/** Why a deadline's signal aborted when its time was up. */
export class DeadlineReached extends Error {
  constructor(readonly budgetMs: number) {
    super(`no answer within the flush budget (${budgetMs} ms)`);
    this.name = 'DeadlineReached';
  }
}

export interface Deadline {
  /** Aborts when the time is up (reason: DeadlineReached), or earlier when the deadline is given up. */
  readonly signal: AbortSignal;
  /** Milliseconds until the time is up; 0 once it is, or once the deadline was given up. */
  msLeft(): number;
}

/** A deadline `budgetMs` from now; `abortWith` ends it earlier (a signal to the process, a caller that gives up). */
export function deadlineIn(budgetMs: number, abortWith?: AbortSignal): Deadline {
  const ms = clampTimerMs(budgetMs);
  const at = Date.now() + ms;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineReached(ms)), ms);
  timer.unref();
  const stop = () => {
    clearTimeout(timer);
    controller.abort(abortWith?.reason);
  };
  if (abortWith?.aborted) stop();
  else abortWith?.addEventListener('abort', stop, { once: true });
  return {
    signal: controller.signal,
    msLeft: () => (controller.signal.aborted ? 0 : Math.max(0, at - Date.now())),
  };
}

/** `work`'s result, or `onAbort()`'s once the signal aborts first; the work itself is not stopped. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => T): Promise<T> {
  if (signal.aborted) return Promise.resolve(onAbort());
  return new Promise<T>((resolve, reject) => {
    const aborted = () => resolve(onAbort());
    signal.addEventListener('abort', aborted, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', aborted);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', aborted);
        reject(error);
      },
    );
  });
}
