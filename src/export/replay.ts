import type { WrapperConfig } from '../config/wrapper-config.ts';
import { SIGNALS } from '../config/otlp-config.ts';
import type { Signal, SignalExportConfig } from '../config/otlp-config.ts';
import { createRequestExporters, sendsJson, shutdownRequestExporters } from './request-exporters.ts';
import type { EncodedRequest, RequestExporters } from './request-exporters.ts';
import { sendRequests } from './send-requests.ts';
import { OtlpJsonError, otlpJsonToProtobuf } from './otlp-json-to-protobuf.ts';
import { placedItems, requestOf } from './otlp-json-split.ts';
import type { PlacedItem } from './otlp-json-split.ts';
import { splitItems } from './request-split.ts';
import type { EncodeItems } from './request-split.ts';
import type { FailureKind } from './classify-failure.ts';
import { listRuns } from '../store/local-store.ts';
import type { RunListing } from '../store/local-store.ts';
import { markChunkDelivered, markSignalDelivered, recordDeliveryFailure } from '../store/flush-protocol.ts';
import { RunLock } from '../store/run-lock.ts';
import { hasMeta, isImportedRun, isSignalDelivered, newestChunkTime, readChunk, undeliveredChunks } from '../store/reader.ts';
import type { Deadline } from '../deadline.ts';
import type { DebugLog } from '../debug-log.ts';
import { withoutUserinfo } from '../privacy/url-userinfo.ts';

// Sends what the local store holds but the collector never accepted, to the collector that
// is configured now: each stored OTLP JSON request as it is over http/json, encoded as OTLP
// protobuf over http/protobuf and gRPC, through the OTLP exporters' own transports
// (request-exporters.ts), as the live flush sends (send-requests.ts). A chunk is sent at most once
// (the marks are the flush protocol's, src/store/flush-protocol.ts):
//
//   - a replay takes a per-run lock (`<run dir>/replay.lock`, created with an atomic mkdir),
//     so two replays never work on the same run; a lock untouched for 10 minutes is stale;
//   - each signal a collector accepted is marked (`chunk-NNNN.<signal>.delivered`), so a chunk
//     whose logs failed does not send its spans again next time;
//   - `chunk-NNNN.delivered` is written once every configured signal was accepted, and a chunk
//     that has it is never sent again;
//   - a run the wrapper may still be writing (no meta.json yet, touched in the last 10
//     minutes) is left alone.

/** A run without meta.json is taken as abandoned (not still being written) after this long. */
export const IN_PROGRESS_GRACE_MS = 10 * 60_000;

export interface ReplayOptions {
  /** Resolved as the wrapper resolves it (resolveWrapperConfig). */
  config: WrapperConfig;
  debugLog?: DebugLog;
  /** Runs not to touch, e.g. the calling wrapper's own. */
  excludeRunIds?: readonly string[];
  /** Leave sessions imported from transcripts alone: they go when asked (replay, import --export), never unasked. */
  wrapperRunsOnly?: boolean;
  /** Stop once this many chunks were tried (a background caller keeps its work small). */
  maxChunks?: number;
  /** Leave chunks bigger than this (bytes) for a replay run by hand. */
  maxChunkBytes?: number;
  /** Start no chunk that could still be sending when it aborts; stop waiting then; exporters shut down by then too. */
  deadline?: Deadline;
  /** Makes the request exporters: the wrapper's own, unless a test gives others. */
  openExporters?: (config: WrapperConfig['export']) => Promise<RequestExporters>;
  /** Called as each chunk is settled, for progress output. */
  onChunk?: (result: DeliveredChunk | FailedChunk) => void;
}

export interface ChunkCounts {
  spans: number;
  logs: number;
  metrics: number;
}

export interface DeliveredChunk {
  status: 'delivered';
  runId: string;
  chunk: string;
  /** What was sent this time (signals accepted earlier are not sent again). */
  sent: ChunkCounts;
  endpoints: Partial<Record<Signal, string>>;
}

export type ChunkFailureKind = FailureKind | 'unreadable' | 'not-configured' | 'store';

export interface SignalFailure {
  signal: Signal;
  endpoint: string;
  kind: FailureKind;
  reason: string;
}

export interface FailedChunk {
  status: 'failed';
  runId: string;
  chunk: string;
  kind: ChunkFailureKind;
  /** One line: the endpoint and the reason. */
  reason: string;
  signals: SignalFailure[];
}

export interface SkippedRun {
  runId: string;
  reason: 'locked' | 'in-progress';
  pendingChunks: number;
}

