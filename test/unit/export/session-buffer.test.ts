import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { DroppedCounts, LogBuffer, ManualMetricReader, SpanBuffer } from '../../../src/export/session-buffer.ts';
import { ATTR_CLAUDE_LOGS_DROPPED, ATTR_CLAUDE_SPANS_DROPPED } from '../../../src/telemetry/names.ts';

// What a session holds in memory until its flush: capped, with what was left out counted on the session span.

test('over the cap, log records are counted and not kept; the count goes on the session span', () => {
  const dropped = new DroppedCounts();
  const logs = new LogBuffer(Number.POSITIVE_INFINITY, 2, dropped);
  const logger = new LoggerProvider({ processors: [logs] }).getLogger('claude-otel');
  for (let i = 0; i < 5; i++) logger.emit({ body: `record ${i}` });
  assert.deepEqual(
    logs.drain().map((r) => r.body),
    ['record 0', 'record 1'],
  );
  assert.equal(dropped.logs, 3);
  // Drained, the buffer has room again.
  logger.emit({ body: 'record 5' });
  assert.deepEqual(
    logs.drain().map((r) => r.body),
    ['record 5'],
  );

  const spans = new SpanBuffer(Number.POSITIVE_INFINITY, 10, dropped);
  new BasicTracerProvider({ spanProcessors: [spans] }).getTracer('claude-otel').startSpan('claude.session').end();
  const [session] = spans.drain();
  assert.equal(session?.attributes[ATTR_CLAUDE_LOGS_DROPPED], 3);
  assert.equal(session?.attributes[ATTR_CLAUDE_SPANS_DROPPED], 0);
});

test('nothing dropped: the session span carries no counts', () => {
  const spans = new SpanBuffer(Number.POSITIVE_INFINITY, 10, new DroppedCounts());
  new BasicTracerProvider({ spanProcessors: [spans] }).getTracer('claude-otel').startSpan('claude.session').end();
  const [session] = spans.drain();
  assert.equal(ATTR_CLAUDE_SPANS_DROPPED in (session?.attributes ?? {}), false);
  assert.equal(ATTR_CLAUDE_LOGS_DROPPED in (session?.attributes ?? {}), false);
});

test('attribute values are cut to the length limit, with a visible mark, on spans, their events and log records', () => {
  const spans = new SpanBuffer(5);
  const tracer = new BasicTracerProvider({ spanProcessors: [spans] }).getTracer('claude-otel');
  const span = tracer.startSpan('s', { attributes: { long: 'abcdefghij', short: 'abc', n: 123456789 } });
  span.addEvent('e', { long: 'abcdefghij' });
  span.end();
  const [kept] = spans.drain();
  assert.equal(kept?.attributes.long, 'abcd…');
  assert.equal(kept?.attributes.short, 'abc');
  assert.equal(kept?.attributes.n, 123456789);
  assert.equal(kept?.events[0]?.attributes?.long, 'abcd…');

  const logs = new LogBuffer(5);
  new LoggerProvider({ processors: [logs] }).getLogger('claude-otel').emit({ body: 'b', attributes: { long: 'abcdefghij' } });
  assert.equal(logs.drain()[0]?.attributes.long, 'abcd…');
});

test('spans put back go in front of newer ones', () => {
  const buffer = new SpanBuffer();
  const tracer = new BasicTracerProvider({ spanProcessors: [buffer] }).getTracer('claude-otel');
  const root = tracer.startSpan('root');
  const inside = trace.setSpan(context.active(), root);
  tracer.startSpan('first', {}, inside).end();
  const waiting = buffer.drain();
  tracer.startSpan('second', {}, inside).end();
  buffer.putBack(waiting);
  assert.deepEqual(
    buffer.drain().map((s) => s.name),
    ['first', 'second'],
  );
  assert.deepEqual(buffer.drain(), []);
});

test('metrics are read on demand; none with no data points', async () => {
  const reader = new ManualMetricReader();
  const meter = new MeterProvider({ readers: [reader] }).getMeter('claude-otel');
  const counter = meter.createCounter('claude.session.count');
  assert.equal(await reader.read(), undefined);
  counter.add(2);
  const metrics = await reader.read();
  const [scope] = metrics?.scopeMetrics ?? [];
  assert.equal(scope?.metrics[0]?.descriptor.name, 'claude.session.count');
  assert.equal(scope?.metrics[0]?.dataPoints[0]?.value, 2);
});
