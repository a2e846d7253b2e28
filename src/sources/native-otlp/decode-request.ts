import protobuf from 'protobufjs/light.js';
import type { Type } from 'protobufjs';
import * as v from 'valibot';
import { OTLP_DESCRIPTOR } from '../../export/otlp-descriptor.ts';
import { otlpJsonToProtobuf } from '../../export/otlp-json-to-protobuf.ts';
import type { NativeAttributes, NativeBatch, NativeValue } from './native-records.ts';
import { emptyBatch } from './native-records.ts';

// One OTLP/HTTP export request from Claude Code, protobuf or JSON, decoded with the upstream
// message definitions the project already encodes with (otlp-descriptor.ts) and checked with
// schemas before anything reads it. A request that is not OTLP throws NativeDecodeError.

export type NativeSignal = 'traces' | 'logs' | 'metrics';

export class NativeDecodeError extends Error {}

const REQUEST_TYPES: Record<NativeSignal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
};

let types: Record<NativeSignal, Type> | undefined;
function requestType(signal: NativeSignal): Type {
  if (!types) {
    const root = protobuf.Root.fromJSON(OTLP_DESCRIPTOR);
    types = { traces: root.lookupType(REQUEST_TYPES.traces), logs: root.lookupType(REQUEST_TYPES.logs), metrics: root.lookupType(REQUEST_TYPES.metrics) };
  }
  return types[signal];
}

// The shapes protobufjs's toObject gives (longs as strings, bytes as base64, enums as numbers).
type AnyValueShape = {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: AnyValueShape[] };
  kvlistValue?: { values?: { key: string; value?: AnyValueShape }[] };
};
const ANY_VALUE: v.GenericSchema<AnyValueShape> = v.object({
  stringValue: v.optional(v.string()),
  boolValue: v.optional(v.boolean()),
  intValue: v.optional(v.string()),
  doubleValue: v.optional(v.number()),
  bytesValue: v.optional(v.string()),
  arrayValue: v.optional(v.object({ values: v.optional(v.array(v.lazy(() => ANY_VALUE))) })),
  kvlistValue: v.optional(v.object({ values: v.optional(v.array(v.object({ key: v.string(), value: v.optional(v.lazy(() => ANY_VALUE)) }))) })),
});
const KEY_VALUES = v.optional(v.array(v.object({ key: v.string(), value: v.optional(ANY_VALUE) })), []);
const LONG = v.optional(v.pipe(v.string(), v.regex(/^\d+$/)), '0');
const ID = v.optional(v.string(), '');
const SCOPE = v.optional(v.object({ name: v.optional(v.string(), '') }), { name: '' });

const SPAN = v.object({
  traceId: ID,
  spanId: ID,
  parentSpanId: ID,
  name: v.optional(v.string(), ''),
  kind: v.optional(v.number(), 0),
  startTimeUnixNano: LONG,
  endTimeUnixNano: LONG,
  attributes: KEY_VALUES,
  status: v.optional(v.object({ code: v.optional(v.number(), 0), message: v.optional(v.string(), '') }), {}),
  events: v.optional(v.array(v.object({ timeUnixNano: LONG, name: v.optional(v.string(), ''), attributes: KEY_VALUES })), []),
});
const TRACES = v.object({
  resourceSpans: v.optional(v.array(v.object({ scopeSpans: v.optional(v.array(v.object({ scope: SCOPE, spans: v.optional(v.array(SPAN), []) })), []) })), []),
});
const LOG = v.object({
  timeUnixNano: LONG,
  observedTimeUnixNano: LONG,
  severityNumber: v.optional(v.number(), 0),
  severityText: v.optional(v.string(), ''),
  body: v.optional(ANY_VALUE),
  attributes: KEY_VALUES,
  traceId: ID,
  spanId: ID,
  eventName: v.optional(v.string(), ''),
});
const LOGS = v.object({
  resourceLogs: v.optional(v.array(v.object({ scopeLogs: v.optional(v.array(v.object({ scope: SCOPE, logRecords: v.optional(v.array(LOG), []) })), []) })), []),
});
const NUMBER_POINT = v.object({
  attributes: KEY_VALUES,
  startTimeUnixNano: LONG,
  timeUnixNano: LONG,
  asDouble: v.optional(v.number()),
  asInt: v.optional(v.pipe(v.string(), v.regex(/^-?\d+$/))),
});
const POINTS = v.optional(v.array(v.unknown()), []);
const METRIC = v.object({
  name: v.optional(v.string(), ''),
  description: v.optional(v.string(), ''),
  unit: v.optional(v.string(), ''),
  sum: v.optional(
    v.object({
      dataPoints: v.optional(v.array(NUMBER_POINT), []),
      aggregationTemporality: v.optional(v.number(), 0),
      isMonotonic: v.optional(v.boolean(), false),
    }),
  ),
  gauge: v.optional(v.object({ dataPoints: v.optional(v.array(NUMBER_POINT), []) })),
  histogram: v.optional(v.object({ dataPoints: POINTS })),
  exponentialHistogram: v.optional(v.object({ dataPoints: POINTS })),
  summary: v.optional(v.object({ dataPoints: POINTS })),
});
const METRICS = v.object({
  resourceMetrics: v.optional(
    v.array(v.object({ scopeMetrics: v.optional(v.array(v.object({ scope: SCOPE, metrics: v.optional(v.array(METRIC), []) })), []) })),
    [],
  ),
});

