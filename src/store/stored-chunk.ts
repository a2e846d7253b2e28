import type { Signal } from '../config/otlp-config.ts';

// The shape of a chunk file of the local store: `{ traces?, logs?, metrics? }`, each an OTLP JSON
// export request as the JSON serializers wrote it. The requests are not turned back into SDK
// objects: replay sends them on as they are (encoded as protobuf where the protocol wants it), and
// the viewing commands read their spans. The reader (reader.ts) reads the file; this checks it.

export class StoredChunkError extends Error {}

export interface StoredRequest {
  /** The request's OTLP JSON text: the serializer's own bytes (it wrote JSON.stringify's output, which parsing and stringifying again reproduces). */
  json: string;
  parsed: unknown;
  /** Spans, log records or metrics in it. */
  items: number;
}

export type StoredRequests = Partial<Record<Signal, StoredRequest>>;

const SHAPES: Record<Signal, [string, string, string]> = {
  traces: ['resourceSpans', 'scopeSpans', 'spans'],
  logs: ['resourceLogs', 'scopeLogs', 'logRecords'],
  metrics: ['resourceMetrics', 'scopeMetrics', 'metrics'],
};

/** Checks one parsed chunk file; one that is not what the wrapper writes is a StoredChunkError. */
export function checkStoredChunk(chunk: unknown): StoredRequests {
  if (!isRecord(chunk)) throw new StoredChunkError('chunk: expected an object');
  const out: StoredRequests = {};
  for (const signal of Object.keys(SHAPES) as Signal[]) {
    const request = chunk[signal];
    if (request === undefined) continue;
    const items = countItems(signal, request);
    if (items > 0) out[signal] = { json: JSON.stringify(request), parsed: request, items };
  }
  return out;
}

/** Items in an OTLP JSON request, checking the three levels every request has. */
function countItems(signal: Signal, request: unknown): number {
  const [resources, scopes, items] = SHAPES[signal];
  if (!isRecord(request)) throw new StoredChunkError(`${signal}: expected an object`);
  let count = 0;
  list(request[resources], `${signal}.${resources}`).forEach((resource, r) => {
    const where = `${signal}.${resources}[${r}]`;
    if (!isRecord(resource)) throw new StoredChunkError(`${where}: expected an object`);
    list(resource[scopes], `${where}.${scopes}`).forEach((scope, s) => {
      if (!isRecord(scope)) throw new StoredChunkError(`${where}.${scopes}[${s}]: expected an object`);
      count += list(scope[items], `${where}.${scopes}[${s}].${items}`).length;
    });
  });
  return count;
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new StoredChunkError(`${where}: expected an array`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
