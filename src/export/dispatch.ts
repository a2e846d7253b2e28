import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExportConfig, Signal, SignalExportConfig } from '../config/otlp-config.ts';
import type { Exporters } from './exporter-factory.ts';
import { sendWith } from './send-signal.ts';
import type { ExportAttempt } from './send-signal.ts';
import type { EncodedRequest, RequestExporter, RequestExporters } from './request-exporters.ts';
import { requestParts } from './request-split.ts';

// Each signal of a batch to its own exporter, all at once: the one place that knows which
// exporter takes which signal: encoded requests for the live flush and replay, SDK objects for
// doctor's test data, both sent through the one send-and-classify (send-signal.ts).

export const SIGNALS: readonly Signal[] = ['traces', 'logs', 'metrics'];

export interface SignalBatch {
  spans: readonly ReadableSpan[];
  logs: readonly ReadableLogRecord[];
  /** One export per resource. */
  metrics: readonly ResourceMetrics[];
}

/** How many items of `signal` the batch holds (metrics: instruments). */
function itemCount(batch: SignalBatch, signal: Signal): number {
  if (signal === 'traces') return batch.spans.length;
  if (signal === 'logs') return batch.logs.length;
  return batch.metrics.reduce((n, rm) => n + rm.scopeMetrics.reduce((m, scope) => m + scope.metrics.length, 0), 0);
}

/** Signals the batch has items of and an exporter is configured for. */
export function sendableSignals(exporters: Exporters, batch: SignalBatch): Signal[] {
  return SIGNALS.filter((signal) => exporters[signal] !== undefined && itemCount(batch, signal) > 0);
}

/** Sends `signals` (default: every sendable one) of the batch; the outcome of each, as it settles. */
export function dispatch(
  exporters: Exporters,
  batch: SignalBatch,
  config: ExportConfig,
  signals: readonly Signal[] = sendableSignals(exporters, batch),
): { signal: Signal; attempt: Promise<ExportAttempt> }[] {
  return signals.map((signal) => ({ signal, attempt: sendSignal(exporters, batch, signal, config) }));
}

async function sendSignal(exporters: Exporters, batch: SignalBatch, signal: Signal, config: ExportConfig): Promise<ExportAttempt> {
  const target = config[signal];
  if (signal === 'traces' && exporters.traces) return sendWith(exporters.traces, [...batch.spans], target);
  if (signal === 'logs' && exporters.logs) return sendWith(exporters.logs, [...batch.logs], target);
  if (signal === 'metrics' && exporters.metrics) {
    const exporter = exporters.metrics;
    let last: ExportAttempt = { ok: true, durationMs: 0 };
    for (const resourceMetrics of batch.metrics) {
      last = await sendWith(exporter, resourceMetrics, target);
      if (!last.ok) return last;
    }
    return last;
  }
  return { ok: true, durationMs: 0 };
}

/** Sends each signal's encoded request (a stored session's) with that signal's request exporter, all at once. */
export function dispatchRequests(
  exporters: RequestExporters,
  requests: Partial<Record<Signal, EncodedRequest>>,
  config: ExportConfig,
): { signal: Signal; attempt: Promise<ExportAttempt> }[] {
  return SIGNALS.flatMap((signal) => {
    const exporter = exporters[signal];
    const request = requests[signal];
    return exporter && request ? [{ signal, attempt: sendParts(exporter, request, config[signal], config.maxRequestBytes) }] : [];
  });
}

/**
 * A request over the collector's size limit goes as several, one after the other; the signal
 * is accepted once every part was. A part refused stops the rest (a replay sends them all again).
 */
async function sendParts(exporter: RequestExporter, request: EncodedRequest, target: SignalExportConfig, maxBytes: number): Promise<ExportAttempt> {
  let durationMs = 0;
  for (const part of requestParts(request, maxBytes)) {
    const attempt = await sendWith(exporter, part, target);
    durationMs += attempt.durationMs;
    if (!attempt.ok) return { ...attempt, durationMs };
  }
  return { ok: true, durationMs };
}
