import type { ExportResult } from '@opentelemetry/core';
import type { SignalExportConfig } from '../config/otlp-config.ts';
import { classifyExportFailure } from './classify-failure.ts';
import { watchHttpStatus } from './http-status-watch.ts';
import { clampTimerMs } from '../config/timer-limit.ts';
import type { ExportFailure } from './classify-failure.ts';
import { DeadlineReached } from '../deadline.ts';

// One export of one signal, and its outcome with the reason a person can act on. The live
// flush, replay and claude-otel-ctl doctor all send through here (send-requests.ts).

export type ExportAttempt = { ok: true; durationMs: number } | { ok: false; durationMs: number; failure: ExportFailure };

/** What every exporter of the SDK offers: export with a callback. */
export interface ExportsWithCallback<T> {
  export(items: T, done: (result: ExportResult) => void): void;
}

/** An exporter that never calls back still ends the attempt this long after its own timeout. */
const CALLBACK_GRACE_MS = 1000;

/** What an abort of the wait says: the flush's deadline, or why it was given up. */
function abandoned(reason: unknown): ExportFailure {
  if (reason instanceof DeadlineReached) return { kind: 'timeout', reason: reason.message };
  return { kind: 'other', reason: `abandoned: ${reason instanceof Error ? reason.message : String(reason ?? 'aborted')}` };
}

/**
 * Exports `items` and waits for the result, at most `target.timeoutMs` plus a grace period
 * (the exporter is expected to enforce the timeout itself), and never after `abort` fires:
 * then the request is abandoned (the exporter cannot be stopped, only no longer waited for).
 */
export function sendWith<T>(
  exporter: ExportsWithCallback<T>,
  items: T,
  target: Pick<SignalExportConfig, 'protocol' | 'url' | 'timeoutMs'>,
  abort?: AbortSignal,
): Promise<ExportAttempt> {
  const started = Date.now();
  const { timeoutMs } = target;
  return new Promise((resolve) => {
    // gRPC statuses come with the error; HTTP ones the exporter may drop, and a refused
    // connection it would retry until its timeout (see http-status-watch.ts).
    const statuses = target.protocol === 'grpc' ? undefined : watchHttpStatus(target.url, (refused) => finish(refused, false));
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      statuses?.stop();
      resolve({ ok: false, durationMs: Date.now() - started, failure: abandoned(abort?.reason) });
    };
    const finish = (error: unknown, ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      statuses?.stop();
      abort?.removeEventListener('abort', onAbort);
      const durationMs = Date.now() - started;
      if (ok) return resolve({ ok: true, durationMs });
      const httpStatus = statuses?.last;
      resolve({
        ok: false,
        durationMs,
        failure: classifyExportFailure(error, { protocol: target.protocol, timeoutMs, ...(httpStatus !== undefined ? { httpStatus } : {}) }),
      });
    };
    const timer = setTimeout(() => finish(new Error('Request timed out'), false), clampTimerMs(timeoutMs + CALLBACK_GRACE_MS));
    timer.unref();
    if (abort?.aborted) return onAbort();
    abort?.addEventListener('abort', onAbort, { once: true });
    try {
      exporter.export(items, (result) => finish(result.error, result.code === 0));
    } catch (error) {
      finish(error, false);
    }
  });
}
