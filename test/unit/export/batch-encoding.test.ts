import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { JsonLogsSerializer, JsonTraceSerializer, ProtobufMetricsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { chunkPieces, jsonRequests, sentAsJson, wireRequests } from '../../../src/export/batch-encoding.ts';
import { LogBuffer, ManualMetricReader, SpanBuffer } from '../../../src/export/session-buffer.ts';
import type { TelemetryBatch } from '../../../src/export/session-buffer.ts';
import type { ExportConfig, SignalExportConfig } from '../../../src/config/otlp-config.ts';

// A flush's batch as the requests that go out, per signal, in the encoding each signal's exporter takes.

const resource = resourceFromAttributes({ 'service.name': 'claude-otel' });
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex');

function recordSpans(count: number) {
  const buffer = new SpanBuffer();
  const tracer = new BasicTracerProvider({ resource, spanProcessors: [buffer] }).getTracer('claude-otel');
  const root = tracer.startSpan('claude.session');
  for (let i = 0; i < count; i++) tracer.startSpan(`tool ${i}`, {}, trace.setSpan(context.active(), root)).end();
  root.end();
  return buffer.drain();
}

function recordLogs(count: number) {
  const buffer = new LogBuffer();
  const logger = new LoggerProvider({ resource, processors: [buffer] }).getLogger('claude-otel');
  for (let i = 0; i < count; i++) logger.emit({ eventName: 'claude.tool.result', body: `log ${i}` });
  return buffer.drain();
}

/** `perScope` counters in each of two meters (two scopes). */
async function recordMetrics(perScope: number) {
  const reader = new ManualMetricReader();
  const provider = new MeterProvider({ resource, readers: [reader] });
  for (const scope of ['claude-otel', 'claude-otel.tools']) {
    const meter = provider.getMeter(scope);
    for (let i = 0; i < perScope; i++) meter.createCounter(`${scope}.counter.${i}`, { description: 'x'.repeat(100) }).add(i + 1);
  }
  const metrics = await reader.read();
  assert.ok(metrics);
  return metrics;
}

function target(signal: SignalExportConfig['signal'], exporter: SignalExportConfig['exporter'], protocol: SignalExportConfig['protocol']): SignalExportConfig {
  return { signal, exporter, protocol, url: 'http://127.0.0.1:4318', headers: {}, timeoutMs: 1000, compression: 'none' };
}

function config(
  traces: [SignalExportConfig['exporter'], SignalExportConfig['protocol']],
  logs: [SignalExportConfig['exporter'], SignalExportConfig['protocol']],
  metrics: [SignalExportConfig['exporter'], SignalExportConfig['protocol']],
): ExportConfig {
  return {
    traces: target('traces', ...traces),
    logs: target('logs', ...logs),
    metrics: target('metrics', ...metrics),
    endpoint: undefined,
    maxRequestBytes: 4 * 1024 * 1024,
    warnings: [],
  };
}

test('json requests: one per signal that has items, with the item count; metrics whenever they were read', async () => {
  const spans = recordSpans(2);
  const onlySpans = jsonRequests({ spans, logs: [], metrics: undefined });
  assert.deepEqual(Object.keys(onlySpans), ['traces']);
  assert.equal(onlySpans.traces?.items, 3);
  assert.equal(text(onlySpans.traces?.json), text(JsonTraceSerializer.serializeRequest(spans)));

  const logs = recordLogs(4);
  const metrics = await recordMetrics(2);
  const all = jsonRequests({ spans, logs, metrics });
  assert.deepEqual(Object.keys(all), ['traces', 'logs', 'metrics']);
  assert.deepEqual([all.traces?.items, all.logs?.items, all.metrics?.items], [3, 4, 4]);
  assert.equal(text(all.logs?.json), text(JsonLogsSerializer.serializeRequest(logs)));
  assert.deepEqual(jsonRequests({ spans: [], logs: [], metrics: undefined }), {});
});

test("a chunk file is the signals' JSON requests in one object, in signal order, and {} for none", async () => {
  const logs = recordLogs(1);
  const metrics = await recordMetrics(1);
  const requests = jsonRequests({ spans: [], logs, metrics });
  const chunk = text(Buffer.concat(chunkPieces(requests)));
  const parsed = JSON.parse(chunk) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), ['logs', 'metrics']);
  assert.deepEqual(parsed.logs, JSON.parse(text(requests.logs?.json)));
  // The stored requests themselves, not copies.
  assert.ok(chunkPieces(requests).includes(requests.logs?.json ?? new Uint8Array()));
  assert.equal(text(Buffer.concat(chunkPieces({}))), '{}');
});

