import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, AggregationType, DataPointType, AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { SpanBuffer, LogBuffer, ManualMetricReader } from '../../src/sinks/session-buffer.ts';
import { serializeChunk } from '../../src/sinks/wrapper-sdk.ts';
import { logRecordsFromOtlpJson, rehydrateChunk, resourceMetricsFromOtlpJson, spansFromOtlpJson, StoredChunkError } from '../../src/store/otlp-json-replay.ts';

// A stored chunk, rehydrated and serialized again, must be exactly what was stored: that is
// what makes a replayed session indistinguishable from one sent live.

const decoder = new TextDecoder();
const json = (bytes: Uint8Array | undefined): unknown => JSON.parse(decoder.decode(bytes));

const resource = resourceFromAttributes({ 'service.name': 'claude-otel', 'service.version': '0.1.0', 'process.pid': 4242, 'host.arch': 'x64' });

function recordSpans() {
  const buffer = new SpanBuffer();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [buffer] });
  const tracer = provider.getTracer('claude-otel', '0.1.0');
  const other = provider.getTracer('other-scope');
  const root = tracer.startSpan('claude.session', { startTime: [1_700_000_000, 123_456_789], attributes: { 'session.id': 'abc', 'claude.prompt_count': 2, 'claude.cost_usd': 0.0125, 'claude.interrupted': false } });
  const rootContext = trace.setSpan(context.active(), root);
  const chat = tracer.startSpan('chat claude-opus-4-8', { kind: SpanKind.CLIENT, attributes: { 'gen_ai.response.finish_reasons': ['tool_use', 'end_turn'], 'gen_ai.usage.input_tokens': 177, ratios: [0.5, 1.25], flags: [true, false] } }, rootContext);
  chat.addEvent('claude.api_error', { 'http.response.status_code': 529, 'error.message': 'overloaded' }, [1_700_000_001, 5]);
  chat.addEvent('bare event');
  chat.setStatus({ code: SpanStatusCode.ERROR, message: 'api_error' });
  chat.end([1_700_000_002, 999_999_999]);
  const remoteParent = trace.setSpanContext(context.active(), { traceId: '0123456789abcdef0123456789abcdef', spanId: '0123456789abcdef', traceFlags: TraceFlags.SAMPLED, isRemote: true });
  const linked = other.startSpan('execute_tool Bash', { kind: SpanKind.SERVER, links: [{ context: chat.spanContext(), attributes: { why: 'follows' } }, { context: root.spanContext() }] }, remoteParent);
  linked.setStatus({ code: SpanStatusCode.OK });
  linked.end();
  tracer.startSpan('producer', { kind: SpanKind.PRODUCER }, rootContext).end();
  tracer.startSpan('consumer', { kind: SpanKind.CONSUMER }, rootContext).end();
  root.end([1_700_000_003, 0]);
  return { spans: buffer.drain(), rootContext };
}

function recordLogs(rootContext: ReturnType<typeof context.active>) {
  const buffer = new LogBuffer();
  const provider = new LoggerProvider({ resource, processors: [buffer] });
  const logger = provider.getLogger('claude-otel', '0.1.0');
  logger.emit({ eventName: 'claude.session.start', severityNumber: SeverityNumber.INFO, severityText: 'INFO', attributes: { 'session.id': 'abc', 'claude.mode': 'print' }, context: rootContext, timestamp: [1_700_000_000, 5] });
  logger.emit({ eventName: 'claude.tool.error', severityNumber: SeverityNumber.ERROR, body: 'Exit code 7', attributes: { 'claude.tool.exit_code': 7, nested: { a: 1, b: ['x', 2.5] }, bytes: new Uint8Array([1, 2, 255]) } });
  logger.emit({ body: { structured: true, list: [1, 'two'] } });
  provider.getLogger('second-scope').emit({ body: 'plain' });
  return buffer.drain();
}