export interface ReplayReport {
  /** Undelivered chunks found when the replay started. */
  pending: number;
  delivered: DeliveredChunk[];
  failed: FailedChunk[];
  /** Chunks left for next time because the collector failed on an earlier one. */
  notTried: { runId: string; chunk: string }[];
  skipped: SkippedRun[];
}

/** Undelivered chunks in the store, per run, oldest run first. */
export function pendingChunks(stateDir: string, excludeRunIds: readonly string[] = []): { run: RunListing; chunks: string[] }[] {
  return listRuns(stateDir)
    .filter((run) => !excludeRunIds.includes(run.runId))
    .map((run) => ({ run, chunks: run.chunks.filter((c) => !c.delivered).map((c) => c.name) }))
    .filter((entry) => entry.chunks.length > 0);
}

export async function replayPending(options: ReplayOptions): Promise<ReplayReport> {
  const report: ReplayReport = { pending: 0, delivered: [], failed: [], notTried: [], skipped: [] };
  const pending = pendingChunks(options.config.stateDir, options.excludeRunIds).filter(({ run }) => !options.wrapperRunsOnly || !isImportedRun(run.dir));
  report.pending = pending.reduce((n, entry) => n + entry.chunks.length, 0);
  if (report.pending === 0) return report;

  let exporters: RequestExporters | undefined;
  let stopped = false;
  let tried = 0;
  const longestTimeout = Math.max(...SIGNALS.map((signal) => options.config.export[signal].timeoutMs));
  const outOfTime = () => options.deadline !== undefined && options.deadline.msLeft() < longestTimeout;
  const tooBig = (run: RunListing, chunk: string) =>
    options.maxChunkBytes !== undefined && (run.chunks.find((c) => c.name === chunk)?.bytes ?? 0) > options.maxChunkBytes;
  try {
    for (const { run, chunks } of pending) {
      if (stopped || (options.maxChunks !== undefined && tried >= options.maxChunks) || outOfTime()) {
        report.notTried.push(...chunks.map((chunk) => ({ runId: run.runId, chunk })));
        continue;
      }
      if (mayStillBeWritten(run.dir, Date.now())) {
        report.skipped.push({ runId: run.runId, reason: 'in-progress', pendingChunks: chunks.length });
        continue;
      }
      const lock = RunLock.acquire(run.dir);
      if (!lock) {
        report.skipped.push({ runId: run.runId, reason: 'locked', pendingChunks: chunks.length });
        continue;
      }
      try {
        // Read again under the lock: another replay may have finished this run meanwhile.
        for (const chunk of undeliveredChunks(run.dir)) {
          if (stopped || (options.maxChunks !== undefined && tried >= options.maxChunks) || outOfTime() || tooBig(run, chunk) || !lock.held()) {
            report.notTried.push({ runId: run.runId, chunk });
            continue;
          }
          tried += 1;
          exporters ??= await (options.openExporters ?? createRequestExporters)(options.config.export);
          const result = await replayChunk(run, chunk, exporters, options);
          if (result.status === 'delivered') report.delivered.push(result);
          else {
            report.failed.push(result);
            if (stopsReplay(result)) stopped = true;
          }
          options.onChunk?.(result);
          lock.refresh();
        }
      } finally {
        lock.release();
      }
    }
  } finally {
    const shutdownWithinMs = options.deadline === undefined ? 2000 : options.deadline.msLeft();
    if (exporters) await shutdownRequestExporters(exporters, shutdownWithinMs);
  }
  return report;
}

