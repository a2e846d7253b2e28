import * as v from 'valibot';
import type { Signal } from '../config/otlp-config.ts';

// The shape of a chunk file of the local store: `{ traces?, logs?, metrics? }`, each an OTLP JSON
// export request as the JSON serializers wrote it. The requests are not turned back into SDK
// objects: replay sends them on as they are (encoded as protobuf where the protocol wants it), and
// the viewing commands read their spans. The reader (reader.ts) reads the file; this checks it,
// down to the three levels every request has.

export class StoredChunkError extends Error {}

export interface StoredRequest {
  /** The request's OTLP JSON text: the serializer's own bytes (it wrote JSON.stringify's output, which parsing and stringifying again reproduces). */
  json: string;
  parsed: unknown;
  /** Spans, log records or metrics in it. */
  items: number;
}

export type StoredRequests = Partial<Record<Signal, StoredRequest>>;

// Each item's fields that the exporters encode and the viewers read must be of their OTLP JSON
// type: a chunk with `"traceId": 5` would otherwise be sent on as it is, and marked delivered.
// Fields not named here are carried as they are.

/** 64-bit integers: OTLP JSON writes them as decimal strings, sometimes as numbers. */
const int64 = v.union([v.pipe(v.string(), v.regex(/^-?\d{1,20}$/)), v.pipe(v.number(), v.integer())]);
const attributes = v.optional(v.array(v.object({ key: v.string(), value: v.optional(v.record(v.string(), v.unknown())) })));

const SPAN = v.object({
  traceId: v.string(),
  spanId: v.string(),
  parentSpanId: v.optional(v.string()),
  name: v.string(),
  kind: v.optional(v.pipe(v.number(), v.integer())),
  startTimeUnixNano: v.optional(int64),
  endTimeUnixNano: v.optional(int64),
  attributes,
  events: v.optional(v.array(v.object({ name: v.string(), timeUnixNano: v.optional(int64), attributes }))),
  status: v.optional(v.object({ code: v.optional(v.pipe(v.number(), v.integer())), message: v.optional(v.string()) })),
});
const LOG_RECORD = v.object({
  timeUnixNano: v.optional(int64),
  observedTimeUnixNano: v.optional(int64),
  severityNumber: v.optional(v.pipe(v.number(), v.integer())),
  severityText: v.optional(v.string()),
  attributes,
});
const METRIC = v.object({ name: v.string() });

const TRACES = v.object({ resourceSpans: v.optional(v.array(v.object({ scopeSpans: v.optional(v.array(v.object({ spans: v.optional(v.array(SPAN)) }))) }))) });
const LOGS = v.object({
  resourceLogs: v.optional(v.array(v.object({ scopeLogs: v.optional(v.array(v.object({ logRecords: v.optional(v.array(LOG_RECORD)) }))) }))),
});
const METRICS = v.object({
  resourceMetrics: v.optional(v.array(v.object({ scopeMetrics: v.optional(v.array(v.object({ metrics: v.optional(v.array(METRIC)) }))) }))),
});

export const STORED_CHUNK_SCHEMA = v.object({ traces: v.optional(TRACES), logs: v.optional(LOGS), metrics: v.optional(METRICS) });

/** Items in all scopes of all resources. */
function total(itemLists: (unknown[] | undefined)[] | undefined): number {
  return (itemLists ?? []).reduce((n, list) => n + (list?.length ?? 0), 0);
}

/** Where the first problem is, as `logs.resourceLogs[0].scopeLogs: expected an array`. */
function describe(issue: v.BaseIssue<unknown>): string {
  const where = (issue.path ?? []).map((item, i) => (typeof item.key === 'number' ? `[${item.key}]` : `${i > 0 ? '.' : ''}${String(item.key)}`)).join('');
  const expected = (issue.expected ?? 'something else').replace(/\bArray\b/g, 'an array').replace(/\bObject\b/g, 'an object');
  return `${where || 'chunk'}: expected ${expected}`;
}

/** Checks one parsed chunk file; one that is not what the wrapper writes is a StoredChunkError. */
export function checkStoredChunk(chunk: unknown): StoredRequests {
  // valibot's object schema passes an array; neither a chunk nor a request is one.
  if (Array.isArray(chunk)) throw new StoredChunkError('chunk: expected an object');
  const result = v.safeParse(STORED_CHUNK_SCHEMA, chunk, { abortEarly: true });
  if (!result.success) throw new StoredChunkError(describe(result.issues[0]));
  const { traces, logs, metrics } = result.output;
  const items: Record<Signal, number> = {
    traces: total(traces?.resourceSpans?.flatMap((r) => r.scopeSpans ?? []).map((s) => s.spans)),
    logs: total(logs?.resourceLogs?.flatMap((r) => r.scopeLogs ?? []).map((s) => s.logRecords)),
    metrics: total(metrics?.resourceMetrics?.flatMap((r) => r.scopeMetrics ?? []).map((s) => s.metrics)),
  };
  const out: StoredRequests = {};
  for (const signal of ['traces', 'logs', 'metrics'] as const) {
    const request: unknown = Reflect.get(chunk as object, signal);
    if (Array.isArray(request)) throw new StoredChunkError(`${signal}: expected an object`);
    if (items[signal] > 0) out[signal] = { json: JSON.stringify(request), parsed: request, items: items[signal] };
  }
  return out;
}
