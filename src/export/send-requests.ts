import { SIGNALS } from '../config/otlp-config.ts';
import type { ExportConfig, Signal, SignalExportConfig } from '../config/otlp-config.ts';
import { sendWith } from './send-signal.ts';
import type { ExportAttempt } from './send-signal.ts';
import type { EncodedRequest, RequestExporter, RequestExporters } from './request-exporters.ts';
import { requestParts } from './request-split.ts';

// The one send path: each signal's encoded request to that signal's request exporter, all at
// once, until each settles or the deadline aborts. The live flush, the runs that send what
// earlier ones missed, `claude-otel-ctl replay` and `claude-otel-ctl doctor` all send this way,
// so a doctor that passes has sent as a session is sent.

export type SignalRequests = Partial<Record<Signal, EncodedRequest>>;

export interface SendReport {
  /** The outcome of each signal that had a request and an exporter. */
  outcomes: Partial<Record<Signal, ExportAttempt>>;
  /** Whether the deadline cut a send short. */
  timedOut: boolean;
}

export async function sendRequests(exporters: RequestExporters, requests: SignalRequests, config: ExportConfig, deadline?: AbortSignal): Promise<SendReport> {
  const sending = SIGNALS.flatMap((signal) => {
    const exporter = exporters[signal];
    const request = requests[signal];
    return exporter && request ? [{ signal, attempt: sendParts(exporter, request, config[signal], config.maxRequestBytes, deadline) }] : [];
  });
  const outcomes: Partial<Record<Signal, ExportAttempt>> = {};
  for (const { signal, attempt } of sending) outcomes[signal] = await attempt;
  const timedOut = deadline?.aborted === true && Object.values(outcomes).some((o) => !o.ok);
  return { outcomes, timedOut };
}

/**
 * A request over the collector's size limit goes as several, one after the other; the signal
 * is accepted once every part was. A part refused stops the rest (a replay sends them all again).
 */
async function sendParts(
  exporter: RequestExporter,
  request: EncodedRequest,
  target: SignalExportConfig,
  maxBytes: number,
  deadline: AbortSignal | undefined,
): Promise<ExportAttempt> {
  let durationMs = 0;
  for (const part of requestParts(request, maxBytes)) {
    const attempt = await sendWith(exporter, part, target, deadline);
    durationMs += attempt.durationMs;
    if (!attempt.ok) return { ...attempt, durationMs };
  }
  return { ok: true, durationMs };
}