async function replayChunk(run: RunListing, chunk: string, exporters: RequestExporters, options: ReplayOptions): Promise<DeliveredChunk | FailedChunk> {
  const { config, debugLog } = options;
  const fail = (kind: ChunkFailureKind, reason: string, signals: SignalFailure[] = []): FailedChunk => {
    debugLog?.log('warn', `replay of ${run.runId}/${chunk} failed: ${reason}`);
    try {
      // The viewing commands say why the run is still waiting.
      recordDeliveryFailure(run.dir, reason);
    } catch {
      // a store that cannot be written is reported by the chunk's own failure
    }
    return { status: 'failed', runId: run.runId, chunk, kind, reason, signals };
  };

  const read = readChunk(run.dir, chunk);
  if (!read.ok) return fail('unreadable', `cannot read ${chunk}.json: ${read.reason}`);
  const data = read.value;

  const present = SIGNALS.filter((signal) => data[signal] !== undefined);
  const configured = present.filter((signal) => exporters[signal] !== undefined);
  if (present.length > 0 && configured.length === 0) {
    return fail(
      'not-configured',
      `no exporter is configured for its ${present.join(', ')} (${present.map((s) => `OTEL_${s.toUpperCase()}_EXPORTER=${config.export[s].exporter}`).join(', ')})`,
    );
  }
  const toSend = configured.filter((signal) => !isSignalDelivered(run.dir, chunk, signal));
  const requests: Partial<Record<Signal, EncodedRequest>> = {};
  try {
    for (const signal of toSend) {
      const stored = data[signal];
      if (stored) requests[signal] = encodeRequest(signal, config.export[signal], stored);
    }
  } catch (error) {
    const detail = error instanceof OtlpJsonError ? error.message : String(error);
    return fail('unreadable', `cannot encode ${chunk}.json: ${detail}`);
  }

  const { outcomes } = await sendRequests(exporters, requests, config.export, options.deadline?.signal);
  const attempts = SIGNALS.flatMap((signal) => {
    const attempt = outcomes[signal];
    return attempt ? [{ signal, attempt }] : [];
  });
  const failures: SignalFailure[] = [];
  for (const { signal, attempt } of attempts) {
    const endpoint = withoutUserinfo(config.export[signal].url);
    if (attempt.ok) {
      try {
        markSignalDelivered(run.dir, chunk, signal);
      } catch (error) {
        return fail('store', `${signal} accepted by ${endpoint}, but the store could not record it: ${String(error)}`);
      }
      debugLog?.log('debug', `replayed ${signal} of ${run.runId}/${chunk}`, { endpoint });
    } else {
      failures.push({ signal, endpoint, kind: attempt.failure.kind, reason: attempt.failure.reason });
    }
  }
  const [first] = failures;
  if (first) {
    const others =
      failures.length > 1
        ? ` (also ${failures
            .slice(1)
            .map((f) => f.signal)
            .join(', ')})`
        : '';
    return fail(first.kind, `${first.signal} to ${first.endpoint}: ${first.reason}${others}`, failures);
  }
  try {
    markChunkDelivered(run.dir, chunk);
  } catch (error) {
    return fail('store', `accepted, but the store could not mark it delivered: ${String(error)}`);
  }
  const sent: ChunkCounts = { spans: 0, logs: 0, metrics: 0 };
  const endpoints: Partial<Record<Signal, string>> = {};
  for (const { signal } of attempts) {
    sent[signal === 'traces' ? 'spans' : signal] = data[signal]?.items ?? 0;
    endpoints[signal] = withoutUserinfo(config.export[signal].url);
  }
  return { status: 'delivered', runId: run.runId, chunk, sent, endpoints };
}

/**
 * A stored OTLP JSON request as `target` sends it: the stored JSON text itself over http/json
 * (and to the console), the same data as OTLP protobuf over http/protobuf and gRPC.
 */
function encodeRequest(
  signal: Signal,
  target: Pick<SignalExportConfig, 'protocol' | 'exporter'>,
  stored: { json: string; parsed: unknown; items: number },
): EncodedRequest {
  const asJson = sendsJson(target);
  const encode: EncodeItems<PlacedItem> = (items) => {
    const part = requestOf(signal, items);
    return asJson ? Buffer.from(JSON.stringify(part), 'utf8') : otlpJsonToProtobuf(signal, part);
  };
  const body = asJson ? Buffer.from(stored.json, 'utf8') : otlpJsonToProtobuf(signal, stored.parsed);
  return { body, items: stored.items, split: (maxBytes) => splitItems(placedItems(signal, stored.parsed), encode, maxBytes, body.length) };
}

/** A failure that says the collector is unusable right now, so the rest can wait. */
function stopsReplay(result: FailedChunk): boolean {
  if (result.kind === 'unreadable' || result.kind === 'not-configured') return false;
  // A payload the collector rejects is this chunk's problem, not the collector's.
  return !result.signals.every(
    (s) => (s.kind === 'http-status' && /^HTTP (400|413)\b/.test(s.reason)) || (s.kind === 'grpc-status' && /^gRPC INVALID_ARGUMENT/.test(s.reason)),
  );
}

/** The wrapper writes meta.json last; without it, a recently touched run may still be in use. */
function mayStillBeWritten(runDir: string, now: number): boolean {
  if (hasMeta(runDir)) return false;
  return now - newestChunkTime(runDir) < IN_PROGRESS_GRACE_MS;
}
