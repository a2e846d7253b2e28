import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, AggregationType } from '@opentelemetry/sdk-metrics';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { SpanBuffer, LogBuffer, ManualMetricReader } from '../../../src/export/session-buffer.ts';
import { chunkPieces, jsonRequests, sentAsJson, wireRequests } from '../../../src/export/batch-encoding.ts';
import type { ExportConfig, SignalExportConfig } from '../../../src/config/otlp-config.ts';
import { otlpJsonToProtobuf, OtlpJsonError } from '../../../src/export/otlp-json-to-protobuf.ts';
import { otlpDescriptorFromProtos } from '../../../scripts/otlp-descriptor-source.ts';
import { OTLP_DESCRIPTOR } from '../../../src/export/otlp-descriptor.ts';

// Replay sends a stored session over http/protobuf and gRPC by encoding its stored OTLP JSON
// as protobuf. For the same data, that must be exactly the bytes the SDK's own protobuf
// serializers write when the session is sent live.

const decoder = new TextDecoder();
const json = (bytes: Uint8Array | undefined): unknown => JSON.parse(decoder.decode(bytes));
/** Bytes as hex, so that a difference shows where it is. */
const hex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('hex');

const resource = resourceFromAttributes({ 'service.name': 'claude-otel', 'service.version': '0.1.0', 'process.pid': 4242, 'host.arch': 'x64' });