test('each signal goes in the encoding of its own exporter: protobuf, JSON, the console (JSON), or not at all', async () => {
  const spans = recordSpans(2);
  const logs = recordLogs(2);
  const metrics = await recordMetrics(1);
  const batch: TelemetryBatch = { spans, logs, metrics };
  const stored = jsonRequests(batch);
  const wire = wireRequests(batch, config(['otlp', 'grpc'], ['console', 'grpc'], ['none', 'http/json']), stored);
  assert.deepEqual(Object.keys(wire), ['traces', 'logs']);
  assert.equal(hex(wire.traces?.body), hex(ProtobufTraceSerializer.serializeRequest(spans)));
  assert.equal(wire.traces?.items, 3);
  assert.equal(wire.logs?.body, stored.logs?.json, 'the console gets the stored JSON itself');

  const protobufMetrics = wireRequests(batch, config(['none', 'grpc'], ['none', 'grpc'], ['otlp', 'http/protobuf']));
  assert.deepEqual(Object.keys(protobufMetrics), ['metrics']);
  assert.equal(hex(protobufMetrics.metrics?.body), hex(ProtobufMetricsSerializer.serializeRequest(metrics)));
  assert.equal(protobufMetrics.metrics?.items, 2);
});

test('only the requests that go out as JSON are kept once stored', () => {
  const batch: TelemetryBatch = { spans: recordSpans(1), logs: recordLogs(1), metrics: undefined };
  const stored = jsonRequests(batch);
  const kept = sentAsJson(stored, config(['otlp', 'http/json'], ['otlp', 'http/protobuf'], ['otlp', 'http/json']));
  assert.deepEqual(Object.keys(kept), ['traces']);
  assert.equal(kept.traces, stored.traces);
  assert.deepEqual(Object.keys(sentAsJson(stored, config(['none', 'http/json'], ['console', 'grpc'], ['otlp', 'grpc']))), ['logs']);
});

test('metrics split across scopes: every part is a request of its own, and together they hold each metric once', async () => {
  const metrics = await recordMetrics(20);
  const batch: TelemetryBatch = { spans: [], logs: [], metrics };
  for (const protocol of ['http/json', 'grpc'] as const) {
    const request = wireRequests(batch, config(['none', protocol], ['none', protocol], ['otlp', protocol])).metrics;
    assert.ok(request?.split);
    const parts = request.split(Math.floor(request.body.length / 3));
    assert.ok(parts.length >= 3, `${protocol}: ${parts.length} parts`);
    assert.equal(
      parts.reduce((n, p) => n + p.items, 0),
      40,
    );
    if (protocol === 'http/json') {
      const names = parts.flatMap((part) => {
        const body = JSON.parse(text(part.body)) as { resourceMetrics: { scopeMetrics: { scope: { name: string }; metrics: { name: string }[] }[] }[] };
        return body.resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.map((m) => `${s.scope.name}/${m.name}`)));
      });
      assert.equal(new Set(names).size, 40);
      assert.ok(
        names.every((name) => name.startsWith(`${name.split('/')[0]}/${name.split('/')[0]}.counter.`)),
        'each metric stays in its scope',
      );
    }
  }
});

test('spans and logs split into parts whose items add up to the whole', () => {
  const batch: TelemetryBatch = { spans: recordSpans(99), logs: recordLogs(50), metrics: undefined };
  const wire = wireRequests(batch, config(['otlp', 'http/protobuf'], ['otlp', 'http/json'], ['none', 'grpc']));
  for (const signal of ['traces', 'logs'] as const) {
    const request = wire[signal];
    assert.ok(request?.split);
    const max = Math.floor(request.body.length / 4);
    const parts = request.split(max);
    assert.ok(parts.length >= 4);
    for (const part of parts) assert.ok(part.body.length <= max);
    assert.equal(
      parts.reduce((n, p) => n + p.items, 0),
      request.items,
    );
  }
});
