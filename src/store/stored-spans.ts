import { arrayField, isRecord, numberField, stringField, toFiniteNumber } from './json-value.ts';
import type { JsonRecord } from './json-value.ts';
import { ATTR_SESSION_ID } from '../telemetry/names.ts';

// Spans, and the session ids of log records, out of a chunk the reader (reader.ts) has checked: the
// OTLP JSON export requests the wrapper wrote (`{ traces: { resourceSpans: [...] }, logs: ... }`).

export type AttributeValue = string | number | boolean | AttributeValue[];

export interface StoredSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  kind: number;
  /** Epoch milliseconds (with a fraction). */
  startMs: number;
  endMs: number;
  attributes: Record<string, AttributeValue>;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage?: string;
  /** Span events (compactions, API errors), in time order. */
  events?: StoredSpanEvent[];
  /** The resource's attributes (one object shared by the spans of one resource). */
  resource?: Record<string, AttributeValue>;
}

export interface StoredSpanEvent {
  name: string;
  timeMs: number;
  attributes: Record<string, AttributeValue>;
}

export const STATUS_ERROR = 2;

export interface ParsedChunk {
  spans: StoredSpan[];
  /** `session.id` attributes of the chunk's log records (a run with no root span yet still has them). */
  logSessionIds: string[];
}

function anyValue(value: unknown): AttributeValue | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.stringValue === 'string') return value.stringValue;
  if (typeof value.boolValue === 'boolean') return value.boolValue;
  const int = toFiniteNumber(value.intValue);
  if (int !== undefined) return int;
  const double = toFiniteNumber(value.doubleValue);
  if (double !== undefined) return double;
  if (isRecord(value.arrayValue)) {
    const items = arrayField(value.arrayValue, 'values').map(anyValue);
    return items.filter((v): v is AttributeValue => v !== undefined);
  }
  return undefined;
}

export function attributesOf(list: unknown[]): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const key = stringField(entry, 'key');
    const value = anyValue(entry.value);
    if (key !== undefined && value !== undefined) out[key] = value;
  }
  return out;
}

/** The latest time a Date holds (ECMA-262): a later one throws where it is shown ("Invalid time value"). */
export const MAX_TIME_MS = 8.64e15;

/** Nanoseconds as OTLP JSON writes them (a decimal string, sometimes a number) → milliseconds a Date can hold. */
function nanosToMs(value: unknown): number | undefined {
  const ms = anyNanosToMs(value);
  return ms !== undefined && ms >= 0 && ms <= MAX_TIME_MS ? ms : undefined;
}

function anyNanosToMs(value: unknown): number | undefined {
  // A double cannot hold today's epoch nanoseconds exactly: split the string instead.
  if (typeof value === 'string' && /^\d{1,30}$/.test(value)) {
    const ns = BigInt(value);
    return Number(ns / 1_000_000n) + Number(ns % 1_000_000n) / 1e6;
  }
  const n = toFiniteNumber(value);
  return n === undefined ? undefined : Math.round(n / 1e3) / 1e3;
}

function eventsOf(raw: JsonRecord): StoredSpanEvent[] {
  const events: StoredSpanEvent[] = [];
  for (const entry of arrayField(raw, 'events')) {
    if (!isRecord(entry)) continue;
    const name = stringField(entry, 'name');
    const timeMs = nanosToMs(entry.timeUnixNano);
    if (name !== undefined && timeMs !== undefined) events.push({ name, timeMs, attributes: attributesOf(arrayField(entry, 'attributes')) });
  }
  return events.sort((a, b) => a.timeMs - b.timeMs);
}

function spanOf(raw: unknown, resource: Record<string, AttributeValue> | undefined): StoredSpan | undefined {
  if (!isRecord(raw)) return undefined;
  const spanId = stringField(raw, 'spanId');
  const name = stringField(raw, 'name');
  const startMs = nanosToMs(raw.startTimeUnixNano);
  const endMs = nanosToMs(raw.endTimeUnixNano);
  if (!spanId || name === undefined || startMs === undefined) return undefined;
  const status: JsonRecord = isRecord(raw.status) ? raw.status : {};
  const span: StoredSpan = {
    traceId: stringField(raw, 'traceId') ?? '',
    spanId,
    parentSpanId: stringField(raw, 'parentSpanId') ?? '',
    name,
    kind: numberField(raw, 'kind') ?? 0,
    startMs,
    endMs: endMs !== undefined && endMs >= startMs ? endMs : startMs,
    attributes: attributesOf(arrayField(raw, 'attributes')),
    statusCode: numberField(status, 'code') ?? 0,
    events: eventsOf(raw),
  };
  if (resource) span.resource = resource;
  const message = stringField(status, 'message');
  if (message) span.statusMessage = message;
  return span;
}

/** Throws when `chunk` is not an object at all; skips parts of it that are malformed. */
export function parseChunk(chunk: unknown): ParsedChunk {
  if (!isRecord(chunk)) throw new Error('not an OTLP export request');
  const spans: StoredSpan[] = [];
  const traces = isRecord(chunk.traces) ? chunk.traces : {};
  for (const resourceSpans of arrayField(traces, 'resourceSpans')) {
    if (!isRecord(resourceSpans)) continue;
    const resource = isRecord(resourceSpans.resource) ? attributesOf(arrayField(resourceSpans.resource, 'attributes')) : undefined;
    for (const scopeSpans of arrayField(resourceSpans, 'scopeSpans')) {
      if (!isRecord(scopeSpans)) continue;
      for (const raw of arrayField(scopeSpans, 'spans')) {
        const span = spanOf(raw, resource);
        if (span) spans.push(span);
      }
    }
  }
  const logSessionIds = new Set<string>();
  const logs = isRecord(chunk.logs) ? chunk.logs : {};
  for (const resourceLogs of arrayField(logs, 'resourceLogs')) {
    if (!isRecord(resourceLogs)) continue;
    for (const scopeLogs of arrayField(resourceLogs, 'scopeLogs')) {
      if (!isRecord(scopeLogs)) continue;
      for (const record of arrayField(scopeLogs, 'logRecords')) {
        if (!isRecord(record)) continue;
        const id = attributesOf(arrayField(record, 'attributes'))[ATTR_SESSION_ID];
        if (typeof id === 'string' && id) logSessionIds.add(id);
      }
    }
  }
  return { spans, logSessionIds: [...logSessionIds] };
}
