import { SpanKind, SpanStatusCode, TraceFlags, ValueType } from '@opentelemetry/api';
import type { Attributes, AttributeValue, HrTime, Link, SpanContext, SpanStatus } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap, SeverityNumber } from '@opentelemetry/api-logs';
import { TraceState } from '@opentelemetry/core';
import type { InstrumentationScope } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { DataPoint, ExponentialHistogram, Histogram, MetricData, ResourceMetrics, ScopeMetrics } from '@opentelemetry/sdk-metrics';

// Turns the OTLP JSON export requests kept in the local store (JsonTraceSerializer,
// JsonLogsSerializer and JsonMetricsSerializer output) back into the objects the SDK
// exporters take, so a stored session can be sent later over any protocol. Serializing
// the result again gives the stored JSON back, byte for byte.
//
// Everything read from disk is checked here; a chunk that does not look like what the
// serializers write is a StoredChunkError, never a crash further down.

export class StoredChunkError extends Error {}

export interface RehydratedChunk {
  spans: ReadableSpan[];
  logs: ReadableLogRecord[];
  /** One per `resourceMetrics` entry; the wrapper writes one. */
  metrics: ResourceMetrics[];
}

/** A stored chunk (`{ traces?, logs?, metrics? }`) as SDK objects. */
export function rehydrateChunk(chunk: unknown): RehydratedChunk {
  const root = record(chunk, 'chunk');
  return {
    spans: root.traces === undefined ? [] : spansFromOtlpJson(root.traces),
    logs: root.logs === undefined ? [] : logRecordsFromOtlpJson(root.logs),
    metrics: root.metrics === undefined ? [] : resourceMetricsFromOtlpJson(root.metrics),
  };
}

// ---------------------------------------------------------------------------------------------
// Traces
// ---------------------------------------------------------------------------------------------

// OTLP's span kind is the API's plus one (0 is "unspecified", which the SDK never produces).
const SPAN_KINDS: readonly SpanKind[] = [SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER];
const STATUS_CODES: readonly SpanStatusCode[] = [SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR];
// Span flags: the low byte is the W3C trace flags; bit 9 says the parent was remote.
const SPAN_FLAGS_IS_REMOTE = 0x200;

/** An ExportTraceServiceRequest in OTLP JSON → spans, grouped as in the request. */
export function spansFromOtlpJson(request: unknown): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  list(record(request, 'traces').resourceSpans, 'resourceSpans').forEach((entry, r) => {
    const where = `resourceSpans[${r}]`;
    const resourceSpans = record(entry, where);
    // One Resource object per entry: the serializer groups by object identity.
    const resource = resourceOf(resourceSpans, where);
    list(resourceSpans.scopeSpans, `${where}.scopeSpans`).forEach((scopeEntry, s) => {
      const scopeWhere = `${where}.scopeSpans[${s}]`;
      const scopeSpans = record(scopeEntry, scopeWhere);
      const scope = scopeOf(scopeSpans, scopeWhere);
      list(scopeSpans.spans, `${scopeWhere}.spans`).forEach((span, i) => {
        spans.push(spanOf(record(span, `${scopeWhere}.spans[${i}]`), `${scopeWhere}.spans[${i}]`, resource, scope));
      });
    });
  });
  return spans;
}

