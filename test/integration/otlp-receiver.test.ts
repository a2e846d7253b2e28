/**
 * The test OTLP receiver against the real OpenTelemetry exporters, for all three OTLP protocols.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { Metadata } from '@grpc/grpc-js';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { closedPort, startOtlpReceiver } from '../support/otlp-receiver.ts';
import type { OtlpProtocol, OtlpReceiver, ReceivedMetric } from '../support/otlp-receiver.ts';

const PROTOCOLS: readonly OtlpProtocol[] = ['grpc', 'http/protobuf', 'http/json'];
const TEST_HEADER = 'x-receiver-test';

// The compression enum lives in a package this project does not depend on directly.
type HttpExporterConfig = NonNullable<ConstructorParameters<typeof ProtoTraceExporter>[0]>;
const GZIP = 'gzip' as HttpExporterConfig['compression'];

interface Exporters {
  traces: SpanExporter;
  logs: LogRecordExporter;
  metrics: PushMetricExporter;
}

/**
 * The real exporters for `protocol`, all sending a test header. http/protobuf also gzips its
 * bodies, so both the plain and the compressed HTTP paths are exercised.
 */
function exportersFor(protocol: OtlpProtocol, endpoint: string, timeoutMillis = 10_000): Exporters {
  if (protocol === 'grpc') {
    const metadata = new Metadata();
    metadata.set(TEST_HEADER, 'grpc');
    const options = { url: endpoint, metadata, timeoutMillis };
    return {
      traces: new GrpcTraceExporter(options),
      logs: new GrpcLogExporter(options),
      metrics: new GrpcMetricExporter(options),
    };
  }
  const common = { headers: { [TEST_HEADER]: protocol }, timeoutMillis };
  const url = (signal: string): string => `${endpoint}/v1/${signal}`;
  if (protocol === 'http/protobuf') {
    const proto = { ...common, compression: GZIP };
    return {
      traces: new ProtoTraceExporter({ ...proto, url: url('traces') }),
      logs: new ProtoLogExporter({ ...proto, url: url('logs') }),
      metrics: new ProtoMetricExporter({ ...proto, url: url('metrics') }),
    };
  }
  return {
    traces: new JsonTraceExporter({ ...common, url: url('traces') }),
    logs: new JsonLogExporter({ ...common, url: url('logs') }),
    metrics: new JsonMetricExporter({ ...common, url: url('metrics') }),
  };
}

/**
 * Runs every shutdown even if some fail (a failed assertion must not leave gRPC channels or
 * servers open and hang the test process), then reports the first failure.
 */
async function shutdownAll(...shutdowns: (() => Promise<void>)[]): Promise<void> {
  const results = await Promise.allSettled(shutdowns.map((shutdown) => shutdown()));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}

function exporterShutdowns(exporters: Exporters): (() => Promise<void>)[] {
  return [() => exporters.traces.shutdown(), () => exporters.logs.shutdown(), () => exporters.metrics.shutdown()];
}

function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

/** One finished span, produced by the SDK without any network export. */
async function finishedSpans(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  provider.getTracer('offline').startSpan('lonely').end();
  await provider.forceFlush();
  const spans = [...memory.getFinishedSpans()];
  await provider.shutdown();
  return spans;
}

function metricNamed(receiver: OtlpReceiver, name: string): ReceivedMetric {
  const metric = receiver.metrics.find((m) => m.name === name);
  assert.ok(metric, `metric ${name} not received; got ${receiver.metrics.map((m) => m.name).join(', ')}`);
  return metric;
}

const resource = resourceFromAttributes({ 'service.name': 'otlp-receiver-test', 'service.version': '1.2.3' });