function recordSpans() {
  const buffer = new SpanBuffer();
  const provider = new BasicTracerProvider({ resource, spanProcessors: [buffer] });
  const tracer = provider.getTracer('claude-otel', '0.1.0');
  const other = provider.getTracer('other-scope');
  const root = tracer.startSpan('claude.session', {
    startTime: [1_700_000_000, 123_456_789],
    attributes: { 'session.id': 'abc', 'claude.prompt_count': 2, 'claude.cost_usd': 0.0125, 'claude.interrupted': false },
  });
  const rootContext = trace.setSpan(context.active(), root);
  const chat = tracer.startSpan(
    'chat claude-opus-4-8',
    {
      kind: SpanKind.CLIENT,
      attributes: { 'gen_ai.response.finish_reasons': ['tool_use', 'end_turn'], 'gen_ai.usage.input_tokens': 177, ratios: [0.5, 1.25], flags: [true, false] },
    },
    rootContext,
  );
  chat.addEvent('claude.api_error', { 'http.response.status_code': 529, 'error.message': 'overloaded' }, [1_700_000_001, 5]);
  chat.addEvent('bare event');
  chat.setStatus({ code: SpanStatusCode.ERROR, message: 'api_error' });
  chat.end([1_700_000_002, 999_999_999]);
  const remoteParent = trace.setSpanContext(context.active(), {
    traceId: '0123456789abcdef0123456789abcdef',
    spanId: '0123456789abcdef',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
  });
  const linked = other.startSpan(
    'execute_tool Bash',
    { kind: SpanKind.SERVER, links: [{ context: chat.spanContext(), attributes: { why: 'follows' } }, { context: root.spanContext() }] },
    remoteParent,
  );
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
  logger.emit({
    eventName: 'claude.session.start',
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
    attributes: { 'session.id': 'abc', 'claude.mode': 'print' },
    context: rootContext,
    timestamp: [1_700_000_000, 5],
  });
  logger.emit({
    eventName: 'claude.tool.error',
    severityNumber: SeverityNumber.ERROR,
    body: 'Exit code 7',
    attributes: { 'claude.tool.exit_code': 7, nested: { a: 1, b: ['x', 2.5] }, bytes: new Uint8Array([1, 2, 255]) },
  });
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

test('spans: the stored OTLP JSON encodes to the bytes ProtobufTraceSerializer writes', () => {
  const { spans } = recordSpans();
  const stored = json(JsonTraceSerializer.serializeRequest(spans));
  assert.equal(hex(otlpJsonToProtobuf('traces', stored)), hex(ProtobufTraceSerializer.serializeRequest(spans)));
});

test('log records: the stored OTLP JSON encodes to the bytes ProtobufLogsSerializer writes', () => {
  const { rootContext } = recordSpans();
  const logs = recordLogs(rootContext);
  const stored = json(JsonLogsSerializer.serializeRequest(logs));
  assert.equal(hex(otlpJsonToProtobuf('logs', stored)), hex(ProtobufLogsSerializer.serializeRequest(logs)));
});

test('metrics: the stored OTLP JSON encodes to the bytes ProtobufMetricsSerializer writes', async () => {
  const metrics = await recordMetrics();
  const stored = json(JsonMetricsSerializer.serializeRequest(metrics));
  assert.equal(hex(otlpJsonToProtobuf('metrics', stored)), hex(ProtobufMetricsSerializer.serializeRequest(metrics)));
});

test('each signal of a chunk as the wrapper stores it encodes as that signal was sent', async () => {
  const { spans, rootContext } = recordSpans();
  const logs = recordLogs(rootContext);
  const metrics = await recordMetrics();
  const chunk = JSON.parse(Buffer.concat(chunkPieces(jsonRequests({ spans, logs, metrics }))).toString('utf8')) as Record<string, unknown>;
  assert.equal(hex(otlpJsonToProtobuf('traces', chunk.traces)), hex(ProtobufTraceSerializer.serializeRequest(spans)));
  assert.equal(hex(otlpJsonToProtobuf('logs', chunk.logs)), hex(ProtobufLogsSerializer.serializeRequest(logs)));
  assert.equal(hex(otlpJsonToProtobuf('metrics', chunk.metrics)), hex(ProtobufMetricsSerializer.serializeRequest(metrics)));
});

function exportConfig(protocol: SignalExportConfig['protocol'], exporter: SignalExportConfig['exporter'] = 'otlp'): ExportConfig {
  const target = (signal: SignalExportConfig['signal']): SignalExportConfig => ({
    signal,
    exporter,
    protocol,
    url: 'http://127.0.0.1:4317',
    headers: {},
    timeoutMs: 1000,
    compression: 'none',
  });
  return { traces: target('traces'), logs: target('logs'), metrics: target('metrics'), endpoint: undefined, maxRequestBytes: 4 * 1024 * 1024, warnings: [] };
}

test('a live flush sends the stored JSON requests themselves over http/json, and their protobuf encoding over gRPC and http/protobuf', async () => {
  const { spans, rootContext } = recordSpans();
  const logs = recordLogs(rootContext);
  const metrics = await recordMetrics();
  const batch = { spans, logs, metrics };
  const stored = jsonRequests(batch);
  const chunk = JSON.parse(Buffer.concat(chunkPieces(stored)).toString('utf8')) as Record<string, unknown>;

  const overJson = wireRequests(batch, exportConfig('http/json'), stored);
  assert.equal(overJson.traces?.body, stored.traces?.json, 'the stored bytes, not a second serialisation');
  assert.equal(overJson.logs?.body, stored.logs?.json);
  assert.equal(overJson.metrics?.body, stored.metrics?.json);
  assert.deepEqual([overJson.traces?.items, overJson.logs?.items, overJson.metrics?.items], [spans.length, logs.length, 7]);

  for (const protocol of ['grpc', 'http/protobuf'] as const) {
    const wire = wireRequests(batch, exportConfig(protocol), stored);
    assert.equal(hex(wire.traces?.body), hex(otlpJsonToProtobuf('traces', structuredClone(chunk.traces))), `${protocol}: traces as replay encodes them`);
    assert.equal(hex(wire.logs?.body), hex(otlpJsonToProtobuf('logs', structuredClone(chunk.logs))), `${protocol}: logs`);
    assert.equal(hex(wire.metrics?.body), hex(otlpJsonToProtobuf('metrics', structuredClone(chunk.metrics))), `${protocol}: metrics`);
  }
  // Only the JSON that goes out as it is stays in memory once stored; the rest is encoded from the batch.
  assert.deepEqual(sentAsJson(stored, exportConfig('grpc')), {});
  assert.equal(sentAsJson(stored, exportConfig('http/json')).traces, stored.traces);
  const kept = sentAsJson(stored, exportConfig('http/json'));
  assert.equal(wireRequests(batch, exportConfig('http/json'), kept).traces?.body, stored.traces?.json);
  // Without the store, the JSON is made for the wire alone; a signal set to none is not encoded.
  assert.equal(hex(wireRequests(batch, exportConfig('http/json')).logs?.body), hex(stored.logs?.json));
  assert.deepEqual(wireRequests(batch, exportConfig('grpc', 'none'), stored), {});
  assert.deepEqual(wireRequests({ spans: [], logs: [], metrics: undefined }, exportConfig('grpc')), {});
});

test('a double attribute with a whole value goes out as an intValue, stored, live and replayed alike (docs/telemetry.md tells backends so)', () => {
  const buffer = new SpanBuffer();
  const tracer = new BasicTracerProvider({ resource, spanProcessors: [buffer] }).getTracer('claude-otel');
  tracer.startSpan('claude.session', { attributes: { 'claude.cost_usd': 0, 'claude.cache.hit_ratio': 0.25 } }).end();
  const spans = buffer.drain();
  const stored = JsonTraceSerializer.serializeRequest(spans);
  type Request = { resourceSpans: { scopeSpans: { spans: { attributes: { key: string; value: unknown }[] }[] }[] }[] };
  const span = (json(stored) as Request).resourceSpans[0]?.scopeSpans[0]?.spans[0];
  assert.deepEqual(span?.attributes, [
    { key: 'claude.cost_usd', value: { intValue: 0 } },
    { key: 'claude.cache.hit_ratio', value: { doubleValue: 0.25 } },
  ]);
  // Live protobuf and the replay of the stored JSON are the same bytes, so the same int.
  assert.equal(hex(otlpJsonToProtobuf('traces', json(stored))), hex(ProtobufTraceSerializer.serializeRequest(spans)));
});

test('a request that is not OTLP JSON is an OtlpJsonError naming the field', () => {
  assert.throws(
    () => otlpJsonToProtobuf('traces', { resourceSpans: 'no' }),
    (error: unknown) => error instanceof OtlpJsonError && /resourceSpans/.test(error.message),
  );
  assert.throws(
    () => otlpJsonToProtobuf('traces', { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'xyz' }] }] }] }),
    /traces\.resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId: not a hex id/,
  );
  assert.throws(() => otlpJsonToProtobuf('logs', { resourceLogs: [{ scopeLogs: { logRecords: [] } }] }), OtlpJsonError);
});

test('the shipped OTLP descriptor is the one the vendored .proto files give', () => {
  assert.deepEqual(OTLP_DESCRIPTOR, JSON.parse(JSON.stringify(otlpDescriptorFromProtos())));
});