function spanOf(span: Json, where: string, resource: Resource, instrumentationScope: InstrumentationScope): ReadableSpan {
  const flags = optionalInteger(span.flags, `${where}.flags`);
  const traceFlags = flags === undefined ? TraceFlags.SAMPLED : flags & 0xff;
  const traceState = optionalText(span.traceState, `${where}.traceState`);
  const context: SpanContext = {
    traceId: hexId(span.traceId, 32, `${where}.traceId`),
    spanId: hexId(span.spanId, 16, `${where}.spanId`),
    traceFlags,
    ...(traceState !== undefined ? { traceState: new TraceState(traceState) } : {}),
  };
  const parentSpanId = optionalText(span.parentSpanId, `${where}.parentSpanId`);
  const parentSpanContext: SpanContext | undefined = parentSpanId
    ? { traceId: context.traceId, spanId: hexId(parentSpanId, 16, `${where}.parentSpanId`), traceFlags, isRemote: ((flags ?? 0) & SPAN_FLAGS_IS_REMOTE) !== 0 }
    : undefined;
  const startTime = hrTime(span.startTimeUnixNano, `${where}.startTimeUnixNano`);
  const endTime = hrTime(span.endTimeUnixNano, `${where}.endTimeUnixNano`);
  const status = record(span.status ?? {}, `${where}.status`);
  const statusMessage = optionalText(status.message, `${where}.status.message`);
  const spanStatus: SpanStatus = {
    code: enumValue(STATUS_CODES, optionalInteger(status.code, `${where}.status.code`) ?? 0, `${where}.status.code`),
    ...(statusMessage !== undefined ? { message: statusMessage } : {}),
  };
  const kind = optionalInteger(span.kind, `${where}.kind`) ?? 0;
  return {
    name: text(span.name, `${where}.name`),
    kind: kind === 0 ? SpanKind.INTERNAL : enumValue(SPAN_KINDS, kind - 1, `${where}.kind`),
    spanContext: () => context,
    ...(parentSpanContext ? { parentSpanContext } : {}),
    startTime,
    endTime,
    duration: nanosToHrTime(hrTimeToNanos(endTime) - hrTimeToNanos(startTime)),
    ended: true,
    status: spanStatus,
    attributes: attributes(span.attributes, `${where}.attributes`),
    links: list(span.links, `${where}.links`).map((link, i) => linkOf(record(link, `${where}.links[${i}]`), `${where}.links[${i}]`)),
    events: list(span.events, `${where}.events`).map((event, i) => eventOf(record(event, `${where}.events[${i}]`), `${where}.events[${i}]`)),
    resource,
    instrumentationScope,
    droppedAttributesCount: optionalInteger(span.droppedAttributesCount, `${where}.droppedAttributesCount`) ?? 0,
    droppedEventsCount: optionalInteger(span.droppedEventsCount, `${where}.droppedEventsCount`) ?? 0,
    droppedLinksCount: optionalInteger(span.droppedLinksCount, `${where}.droppedLinksCount`) ?? 0,
  };
}

function linkOf(link: Json, where: string): Link {
  const flags = optionalInteger(link.flags, `${where}.flags`) ?? 0;
  const traceState = optionalText(link.traceState, `${where}.traceState`);
  const dropped = optionalInteger(link.droppedAttributesCount, `${where}.droppedAttributesCount`);
  return {
    context: {
      traceId: hexId(link.traceId, 32, `${where}.traceId`),
      spanId: hexId(link.spanId, 16, `${where}.spanId`),
      traceFlags: flags & 0xff,
      isRemote: (flags & SPAN_FLAGS_IS_REMOTE) !== 0,
      ...(traceState !== undefined ? { traceState: new TraceState(traceState) } : {}),
    },
    attributes: attributes(link.attributes, `${where}.attributes`),
    ...(dropped ? { droppedAttributesCount: dropped } : {}),
  };
}