for (const protocol of PROTOCOLS) {
  test(`${protocol}: decodes spans, logs and metrics from the real exporters`, async () => {
    const receiver = await startOtlpReceiver({ protocol });
    const exporters = exportersFor(protocol, receiver.endpoint);
    const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporters.traces)] });
    const loggerProvider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: exporters.logs })] });
    // Long interval: only forceFlush() exports, so each metric arrives exactly once.
    const reader = new PeriodicExportingMetricReader({ exporter: exporters.metrics, exportIntervalMillis: 60_000 });
    const meterProvider = new MeterProvider({ resource, readers: [reader] });
    try {
      assert.match(receiver.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(receiver.endpoint, `http://127.0.0.1:${receiver.port}`);
      const startedAt = BigInt(Date.now()) * 1_000_000n;

      // --- traces: a parent and a child with every attribute type
      const tracer = tracerProvider.getTracer('receiver-test', '0.0.1');
      const parent = tracer.startSpan('parent-op');
      const child = tracer.startSpan(
        'child-op',
        {
          kind: SpanKind.CLIENT,
          attributes: { 'attr.string': 'hello', 'attr.int': 42, 'attr.double': 3.5, 'attr.bool': true, 'attr.list': ['a', 'b'] },
        },
        trace.setSpan(context.active(), parent),
      );
      child.addEvent('checkpoint', { step: 2 });
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
      child.end();
      parent.end();
      await tracerProvider.forceFlush();
      await receiver.waitFor((r) => r.spans.length >= 2);

      const parentIds = parent.spanContext();
      const childIds = child.spanContext();
      const gotChild = receiver.spans.find((s) => s.name === 'child-op');
      const gotParent = receiver.spans.find((s) => s.name === 'parent-op');
      assert.ok(gotChild && gotParent);
      assert.equal(gotChild.traceId, childIds.traceId);
      assert.equal(gotChild.spanId, childIds.spanId);
      assert.equal(gotChild.parentSpanId, parentIds.spanId);
      assert.equal(gotParent.traceId, childIds.traceId);
      assert.equal(gotParent.parentSpanId, '');
      assert.match(gotChild.traceId, /^[0-9a-f]{32}$/);
      assert.equal(gotChild.kind, 3); // OTLP SPAN_KIND_CLIENT
      assert.deepEqual(gotChild.attributes, {
        'attr.string': 'hello',
        'attr.int': 42,
        'attr.double': 3.5,
        'attr.bool': true,
        'attr.list': ['a', 'b'],
      });
      assert.deepEqual(gotChild.status, { code: 2, message: 'boom' }); // STATUS_CODE_ERROR
      assert.equal(gotChild.events.length, 1);
      assert.equal(gotChild.events[0]?.name, 'checkpoint');
      assert.deepEqual(gotChild.events[0]?.attributes, { step: 2 });
      assert.deepEqual(gotChild.links, []);
      assert.ok(gotChild.startTimeUnixNano >= startedAt - 1_000_000_000n, 'start time is recent');
      assert.ok(gotChild.endTimeUnixNano >= gotChild.startTimeUnixNano);
      assert.equal(gotChild.resource['service.name'], 'otlp-receiver-test');
      assert.equal(gotChild.resource['service.version'], '1.2.3');
      assert.deepEqual(gotChild.scope, { name: 'receiver-test', version: '0.0.1' });
      assert.equal(gotChild.protocol, protocol);

      // --- logs: an event inside the child span
      const logger = loggerProvider.getLogger('receiver-test-logs', '0.0.2');
      logger.emit({
        eventName: 'receiver.test_event',
        severityNumber: SeverityNumber.WARN,
        severityText: 'WARN',
        body: 'something happened',
        attributes: { attempt: 3, ok: false },
        context: trace.setSpan(context.active(), child),
      });
      await loggerProvider.forceFlush();
      await receiver.waitFor((r) => r.logs.length >= 1);

      const log = receiver.logs[0];
      assert.ok(log);
      assert.equal(log.eventName, 'receiver.test_event');
      assert.equal(log.severityNumber, SeverityNumber.WARN);
      assert.equal(log.severityText, 'WARN');
      assert.equal(log.body, 'something happened');
      assert.deepEqual(log.attributes, { attempt: 3, ok: false });
      assert.equal(log.traceId, childIds.traceId);
      assert.equal(log.spanId, childIds.spanId);
      assert.ok(log.timeUnixNano >= startedAt - 1_000_000_000n, 'log time is recent');
      assert.equal(log.resource['service.name'], 'otlp-receiver-test');
      assert.deepEqual(log.scope, { name: 'receiver-test-logs', version: '0.0.2' });
      assert.equal(log.protocol, protocol);

      // --- metrics: a counter and a histogram
      const meter = meterProvider.getMeter('receiver-test-metrics', '0.0.3');
      const counter = meter.createCounter('test.requests', { description: 'Requests handled', unit: '{request}' });
      counter.add(2, { route: '/a' });
      counter.add(3, { route: '/a' });
      const histogram = meter.createHistogram('test.duration', { unit: 'ms' });
      histogram.record(10, { route: '/a' });
      histogram.record(30, { route: '/a' });
      await meterProvider.forceFlush();
      await receiver.waitFor((r) => r.metrics.length >= 2);

      const requests = metricNamed(receiver, 'test.requests');
      assert.equal(requests.type, 'sum');
      assert.equal(requests.isMonotonic, true);
      assert.equal(requests.description, 'Requests handled');
      assert.equal(requests.unit, '{request}');
      assert.equal(requests.dataPoints.length, 1);
      assert.equal(requests.dataPoints[0]?.value, 5);
      assert.deepEqual(requests.dataPoints[0]?.attributes, { route: '/a' });
      assert.equal(requests.resource['service.name'], 'otlp-receiver-test');
      assert.deepEqual(requests.scope, { name: 'receiver-test-metrics', version: '0.0.3' });
      assert.equal(requests.protocol, protocol);

      const duration = metricNamed(receiver, 'test.duration');
      assert.equal(duration.type, 'histogram');
      assert.equal(duration.unit, 'ms');
      const point = duration.dataPoints[0];
      assert.ok(point);
      assert.equal(point.count, 2);
      assert.equal(point.sum, 40);
      assert.ok(point.explicitBounds && point.explicitBounds.length > 0);
      assert.equal(point.bucketCounts?.length, point.explicitBounds.length + 1);
      assert.equal(
        point.bucketCounts.reduce((a, b) => a + b, 0),
        2,
      );
      assert.ok(point.timeUnixNano >= point.startTimeUnixNano && point.startTimeUnixNano > 0n);

      // --- request metadata
      const bySignal = new Map(receiver.requests.map((r) => [r.signal, r]));
      assert.deepEqual([...bySignal.keys()].sort(), ['logs', 'metrics', 'traces']);
      for (const request of receiver.requests) {
        assert.equal(request.headers[TEST_HEADER], protocol, `${request.path} carries the test header`);
      }
      const tracesRequest = bySignal.get('traces');
      if (protocol === 'grpc') {
        assert.equal(tracesRequest?.path, '/opentelemetry.proto.collector.trace.v1.TraceService/Export');
        assert.equal(tracesRequest?.contentType, 'application/grpc');
      } else {
        assert.equal(tracesRequest?.path, '/v1/traces');
        assert.equal(tracesRequest?.contentType, protocol === 'http/json' ? 'application/json' : 'application/x-protobuf');
        assert.equal(tracesRequest?.headers['content-encoding'], protocol === 'http/protobuf' ? 'gzip' : undefined);
      }

      receiver.clear();
      assert.deepEqual([receiver.spans, receiver.logs, receiver.metrics, receiver.requests], [[], [], [], []]);
    } finally {
      // Providers first: they flush and shut down their exporters, which closes the gRPC channels.
      await shutdownAll(
        () => tracerProvider.shutdown(),
        () => loggerProvider.shutdown(),
        () => meterProvider.shutdown(),
        ...exporterShutdowns(exporters),
      ).finally(() => receiver.close());
    }
  });

  test(`${protocol}: http-503 behaviour makes the export fail`, async () => {
    const receiver = await startOtlpReceiver({ protocol, behaviour: 'http-503' });
    // A short timeout stops the exporter's retry loop after the first answer.
    const exporters = exportersFor(protocol, receiver.endpoint, 500);
    try {
      const result = await exportSpans(exporters.traces, await finishedSpans());
      assert.equal(result.code, ExportResultCode.FAILED);
      assert.ok(receiver.requests.length >= 1, 'the exporter reached the receiver');
      assert.equal(receiver.requests[0]?.signal, 'traces');
      assert.equal(receiver.spans.length, 0);
    } finally {
      await shutdownAll(...exporterShutdowns(exporters)).finally(() => receiver.close());
    }
  });
}

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  // A close() that waited for the hung connections would never end: the test's timeout fails it.
  test(`${protocol}: black-hole never answers and still closes`, { timeout: 30_000 }, async () => {
    const receiver = await startOtlpReceiver({ protocol, behaviour: 'black-hole' });
    const exporters = exportersFor(protocol, receiver.endpoint, 300);
    try {
      const result = await exportSpans(exporters.traces, await finishedSpans());
      assert.equal(result.code, ExportResultCode.FAILED);
      assert.deepEqual(receiver.requests, []);
      await shutdownAll(...exporterShutdowns(exporters));
      await receiver.close();
    } finally {
      // No-ops when the happy path above already ran (both are idempotent).
      await shutdownAll(...exporterShutdowns(exporters)).finally(() => receiver.close());
    }
  });
}

