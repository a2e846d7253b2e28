import type { WrapperConfig } from '../config/wrapper-config.ts';
import { SIGNALS } from '../config/otlp-config.ts';
import type { SignalExportConfig } from '../config/otlp-config.ts';
import { replayPending } from './replay.ts';
import type { ReplayOptions, ReplayReport } from './replay.ts';
import type { DebugLog } from '../debug-log.ts';
import type { Deadline } from '../deadline.ts';

// Sessions the collector missed reach it later without anyone running a replay: a run whose
// own session was delivered (so the collector answers again) sends a few small undelivered
// chunks of earlier wrapper runs with what is left of its deadline. `claude-otel-ctl replay`
// does the rest, and alone sends sessions imported from transcripts. When to
// look, and the undelivered mark, are the flush protocol's (src/store/flush-protocol.ts).

/** At most this many chunks per run: the retry must stay a small part of an exit. */
const MAX_CHUNKS_PER_RUN = 10;
/** Bigger chunks (long sessions) take too long to read and send at exit; replay sends them. */
const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
/** With less time than this left, no retry is started. */
const MIN_BUDGET_MS = 200;

/** Each export may take at most half of what is left, so that a second chunk still fits. */
function withTimeout(config: SignalExportConfig, timeoutMs: number): SignalExportConfig {
  return { ...config, timeoutMs: Math.min(config.timeoutMs, timeoutMs) };
}

export interface RetryOptions {
  config: WrapperConfig;
  debugLog: DebugLog;
  /** The calling run, which sent its own session already. */
  excludeRunIds: readonly string[];
  /** The retry is over by then, exporters shut down included. */
  deadline: Deadline;
  openExporters?: ReplayOptions['openExporters'];
}

export interface RetryResult {
  report?: ReplayReport;
  /** Nothing the store holds could be sent by waiting: the undelivered mark may go. */
  nothingLeft: boolean;
}

export async function retryUndelivered(options: RetryOptions): Promise<RetryResult> {
  const { config, debugLog, deadline } = options;
  const budget = deadline.msLeft();
  if (budget < MIN_BUDGET_MS) return { nothingLeft: false };
  const timeoutMs = Math.floor(budget / 2);
  const exportConfig = { ...config.export };
  for (const signal of SIGNALS) exportConfig[signal] = withTimeout(exportConfig[signal], timeoutMs);
  const report = await replayPending({
    config: { ...config, export: exportConfig },
    debugLog,
    excludeRunIds: options.excludeRunIds,
    // The mark is for what wrapper runs missed; an import without --export was never meant to be sent.
    wrapperRunsOnly: true,
    maxChunks: MAX_CHUNKS_PER_RUN,
    maxChunkBytes: MAX_CHUNK_BYTES,
    deadline,
    ...(options.openExporters ? { openExporters: options.openExporters } : {}),
  });
  debugLog.log('debug', 'sent sessions the collector missed', {
    pending: report.pending,
    delivered: report.delivered.length,
    failed: report.failed.length,
    left: report.notTried.length + report.skipped.reduce((n, s) => n + s.pendingChunks, 0),
  });
  // A chunk that cannot be read, or has no exporter now, will not go by waiting: not a reason to look again.
  const retryable = report.failed.filter((f) => f.kind !== 'unreadable' && f.kind !== 'not-configured');
  const nothingLeft = retryable.length === 0 && report.notTried.length === 0 && report.skipped.length === 0;
  return { report, nothingLeft };
}