function eventOf(event: Json, where: string): TimedEvent {
  const dropped = optionalInteger(event.droppedAttributesCount, `${where}.droppedAttributesCount`);
  return {
    name: text(event.name, `${where}.name`),
    time: hrTime(event.timeUnixNano, `${where}.timeUnixNano`),
    attributes: attributes(event.attributes, `${where}.attributes`),
    ...(dropped ? { droppedAttributesCount: dropped } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Logs
// ---------------------------------------------------------------------------------------------

const MAX_SEVERITY = 24;

type LogScope = ReadableLogRecord['instrumentationScope'];

/** An ExportLogsServiceRequest in OTLP JSON → log records, grouped as in the request. */
export function logRecordsFromOtlpJson(request: unknown): ReadableLogRecord[] {
  const records: ReadableLogRecord[] = [];
  list(record(request, 'logs').resourceLogs, 'resourceLogs').forEach((entry, r) => {
    const where = `resourceLogs[${r}]`;
    const resourceLogs = record(entry, where);
    const resource = resourceOf(resourceLogs, where);
    list(resourceLogs.scopeLogs, `${where}.scopeLogs`).forEach((scopeEntry, s) => {
      const scopeWhere = `${where}.scopeLogs[${s}]`;
      const scopeLogs = record(scopeEntry, scopeWhere);
      // One scope object per entry: the log serializer groups by object identity.
      const scope: LogScope = scopeOf(scopeLogs, scopeWhere);
      list(scopeLogs.logRecords, `${scopeWhere}.logRecords`).forEach((item, i) => {
        records.push(logRecordOf(record(item, `${scopeWhere}.logRecords[${i}]`), `${scopeWhere}.logRecords[${i}]`, resource, scope));
      });
    });
  });
  return records;
}

function logRecordOf(log: Json, where: string, resource: Resource, instrumentationScope: LogScope): ReadableLogRecord {
  const traceId = optionalText(log.traceId, `${where}.traceId`);
  const spanId = optionalText(log.spanId, `${where}.spanId`);
  const spanContext: SpanContext | undefined =
    traceId && spanId
      ? { traceId: hexId(traceId, 32, `${where}.traceId`), spanId: hexId(spanId, 16, `${where}.spanId`), traceFlags: optionalInteger(log.flags, `${where}.flags`) ?? TraceFlags.NONE }
      : undefined;
  const severityNumber = optionalInteger(log.severityNumber, `${where}.severityNumber`);
  const severityText = optionalText(log.severityText, `${where}.severityText`);
  const eventName = optionalText(log.eventName, `${where}.eventName`);
  const body = log.body === undefined ? undefined : anyValue(log.body, `${where}.body`);
  return {
    hrTime: hrTime(log.timeUnixNano, `${where}.timeUnixNano`),
    hrTimeObserved: hrTime(log.observedTimeUnixNano, `${where}.observedTimeUnixNano`),
    ...(spanContext ? { spanContext } : {}),
    ...(severityNumber !== undefined ? { severityNumber: severity(severityNumber, `${where}.severityNumber`) } : {}),
    ...(severityText !== undefined ? { severityText } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(eventName !== undefined ? { eventName } : {}),
    resource,
    instrumentationScope,
    attributes: anyValueMap(log.attributes, `${where}.attributes`),
    droppedAttributesCount: optionalInteger(log.droppedAttributesCount, `${where}.droppedAttributesCount`) ?? 0,
  };
}

function severity(value: number, where: string): SeverityNumber {
  if (value < 0 || value > MAX_SEVERITY) throw new StoredChunkError(`${where}: ${value} is not a severity number`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------

// OTLP's AggregationTemporality: 1 delta, 2 cumulative.
const OTLP_DELTA = 1;
const OTLP_CUMULATIVE = 2;

/** An ExportMetricsServiceRequest in OTLP JSON → one ResourceMetrics per resource. */
export function resourceMetricsFromOtlpJson(request: unknown): ResourceMetrics[] {
  return list(record(request, 'metrics').resourceMetrics, 'resourceMetrics').map((entry, r) => {
    const where = `resourceMetrics[${r}]`;
    const resourceMetrics = record(entry, where);
    return {
      resource: resourceOf(resourceMetrics, where),
      scopeMetrics: list(resourceMetrics.scopeMetrics, `${where}.scopeMetrics`).map((scopeEntry, s): ScopeMetrics => {
        const scopeWhere = `${where}.scopeMetrics[${s}]`;
        const scopeMetrics = record(scopeEntry, scopeWhere);
        return {
          scope: scopeOf(scopeMetrics, scopeWhere),
          metrics: list(scopeMetrics.metrics, `${scopeWhere}.metrics`).map((metric, m) => metricOf(record(metric, `${scopeWhere}.metrics[${m}]`), `${scopeWhere}.metrics[${m}]`)),
        };
      }),
    };
  });
}

function metricOf(metric: Json, where: string): MetricData {
  const name = text(metric.name, `${where}.name`);
  const description = optionalText(metric.description, `${where}.description`) ?? '';
  const unit = optionalText(metric.unit, `${where}.unit`) ?? '';
  if (metric.sum !== undefined) {
    const sum = record(metric.sum, `${where}.sum`);
    const points = singularPoints(sum.dataPoints, `${where}.sum.dataPoints`);
    return {
      descriptor: { name, description, unit, valueType: points.valueType },
      aggregationTemporality: temporality(sum.aggregationTemporality, `${where}.sum.aggregationTemporality`),
      dataPointType: DataPointType.SUM,
      dataPoints: points.dataPoints,
      isMonotonic: optionalBoolean(sum.isMonotonic, `${where}.sum.isMonotonic`) ?? false,
    };
  }
  if (metric.gauge !== undefined) {
    const gauge = record(metric.gauge, `${where}.gauge`);
    const points = singularPoints(gauge.dataPoints, `${where}.gauge.dataPoints`);
    return {
      descriptor: { name, description, unit, valueType: points.valueType },
      // OTLP gauges carry no temporality; the SDK's readers report cumulative.
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: points.dataPoints,
    };
  }
  if (metric.histogram !== undefined) {
    const histogram = record(metric.histogram, `${where}.histogram`);
    return {
      descriptor: { name, description, unit, valueType: ValueType.DOUBLE },
      aggregationTemporality: temporality(histogram.aggregationTemporality, `${where}.histogram.aggregationTemporality`),
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: list(histogram.dataPoints, `${where}.histogram.dataPoints`).map((point, i) => histogramPoint(record(point, `${where}.histogram.dataPoints[${i}]`), `${where}.histogram.dataPoints[${i}]`)),
    };
  }
  if (metric.exponentialHistogram !== undefined) {
    const histogram = record(metric.exponentialHistogram, `${where}.exponentialHistogram`);
    return {
      descriptor: { name, description, unit, valueType: ValueType.DOUBLE },
      aggregationTemporality: temporality(histogram.aggregationTemporality, `${where}.exponentialHistogram.aggregationTemporality`),
      dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
      dataPoints: list(histogram.dataPoints, `${where}.exponentialHistogram.dataPoints`).map((point, i) =>
        exponentialHistogramPoint(record(point, `${where}.exponentialHistogram.dataPoints[${i}]`), `${where}.exponentialHistogram.dataPoints[${i}]`),
      ),
    };
  }
  throw new StoredChunkError(`${where}: metric ${name} has no sum, gauge or histogram data`);
}

function temporality(value: unknown, where: string): AggregationTemporality {
  const n = optionalInteger(value, where);
  if (n === OTLP_DELTA) return AggregationTemporality.DELTA;
  if (n === OTLP_CUMULATIVE) return AggregationTemporality.CUMULATIVE;
  throw new StoredChunkError(`${where}: ${String(value)} is not an aggregation temporality (1 delta, 2 cumulative)`);
}

/** Sum and gauge points; the metric's value type follows asInt / asDouble. */
function singularPoints(value: unknown, where: string): { valueType: ValueType; dataPoints: DataPoint<number>[] } {
  let valueType: ValueType | undefined;
  const dataPoints = list(value, where).map((entry, i): DataPoint<number> => {
    const pointWhere = `${where}[${i}]`;
    const point = record(entry, pointWhere);
    const pointType = point.asInt !== undefined ? ValueType.INT : point.asDouble !== undefined ? ValueType.DOUBLE : undefined;
    if (pointType === undefined) throw new StoredChunkError(`${pointWhere}: neither asInt nor asDouble`);
    if (valueType !== undefined && valueType !== pointType) throw new StoredChunkError(`${pointWhere}: mixes integer and double points`);
    valueType = pointType;
    return {
      ...pointTimes(point, pointWhere),
      attributes: attributes(point.attributes, `${pointWhere}.attributes`),
      value: pointType === ValueType.INT ? integer(point.asInt, `${pointWhere}.asInt`) : double(point.asDouble, `${pointWhere}.asDouble`),
    };
  });
  return { valueType: valueType ?? ValueType.DOUBLE, dataPoints };
}

function histogramPoint(point: Json, where: string): DataPoint<Histogram> {
  const sum = optionalDouble(point.sum, `${where}.sum`);
  const min = optionalDouble(point.min, `${where}.min`);
  const max = optionalDouble(point.max, `${where}.max`);
  return {
    ...pointTimes(point, where),
    attributes: attributes(point.attributes, `${where}.attributes`),
    value: {
      buckets: {
        boundaries: list(point.explicitBounds, `${where}.explicitBounds`).map((b, i) => double(b, `${where}.explicitBounds[${i}]`)),
        counts: list(point.bucketCounts, `${where}.bucketCounts`).map((c, i) => integer(c, `${where}.bucketCounts[${i}]`)),
      },
      count: integer(point.count, `${where}.count`),
      ...(sum !== undefined ? { sum } : {}),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
    },
  };
}

function exponentialHistogramPoint(point: Json, where: string): DataPoint<ExponentialHistogram> {
  const sum = optionalDouble(point.sum, `${where}.sum`);
  const min = optionalDouble(point.min, `${where}.min`);
  const max = optionalDouble(point.max, `${where}.max`);
  const buckets = (value: unknown, bucketWhere: string) => {
    const b = record(value ?? {}, bucketWhere);
    return {
      offset: optionalInteger(b.offset, `${bucketWhere}.offset`) ?? 0,
      bucketCounts: list(b.bucketCounts, `${bucketWhere}.bucketCounts`).map((c, i) => integer(c, `${bucketWhere}.bucketCounts[${i}]`)),
    };
  };
  return {
    ...pointTimes(point, where),
    attributes: attributes(point.attributes, `${where}.attributes`),
    value: {
      count: integer(point.count, `${where}.count`),
      scale: optionalInteger(point.scale, `${where}.scale`) ?? 0,
      zeroCount: optionalInteger(point.zeroCount, `${where}.zeroCount`) ?? 0,
      positive: buckets(point.positive, `${where}.positive`),
      negative: buckets(point.negative, `${where}.negative`),
      ...(sum !== undefined ? { sum } : {}),
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
    },
  };
}

function pointTimes(point: Json, where: string): { startTime: HrTime; endTime: HrTime } {
  return { startTime: hrTime(point.startTimeUnixNano, `${where}.startTimeUnixNano`), endTime: hrTime(point.timeUnixNano, `${where}.timeUnixNano`) };
}

// ---------------------------------------------------------------------------------------------
// Shared: resource, scope, attributes, values
// ---------------------------------------------------------------------------------------------

function resourceOf(entry: Json, where: string): Resource {
  const resource = record(entry.resource ?? {}, `${where}.resource`);
  const schemaUrl = optionalText(resource.schemaUrl, `${where}.resource.schemaUrl`) ?? optionalText(entry.schemaUrl, `${where}.schemaUrl`);
  return resourceFromAttributes(attributes(resource.attributes, `${where}.resource.attributes`), schemaUrl ? { schemaUrl } : undefined);
}

function scopeOf(entry: Json, where: string): LogScope {
  const scope = record(entry.scope ?? {}, `${where}.scope`);
  const version = optionalText(scope.version, `${where}.scope.version`);
  const schemaUrl = optionalText(entry.schemaUrl, `${where}.schemaUrl`);
  const scopeAttributes = scope.attributes === undefined ? undefined : anyValueMap(scope.attributes, `${where}.scope.attributes`);
  const dropped = optionalInteger(scope.droppedAttributesCount, `${where}.scope.droppedAttributesCount`);
  return {
    name: text(scope.name, `${where}.scope.name`),
    ...(version !== undefined ? { version } : {}),
    ...(schemaUrl !== undefined ? { schemaUrl } : {}),
    ...(scopeAttributes !== undefined ? { attributes: scopeAttributes } : {}),
    ...(dropped !== undefined ? { droppedAttributesCount: dropped } : {}),
  };
}

/** Span, resource and metric attributes: scalars and arrays of one scalar type. */
function attributes(value: unknown, where: string): Attributes {
  const out: Attributes = {};
  for (const [key, item] of keyValues(value, where)) {
    const decoded = anyValue(item, `${where}.${key}`);
    if (!isAttributeValue(decoded)) throw new StoredChunkError(`${where}.${key}: not a valid attribute value`);
    out[key] = decoded;
  }
  return out;
}

/** Log attributes: any value, nested maps included. */
function anyValueMap(value: unknown, where: string): AnyValueMap {
  const out: AnyValueMap = {};
  for (const [key, item] of keyValues(value, where)) out[key] = anyValue(item, `${where}.${key}`);
  return out;
}

function keyValues(value: unknown, where: string): [string, unknown][] {
  return list(value, where).map((entry, i) => {
    const kv = record(entry, `${where}[${i}]`);
    return [text(kv.key, `${where}[${i}].key`), kv.value ?? {}];
  });
}

/** An OTLP AnyValue; the empty AnyValue (`{}`) is what the serializer writes for null and undefined. */
function anyValue(value: unknown, where: string): AnyValue {
  const v = record(value, where);
  if (v.stringValue !== undefined) return text(v.stringValue, where);
  if (v.boolValue !== undefined) return boolean(v.boolValue, where);
  if (v.intValue !== undefined) return integer(v.intValue, where);
  // A NaN or infinite double was written as null, so the key alone says it is a double.
  if ('doubleValue' in v) return double(v.doubleValue, where);
  if (v.bytesValue !== undefined) return new Uint8Array(Buffer.from(text(v.bytesValue, where), 'base64'));
  if (v.arrayValue !== undefined) return list(record(v.arrayValue, where).values, `${where}.values`).map((item, i) => anyValue(item, `${where}[${i}]`));
  if (v.kvlistValue !== undefined) return anyValueMap(record(v.kvlistValue, where).values, where);
  return undefined;
}

function isAttributeValue(value: AnyValue): value is AttributeValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
  if (!Array.isArray(value)) return false;
  const types = new Set(value.filter((item) => item !== null && item !== undefined).map((item) => typeof item));
  return types.size <= 1 && [...types].every((t) => t === 'string' || t === 'number' || t === 'boolean');
}

// ---------------------------------------------------------------------------------------------
// Checked reads of untyped JSON
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function record(value: unknown, where: string): Json {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
  throw new StoredChunkError(`${where}: expected an object`);
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw new StoredChunkError(`${where}: expected an array`);
}

function text(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  throw new StoredChunkError(`${where}: expected a string`);
}

function optionalText(value: unknown, where: string): string | undefined {
  return value === undefined || value === null ? undefined : text(value, where);
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  throw new StoredChunkError(`${where}: expected true or false`);
}

function optionalBoolean(value: unknown, where: string): boolean | undefined {
  return value === undefined || value === null ? undefined : boolean(value, where);
}

/** int64 values: JSON numbers as the SDK writes them, or decimal strings as OTLP/JSON allows. */
function integer(value: unknown, where: string): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n)) return n;
  throw new StoredChunkError(`${where}: expected an integer`);
}

function optionalInteger(value: unknown, where: string): number | undefined {
  return value === undefined || value === null ? undefined : integer(value, where);
}

/** JSON cannot hold NaN or ±Infinity: JSON.stringify wrote them as null; OTLP/JSON spells them out. */
function double(value: unknown, where: string): number {
  if (typeof value === 'number') return value;
  if (value === null) return Number.NaN;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw new StoredChunkError(`${where}: expected a number`);
}

function optionalDouble(value: unknown, where: string): number | undefined {
  return value === undefined ? undefined : double(value, where);
}

function hexId(value: unknown, length: number, where: string): string {
  const id = text(value, where);
  if (id.length === length && /^[0-9a-f]+$/i.test(id)) return id;
  throw new StoredChunkError(`${where}: expected ${length} hex digits`);
}

function enumValue<T>(values: readonly T[], index: number, where: string): T {
  const found = values[index];
  if (found === undefined) throw new StoredChunkError(`${where}: ${index} is out of range`);
  return found;
}

// Times are decimal strings of nanoseconds since the epoch; HrTime is [seconds, nanoseconds].
const NANOS_PER_SECOND = 1_000_000_000n;

function hrTime(value: unknown, where: string): HrTime {
  let nanos: bigint;
  if (typeof value === 'string' && /^\d+$/.test(value)) nanos = BigInt(value);
  else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) nanos = BigInt(value);
  else throw new StoredChunkError(`${where}: expected nanoseconds since the epoch`);
  return nanosToHrTime(nanos);
}

function nanosToHrTime(nanos: bigint): HrTime {
  return [Number(nanos / NANOS_PER_SECOND), Number(nanos % NANOS_PER_SECOND)];
}

function hrTimeToNanos(time: HrTime): bigint {
  return BigInt(time[0]) * NANOS_PER_SECOND + BigInt(time[1]);
}