test('closedPort() returns a port nothing listens on', async () => {
  const port = await closedPort();
  assert.ok(Number.isInteger(port) && port > 0);
  const exporters = exportersFor('http/protobuf', `http://127.0.0.1:${port}`, 300);
  try {
    const result = await exportSpans(exporters.traces, await finishedSpans());
    assert.equal(result.code, ExportResultCode.FAILED);
    assert.match(String(result.error), /ECONNREFUSED/);
  } finally {
    await shutdownAll(...exporterShutdowns(exporters));
  }
});

test('http/json: accepts hand-written OTLP/JSON (gzip, int64 strings, enum names, bytes)', async () => {
  const receiver = await startOtlpReceiver({ protocol: 'http/json' });
  try {
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'raw-json' } }] },
          scopeSpans: [
            {
              scope: { name: 'raw-scope', version: '9' },
              spans: [
                {
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'EEE19B7EC3C1B174',
                  name: 'raw-span',
                  kind: 'SPAN_KIND_SERVER',
                  startTimeUnixNano: '1544712660000000000',
                  endTimeUnixNano: '1544712661000000000',
                  attributes: [
                    { key: 'big', value: { intValue: '9007199254740993' } },
                    { key: 'small', value: { intValue: '7' } },
                    { key: 'bytes', value: { bytesValue: 'AQID/w==' } },
                    { key: 'map', value: { kvlistValue: { values: [{ key: 'inf', value: { doubleValue: 'Infinity' } }] } } },
                    { key: 'empty', value: {} },
                  ],
                  status: { code: 1 },
                  links: [{ traceId: '00000000000000000000000000000001', spanId: '0000000000000002' }],
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await post(`${receiver.endpoint}/v1/traces`, gzipSync(JSON.stringify(body)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    assert.deepEqual(response, { status: 200, contentType: 'application/json', body: '{}' });

    const [span] = receiver.spans;
    assert.ok(span);
    assert.equal(span.traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(span.spanId, 'eee19b7ec3c1b174');
    assert.equal(span.parentSpanId, '');
    assert.equal(span.kind, 2); // SPAN_KIND_SERVER
    assert.equal(span.startTimeUnixNano, 1544712660000000000n);
    assert.equal(span.endTimeUnixNano, 1544712661000000000n);
    assert.deepEqual(span.attributes, {
      big: 9007199254740993n,
      small: 7,
      bytes: '010203ff',
      map: { inf: Infinity },
      empty: null,
    });
    assert.deepEqual(span.status, { code: 1, message: '' });
    assert.deepEqual(span.links, [{ traceId: '00000000000000000000000000000001', spanId: '0000000000000002', attributes: {} }]);
    assert.deepEqual(span.resource, { 'service.name': 'raw-json' });
    assert.deepEqual(span.scope, { name: 'raw-scope', version: '9' });
  } finally {
    await receiver.close();
  }
});

test('waitFor rejects with a description of what arrived', async () => {
  const receiver = await startOtlpReceiver({ protocol: 'http/protobuf' });
  try {
    await assert.rejects(
      receiver.waitFor((r) => r.spans.length > 0, 50),
      /waitFor timed out after 50ms: .*0 span\(s\)/,
    );
  } finally {
    await receiver.close();
  }
});

interface PostResult {
  status: number;
  contentType: string;
  body: string;
}

/** A one-off POST without a keep-alive agent, so nothing outlives the test. */
function post(url: string, body: Buffer, headers: Record<string, string>): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}