function hex(base64: string): string {
  return Buffer.from(base64, 'base64').toString('hex');
}

function anyValue(value: AnyValueShape | undefined): NativeValue | undefined {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue) {
    const items = (value.arrayValue.values ?? []).map(anyValue);
    const primitives = items.filter((item): item is string | number | boolean => item !== undefined && !Array.isArray(item));
    // OpenTelemetry attribute arrays hold one primitive type; anything else is kept as its JSON text.
    const kinds = new Set(primitives.map((p) => typeof p));
    if (primitives.length === items.length && kinds.size <= 1) return primitives as string[] | number[] | boolean[];
    return JSON.stringify(items);
  }
  if (value.kvlistValue) return JSON.stringify(Object.fromEntries((value.kvlistValue.values ?? []).map((kv) => [kv.key, anyValue(kv.value) ?? null])));
  return undefined;
}

function attributes(list: { key: string; value?: AnyValueShape | undefined }[]): NativeAttributes {
  const out: NativeAttributes = {};
  for (const { key, value } of list) {
    const decoded = anyValue(value);
    if (decoded !== undefined) out[key] = decoded;
  }
  return out;
}

function decodeObject(signal: NativeSignal, body: Uint8Array): unknown {
  const type = requestType(signal);
  try {
    const message = type.decode(body);
    return type.toObject(message, { longs: String, bytes: String, enums: Number, defaults: false, arrays: true });
  } catch (error) {
    throw new NativeDecodeError(`not an OTLP ${signal} request: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parsed<T extends v.GenericSchema>(schema: T, value: unknown, signal: NativeSignal): v.InferOutput<T> {
  const result = v.safeParse(schema, value);
  if (!result.success) throw new NativeDecodeError(`not an OTLP ${signal} request: ${v.summarize(result.issues).split('\n')[0]}`);
  return result.output;
}

/** The request's records; `json`: the body is OTLP JSON (http/json) rather than protobuf. */
export function decodeNativeRequest(signal: NativeSignal, body: Uint8Array, json: boolean): NativeBatch {
  let bytes = body;
  if (json) {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(body).toString('utf8'));
      // The JSON mapping differs from protobufjs's in its ids: one encoder bridges it (otlp-json-to-protobuf.ts).
      bytes = otlpJsonToProtobuf(signal, value);
    } catch (error) {
      throw new NativeDecodeError(`not an OTLP ${signal} request: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const object = decodeObject(signal, bytes);
  const batch = emptyBatch();
  if (signal === 'traces') {
    for (const resource of parsed(TRACES, object, signal).resourceSpans)
      for (const scope of resource.scopeSpans)
        for (const span of scope.spans)
          batch.spans.push({
            traceId: hex(span.traceId),
            spanId: hex(span.spanId),
            parentSpanId: hex(span.parentSpanId),
            name: span.name,
            kind: span.kind,
            startNs: BigInt(span.startTimeUnixNano),
            endNs: BigInt(span.endTimeUnixNano),
            attributes: attributes(span.attributes),
            status: { code: span.status.code ?? 0, message: span.status.message ?? '' },
            events: span.events.map((e) => ({ name: e.name, timeNs: BigInt(e.timeUnixNano), attributes: attributes(e.attributes) })),
            scope: scope.scope.name,
          });
  } else if (signal === 'logs') {
    for (const resource of parsed(LOGS, object, signal).resourceLogs)
      for (const scope of resource.scopeLogs)
        for (const log of scope.logRecords) {
          const body = anyValue(log.body);
          batch.logs.push({
            timeNs: BigInt(log.timeUnixNano !== '0' ? log.timeUnixNano : log.observedTimeUnixNano),
            severityNumber: log.severityNumber,
            severityText: log.severityText,
            body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
            eventName: log.eventName,
            attributes: attributes(log.attributes),
            traceId: hex(log.traceId),
            spanId: hex(log.spanId),
            scope: scope.scope.name,
          });
        }
  } else {
    for (const resource of parsed(METRICS, object, signal).resourceMetrics)
      for (const scope of resource.scopeMetrics)
        for (const metric of scope.metrics) {
          const data = metric.sum ?? metric.gauge;
          if (!data) {
            batch.skippedPoints += (metric.histogram ?? metric.exponentialHistogram ?? metric.summary)?.dataPoints.length ?? 0;
            continue;
          }
          for (const point of data.dataPoints) {
            const value = point.asDouble ?? (point.asInt !== undefined ? Number(point.asInt) : undefined);
            if (value === undefined || !Number.isFinite(value)) continue;
            batch.metrics.push({
              name: metric.name,
              unit: metric.unit,
              description: metric.description,
              type: metric.sum ? 'sum' : 'gauge',
              monotonic: metric.sum?.isMonotonic ?? false,
              temporality: metric.sum?.aggregationTemporality ?? 0,
              attributes: attributes(point.attributes),
              value,
              startNs: BigInt(point.startTimeUnixNano),
              timeNs: BigInt(point.timeUnixNano),
            });
          }
        }
  }
  return batch;
}