async function recordMetrics() {
  const reader = new ManualMetricReader();
  const provider = new MeterProvider({
    resource,
    readers: [reader],
    views: [{ instrumentName: 'claude.latency.exp', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const meter = provider.getMeter('claude-otel', '0.1.0');
  meter.createCounter('claude.session.count', { unit: '{session}', description: 'sessions' }).add(1, { 'claude.mode': 'print' });
  meter.createCounter('claude.cost.usage', { unit: 'USD' }).add(0.0125, { 'gen_ai.request.model': 'claude-opus-4-8' });
  meter.createUpDownCounter('claude.open').add(-2);
  const duration = meter.createHistogram('claude.session.duration', { unit: 's' });
  duration.record(1.5, { 'claude.mode': 'print' });
  duration.record(12, { 'claude.mode': 'print' });
  meter.createGauge('claude.queue').record(3);
  meter.createObservableGauge('claude.ratio').addCallback((result) => result.observe(0.75));
  const exp = meter.createHistogram('claude.latency.exp');
  for (const v of [0.1, 1, 10, 100]) exp.record(v);
  const metrics = await reader.read();
  assert.ok(metrics);
  return metrics;
}

test('spans: serialize → rehydrate → serialize gives the same OTLP JSON, and the same protobuf', () => {
  const { spans } = recordSpans();
  const stored = json(JsonTraceSerializer.serializeRequest(spans));
  const rehydrated = spansFromOtlpJson(stored);
  assert.deepEqual(json(JsonTraceSerializer.serializeRequest(rehydrated)), stored);
  assert.equal(decoder.decode(JsonTraceSerializer.serializeRequest(rehydrated)), decoder.decode(JsonTraceSerializer.serializeRequest(spans)));
  assert.deepEqual(ProtobufTraceSerializer.serializeRequest(rehydrated), ProtobufTraceSerializer.serializeRequest(spans));

  const [original, copy] = [spans.find((s) => s.name.startsWith('chat')), rehydrated.find((s) => s.name.startsWith('chat'))];
  assert.ok(original && copy);
  const { traceId, spanId, traceFlags } = original.spanContext();
  assert.deepEqual(copy.spanContext(), { traceId, spanId, traceFlags });
  assert.equal(copy.parentSpanContext?.spanId, original.parentSpanContext?.spanId);
  assert.equal(copy.kind, SpanKind.CLIENT);
  assert.deepEqual(copy.startTime, original.startTime);
  assert.deepEqual(copy.endTime, original.endTime);
  assert.deepEqual(copy.duration, original.duration);
  assert.equal(copy.ended, true);
  assert.deepEqual(copy.status, original.status);
  assert.deepEqual(copy.attributes, original.attributes);
  assert.deepEqual(copy.events.map((e) => [e.name, e.time, e.attributes]), original.events.map((e) => [e.name, e.time, e.attributes]));
  assert.deepEqual(copy.resource.attributes, resource.attributes);
  assert.deepEqual(copy.instrumentationScope, { name: 'claude-otel', version: '0.1.0' });
  const remote = rehydrated.find((s) => s.name === 'execute_tool Bash');
  assert.equal(remote?.parentSpanContext?.isRemote, true);
  assert.equal(remote?.links.length, 2);
  assert.equal(rehydrated.find((s) => s.name === 'claude.session')?.parentSpanContext, undefined);
});

test('log records: serialize → rehydrate → serialize gives the same OTLP JSON, and the same protobuf', () => {
  const { rootContext } = recordSpans();
  const logs = recordLogs(rootContext);
  const stored = json(JsonLogsSerializer.serializeRequest(logs));
  const rehydrated = logRecordsFromOtlpJson(stored);
  assert.deepEqual(json(JsonLogsSerializer.serializeRequest(rehydrated)), stored);
  assert.equal(decoder.decode(JsonLogsSerializer.serializeRequest(rehydrated)), decoder.decode(JsonLogsSerializer.serializeRequest(logs)));
  assert.deepEqual(ProtobufLogsSerializer.serializeRequest(rehydrated), ProtobufLogsSerializer.serializeRequest(logs));

  const start = rehydrated.find((l) => l.eventName === 'claude.session.start');
  assert.deepEqual(start?.spanContext, { traceId: trace.getSpanContext(rootContext)?.traceId, spanId: trace.getSpanContext(rootContext)?.spanId, traceFlags: TraceFlags.SAMPLED });
  assert.deepEqual(start?.hrTime, [1_700_000_000, 5]);
  const error = rehydrated.find((l) => l.eventName === 'claude.tool.error');
  assert.equal(error?.severityNumber, SeverityNumber.ERROR);
  assert.equal(error?.body, 'Exit code 7');
  assert.deepEqual(error?.attributes.nested, { a: 1, b: ['x', 2.5] });
  assert.deepEqual(error?.attributes.bytes, new Uint8Array([1, 2, 255]));
  assert.equal(error?.spanContext, undefined);
});

test('metrics: serialize → rehydrate → serialize gives the same OTLP JSON, and the same protobuf', async () => {
  const metrics = await recordMetrics();
  const stored = json(JsonMetricsSerializer.serializeRequest(metrics));
  const rehydrated = resourceMetricsFromOtlpJson(stored);
  assert.equal(rehydrated.length, 1);
  const [copy] = rehydrated;
  assert.ok(copy);
  assert.deepEqual(json(JsonMetricsSerializer.serializeRequest(copy)), stored);
  assert.equal(decoder.decode(JsonMetricsSerializer.serializeRequest(copy)), decoder.decode(JsonMetricsSerializer.serializeRequest(metrics)));
  assert.deepEqual(ProtobufMetricsSerializer.serializeRequest(copy), ProtobufMetricsSerializer.serializeRequest(metrics));

  const byName = new Map(copy.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m]));
  assert.equal(byName.get('claude.session.count')?.dataPointType, DataPointType.SUM);
  assert.equal(byName.get('claude.session.count')?.aggregationTemporality, AggregationTemporality.CUMULATIVE);
  assert.equal(byName.get('claude.session.duration')?.dataPointType, DataPointType.HISTOGRAM);
  assert.equal(byName.get('claude.queue')?.dataPointType, DataPointType.GAUGE);
  assert.equal(byName.get('claude.latency.exp')?.dataPointType, DataPointType.EXPONENTIAL_HISTOGRAM);
});

test('a whole chunk as the wrapper stores it comes back in one piece', async () => {
  const { spans, rootContext } = recordSpans();
  const logs = recordLogs(rootContext);
  const metrics = await recordMetrics();
  const chunk = JSON.parse(Buffer.from(serializeChunk({ spans, logs, metrics })).toString('utf8')) as unknown;
  const back = rehydrateChunk(chunk);
  assert.deepEqual(JSON.parse(Buffer.from(serializeChunk({ spans: back.spans, logs: back.logs, metrics: back.metrics[0] })).toString('utf8')), chunk);
  assert.deepEqual(rehydrateChunk({}), { spans: [], logs: [], metrics: [] });
});

test('a chunk that is not what the serializers write is a StoredChunkError naming the field', () => {
  assert.throws(() => rehydrateChunk(null), StoredChunkError);
  assert.throws(() => rehydrateChunk([]), StoredChunkError);
  assert.throws(() => spansFromOtlpJson({ resourceSpans: 'no' }), /resourceSpans: expected an array/);
  assert.throws(
    () => spansFromOtlpJson({ resourceSpans: [{ scopeSpans: [{ scope: { name: 's' }, spans: [{ name: 'x', traceId: 'zz', spanId: '0123456789abcdef', startTimeUnixNano: '1', endTimeUnixNano: '2' }] }] }] }),
    /spans\[0\]\.traceId: expected 32 hex digits/,
  );
  assert.throws(() => logRecordsFromOtlpJson({ resourceLogs: [{ scopeLogs: [{ scope: { name: 's' }, logRecords: [{ timeUnixNano: -1 }] }] }] }), StoredChunkError);
  assert.throws(() => resourceMetricsFromOtlpJson({ resourceMetrics: [{ scopeMetrics: [{ scope: { name: 's' }, metrics: [{ name: 'm' }] }] }] }), /metric m has no sum/);
});
