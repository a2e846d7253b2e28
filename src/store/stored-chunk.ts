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

/** The items themselves are not looked into: the viewers and the exporters read them. */
const items = v.optional(v.array(v.unknown()));

const TRACES = v.object({ resourceSpans: v.optional(v.array(v.object({ scopeSpans: v.optional(v.array(v.object({ spans: items }))) }))) });
const LOGS = v.object({ resourceLogs: v.optional(v.array(v.object({ scopeLogs: v.optional(v.array(v.object({ logRecords: items }))) }))) });
const METRICS = v.object({
  resourceMetrics: v.optional(v.array(v.object({ scopeMetrics: v.optional(v.array(v.object({ metrics: items }))) }))),
});

export const STORED_CHUNK_SCHEMA = v.object({ traces: v.optional(TRACES), logs: v.optional(LOGS), metrics: v.optional(METRICS) });

/** Items in all scopes of all resources. */
function total(itemLists: (unknown[] | undefined)[] | undefined): number {
  return (itemLists ?? []).reduce((n, list) => n + (list?.length ?? 0), 0);
}

/** Where the first problem is, as `logs.resourceLogs[0].scopeLogs: expected an array`. */
function describe(issue: v.BaseIssue<unknown>): string {
  const where = (issue.path ?? []).map((item, i) => (typeof item.key === 'number' ? `[${item.key}]` : `${i > 0 ? '.' : ''}${String(item.key)}`)).join('');
  const expected = issue.expected === 'Array' ? 'an array' : issue.expected === 'Object' ? 'an object' : (issue.expected ?? 'something else');
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
