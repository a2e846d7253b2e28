import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import type { SignalExportConfig } from '../config/otlp-config.ts';
import { fileMtimeMs, UNDELIVERED_MARK_FILE } from '../store/local-store.ts';
import { replayPending } from './replay.ts';
import type { ReplayReport } from './replay.ts';
import type { DebugLog } from '../debug-log.ts';

// Sessions the collector missed reach it later without anyone running a replay: a run whose
// own session was delivered (so the collector answers again) sends a few small undelivered
// chunks with what is left of its flush budget. `claude-otel-ctl replay` does the rest.
//
// The store's undelivered mark (local-store.ts) says there may be something to send, so that
// runs do not look through the whole store on every exit. A retry that leaves nothing behind
// removes it, unless it was set again after the retry looked.

/** At most this many chunks per run: the retry must stay a small part of an exit. */
const MAX_CHUNKS_PER_RUN = 10;
/** Bigger chunks (long sessions) take too long to read and send at exit; replay sends them. */
const MAX_CHUNK_BYTES = 4 * 1024 * 1024;
/** Below this much budget, no retry is started. */
const MIN_BUDGET_MS = 200;

function markTime(stateDir: string): number | undefined {
  return fileMtimeMs(join(stateDir, UNDELIVERED_MARK_FILE));
}

/** Each export may take at most half of what is left, so that a second chunk still fits. */
function withTimeout(config: SignalExportConfig, timeoutMs: number): SignalExportConfig {
  return { ...config, timeoutMs: Math.min(config.timeoutMs, timeoutMs) };
}

export interface RetryOptions {
  config: WrapperConfig;
  debugLog: DebugLog;
  /** The calling run, which sent its own session already. */
  excludeRunIds: readonly string[];
  /** Epoch ms by which the retry is over, exporters shut down included. */
  deadline: number;
}

export async function retryUndelivered(options: RetryOptions): Promise<ReplayReport | undefined> {
  const { config, debugLog, deadline } = options;
  if (markTime(config.stateDir) === undefined) return undefined;
  const startedAt = Date.now();
  const budget = deadline - startedAt;
  if (budget < MIN_BUDGET_MS) return undefined;
  const timeoutMs = Math.floor(budget / 2);
  const exportConfig = config.export;
  const report = await replayPending({
    config: {
      ...config,
      export: {
        ...exportConfig,
        traces: withTimeout(exportConfig.traces, timeoutMs),
        logs: withTimeout(exportConfig.logs, timeoutMs),
        metrics: withTimeout(exportConfig.metrics, timeoutMs),
      },
    },
    debugLog,
    excludeRunIds: options.excludeRunIds,
    maxChunks: MAX_CHUNKS_PER_RUN,
    maxChunkBytes: MAX_CHUNK_BYTES,
    deadline,
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
  if (nothingLeft) {
    const marked = markTime(config.stateDir);
    try {
      if (marked !== undefined && marked < startedAt) unlinkSync(join(config.stateDir, UNDELIVERED_MARK_FILE));
    } catch {
      // another run removed it
    }
  }
  return report;
}
