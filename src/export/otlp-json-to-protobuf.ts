import protobuf from 'protobufjs/light.js';
import type { Type } from 'protobufjs';
import type { Signal } from '../config/otlp-config.ts';
import { OTLP_DESCRIPTOR } from './otlp-descriptor.ts';

// An OTLP JSON export request (what the JSON serializers write, and the local store keeps)
// as the OTLP protobuf request the protobuf serializers would have written for the same data.
// protobufjs does the encoding from the upstream message definitions (otlp-descriptor.ts,
// made from the vendored .proto files by scripts/otlp-descriptor.ts); this file only bridges
// the two places where OTLP JSON differs from protobufjs's JSON mapping: ids are hex, not
// base64, and a request must hold what protobufjs's `fromObject` takes.

export class OtlpJsonError extends Error {}

const REQUEST_TYPES: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
};

/** The fields OTLP JSON writes as hex (spans, links, log records and exemplars). */
const HEX_ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/**
 * Fields the JSON serializers write empty or zero where the protobuf serializers leave them out
 * (a log record without a body, a metric without a description or unit, a non-monotonic sum, an
 * exponential histogram's zero scale or offset). protobufjs writes every field an object has, so
 * they go, or the bytes would differ from a live export of the same data.
 */
function leftOutOfProtobuf(key: string, field: unknown): boolean {
  if (key === 'description' || key === 'unit') return field === '';
  if (key === 'isMonotonic') return field === false;
  if (key === 'scale' || key === 'offset' || key === 'aggregationTemporality') return field === 0;
  if (key === 'body') return typeof field === 'object' && field !== null && Object.keys(field).length === 0;
  return false;
}

let requestTypes: Record<Signal, Type> | undefined;

function requestType(signal: Signal): Type {
  if (!requestTypes) {
    const root = protobuf.Root.fromJSON(OTLP_DESCRIPTOR);
    requestTypes = {
      traces: root.lookupType(REQUEST_TYPES.traces),
      logs: root.lookupType(REQUEST_TYPES.logs),
      metrics: root.lookupType(REQUEST_TYPES.metrics),
    };
  }
  return requestTypes[signal];
}

/** Encodes one signal's OTLP JSON export request (parsed) as OTLP protobuf. */
export function otlpJsonToProtobuf(signal: Signal, request: unknown): Uint8Array {
  const type = requestType(signal);
  let message: protobuf.Message;
  try {
    message = type.fromObject(withBinaryIds(request, signal) as Record<string, unknown>);
  } catch (error) {
    throw new OtlpJsonError(`${signal}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return type.encode(message).finish();
}

/** A copy of `value` with every hex id as bytes, without what protobuf leaves out; the rest is fromObject's to judge. */
function withBinaryIds(value: unknown, where: string): unknown {
  if (Array.isArray(value)) return value.map((item, i) => withBinaryIds(item, `${where}[${i}]`));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (leftOutOfProtobuf(key, field)) continue;
    out[key] = HEX_ID_FIELDS.has(key) && typeof field === 'string' ? hexBytes(field, `${where}.${key}`) : withBinaryIds(field, `${where}.${key}`);
  }
  return out;
}

function hexBytes(hex: string, where: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new OtlpJsonError(`${where}: not a hex id`);
  return Buffer.from(hex, 'hex');
}
