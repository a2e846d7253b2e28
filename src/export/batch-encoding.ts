import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { SIGNALS } from '../config/otlp-config.ts';
import type { ExportConfig, Signal } from '../config/otlp-config.ts';
import type { TelemetryBatch } from './session-buffer.ts';
import { sendsJson } from './request-exporters.ts';
import type { EncodedRequest } from './request-exporters.ts';
import { splitItems } from './request-split.ts';
import type { EncodeItems } from './request-split.ts';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { MetricData, ScopeMetrics } from '@opentelemetry/sdk-metrics';

// A flush's batch as export requests, each made once: every signal's OTLP JSON request is what
// the local store keeps and, byte for byte, what goes out over http/json or to the console; over
// gRPC and http/protobuf the signal goes as the OTLP protobuf request the exporters' own
// serializer writes from the same SDK objects, which is what encoding the stored JSON gives
// (otlp-json-to-protobuf.ts), so a replay of the chunk sends the bytes the live export sent.
// Encoding that protobuf from the JSON request instead would cost about three times as much
// CPU on a long session (protobufjs writes through an object per field).

const encoder = new TextEncoder();
const EMPTY_JSON = encoder.encode('{}');

/** One signal's OTLP JSON request and how many spans, log records or metrics it holds. */
export interface JsonRequest {
  json: Uint8Array;
  items: number;
}

export type JsonRequests = Partial<Record<Signal, JsonRequest>>;

/** Spans, log records or metrics (instruments) of `signal` in the batch. */
function itemCount(batch: TelemetryBatch, signal: Signal): number {
  if (signal === 'traces') return batch.spans.length;
  if (signal === 'logs') return batch.logs.length;
  return batch.metrics?.scopeMetrics.reduce((n, scope) => n + scope.metrics.length, 0) ?? 0;
}

function jsonRequest(batch: TelemetryBatch, signal: Signal): Uint8Array {
  if (signal === 'traces') return JsonTraceSerializer.serializeRequest(batch.spans) ?? EMPTY_JSON;
  if (signal === 'logs') return JsonLogsSerializer.serializeRequest(batch.logs) ?? EMPTY_JSON;
  return (batch.metrics && JsonMetricsSerializer.serializeRequest(batch.metrics)) ?? EMPTY_JSON;
}

/** Signals the batch has items of (metrics: once read, whatever their number). */
function signalsOf(batch: TelemetryBatch): Signal[] {
  return SIGNALS.filter((signal) => (signal === 'metrics' ? batch.metrics !== undefined : itemCount(batch, signal) > 0));
}

/** The OTLP JSON request of every signal the batch has items of. */
export function jsonRequests(batch: TelemetryBatch): JsonRequests {
  const out: JsonRequests = {};
  for (const signal of signalsOf(batch)) out[signal] = { json: jsonRequest(batch, signal), items: itemCount(batch, signal) };
  return out;
}

/**
 * A chunk file's bytes, `{"traces":…,"logs":…,"metrics":…}`, as pieces around the JSON requests
 * as they are: a long session's requests are never parsed back, serialised again or copied.
 */
export function chunkPieces(requests: JsonRequests): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (const signal of SIGNALS) {
    const request = requests[signal];
    if (request) pieces.push(encoder.encode(`${pieces.length === 0 ? '{' : ','}${JSON.stringify(signal)}:`), request.json);
  }
  pieces.push(encoder.encode(pieces.length === 0 ? '{}' : '}'));
  return pieces;
}

/** The JSON requests that go out as they are (http/json, the console): the others need not be kept once stored. */
export function sentAsJson(requests: JsonRequests, config: ExportConfig): JsonRequests {
  const out: JsonRequests = {};
  for (const signal of SIGNALS) {
    const request = requests[signal];
    if (request && config[signal].exporter !== 'none' && sendsJson(config[signal])) out[signal] = request;
  }
  return out;
}

function protobufRequest(batch: TelemetryBatch, signal: Signal): Uint8Array | undefined {
  if (signal === 'traces') return ProtobufTraceSerializer.serializeRequest(batch.spans);
  if (signal === 'logs') return ProtobufLogsSerializer.serializeRequest(batch.logs);
  return batch.metrics ? ProtobufMetricsSerializer.serializeRequest(batch.metrics) : undefined;
}

/**
 * The request each configured signal of the batch goes out as: its JSON request itself (the
 * stored one when the store took it), or the same data as protobuf.
 */
export function wireRequests(batch: TelemetryBatch, config: ExportConfig, json: JsonRequests = {}): Partial<Record<Signal, EncodedRequest>> {
  const out: Partial<Record<Signal, EncodedRequest>> = {};
  for (const signal of signalsOf(batch)) {
    const target = config[signal];
    if (target.exporter === 'none') continue;
    const asJson = sendsJson(target);
    const body = asJson ? (json[signal]?.json ?? jsonRequest(batch, signal)) : protobufRequest(batch, signal);
    if (body) out[signal] = { body, items: itemCount(batch, signal), split: (maxBytes) => splitBatch(batch, signal, asJson, maxBytes, body.length) };
  }
  return out;
}

interface PlacedMetric {
  scope: ScopeMetrics;
  metric: MetricData;
}

/** One signal of the batch as several requests, each at most `maxBytes` where one item allows (request-split.ts). */
function splitBatch(batch: TelemetryBatch, signal: Signal, asJson: boolean, maxBytes: number, wholeBytes: number): EncodedRequest[] {
  const empty = new Uint8Array(0);
  if (signal === 'traces') {
    const encode: EncodeItems<ReadableSpan> = (spans) =>
      (asJson ? JsonTraceSerializer.serializeRequest([...spans]) : ProtobufTraceSerializer.serializeRequest([...spans])) ?? empty;
    return splitItems(batch.spans, encode, maxBytes, wholeBytes);
  }
  if (signal === 'logs') {
    const encode: EncodeItems<ReadableLogRecord> = (logs) =>
      (asJson ? JsonLogsSerializer.serializeRequest([...logs]) : ProtobufLogsSerializer.serializeRequest([...logs])) ?? empty;
    return splitItems(batch.logs, encode, maxBytes, wholeBytes);
  }
  const metrics = batch.metrics;
  if (!metrics) return [];
  const placed: PlacedMetric[] = metrics.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => ({ scope, metric })));
  const encode: EncodeItems<PlacedMetric> = (group) => {
    const scopes = new Map<ScopeMetrics, MetricData[]>();
    for (const { scope, metric } of group) scopes.set(scope, [...(scopes.get(scope) ?? []), metric]);
    const part = { resource: metrics.resource, scopeMetrics: [...scopes].map(([scope, list]) => ({ scope: scope.scope, metrics: list })) };
    return (asJson ? JsonMetricsSerializer.serializeRequest(part) : ProtobufMetricsSerializer.serializeRequest(part)) ?? empty;
  };
  return splitItems(placed, encode, maxBytes, wholeBytes);
}
