import { test } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { splitItems, requestParts } from '../../../src/export/request-split.ts';
import { placedItems, requestOf } from '../../../src/export/otlp-json-split.ts';
import { DroppedCounts, SpanBuffer } from '../../../src/export/session-buffer.ts';
import { ATTR_CLAUDE_SPANS_DROPPED } from '../../../src/telemetry/names.ts';
import { jsonRequests, wireRequests } from '../../../src/export/batch-encoding.ts';
import { otlpJsonToProtobuf } from '../../../src/export/otlp-json-to-protobuf.ts';
import type { ExportConfig, SignalExportConfig } from '../../../src/config/otlp-config.ts';

// A request over the collector's size limit goes as several, each under it, with every item once and in order.

const encoder = new TextEncoder();
const encodeNumbers = (items: readonly number[]) => encoder.encode(JSON.stringify(items.map((n) => `item-${n}`.padEnd(50, '.'))));

test('items are cut into consecutive groups whose encoding is under the limit', () => {
  const items = Array.from({ length: 1000 }, (_, i) => i);
  const whole = encodeNumbers(items).length;
  const parts = splitItems(items, encodeNumbers, 5000, whole);
  assert.ok(parts.length > 1);
  for (const part of parts) assert.ok(part.body.length <= 5000, `a part of ${part.body.length} bytes`);
  const back = parts.flatMap((part) => JSON.parse(Buffer.from(part.body).toString('utf8')) as string[]);
  assert.deepEqual(
    back,
    items.map((n) => `item-${n}`.padEnd(50, '.')),
  );
  assert.equal(
    parts.reduce((n, p) => n + p.items, 0),
    1000,
  );
});

test('an item over the limit on its own goes alone; a request under the limit is not cut', () => {
  const parts = splitItems([1, 2, 3], encodeNumbers, 10, 1000);
  assert.deepEqual(
    parts.map((p) => p.items),
    [1, 1, 1],
  );
  const small = { body: new Uint8Array(10), items: 1, split: () => assert.fail('not cut') };
  assert.deepEqual(requestParts(small, 10), [small]);
});

function spans(count: number) {
  const buffer = new SpanBuffer();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'claude-otel' }), spanProcessors: [buffer] });
  const tracer = provider.getTracer('claude-otel', '0.1.0');
  const root = tracer.startSpan('claude.session');
  const inside = trace.setSpan(context.active(), root);
  for (let i = 0; i < count; i++) tracer.startSpan(`execute_tool Bash ${i}`, { attributes: { n: i, text: 'x'.repeat(200) } }, inside).end();
  root.end();
  return buffer.drain();
}

function config(protocol: SignalExportConfig['protocol']): ExportConfig {
  const target = (signal: SignalExportConfig['signal']): SignalExportConfig => ({
    signal,
    exporter: 'otlp',
    protocol,
    url: 'http://127.0.0.1:4317',
    headers: {},
    timeoutMs: 1000,
    compression: 'none',
  });
  return { traces: target('traces'), logs: target('logs'), metrics: target('metrics'), endpoint: undefined, maxRequestBytes: 20_000, warnings: [] };
}

test('a live batch and its stored JSON cut into the same protobuf parts', () => {
  const batch = { spans: spans(500), logs: [], metrics: undefined };
  const live = wireRequests(batch, config('grpc')).traces;
  assert.ok(live && live.body.length > 20_000);
  const liveParts = requestParts(live, 20_000);
  assert.ok(liveParts.length > 1);
  for (const part of liveParts) assert.ok(part.body.length <= 20_000);
  // The same cut of the stored JSON (what replay does) gives the same bytes.
  const stored: unknown = JSON.parse(Buffer.from(jsonRequests(batch).traces?.json ?? []).toString('utf8'));
  const placed = placedItems('traces', stored);
  assert.equal(placed.length, 501);
  let start = 0;
  for (const part of liveParts) {
    const fromJson = otlpJsonToProtobuf('traces', requestOf('traces', placed.slice(start, start + part.items)));
    assert.equal(Buffer.from(fromJson).toString('hex'), Buffer.from(part.body).toString('hex'));
    start += part.items;
  }
  assert.equal(start, 501);
  // Each part is a request of its own spans.
  const first = liveParts[0];
  assert.ok(first);
  assert.equal(
    Buffer.from(first.body).toString('hex'),
    Buffer.from(ProtobufTraceSerializer.serializeRequest(batch.spans.slice(0, first.items)) ?? []).toString('hex'),
  );
  const asJson = requestParts(wireRequests(batch, config('http/json')).traces ?? assert.fail(), 20_000);
  assert.equal(
    Buffer.from(asJson[0]?.body ?? []).toString(),
    Buffer.from(JsonTraceSerializer.serializeRequest(batch.spans.slice(0, asJson[0]?.items)) ?? []).toString(),
  );
});

test('over the cap, spans are counted and not kept; the parents of kept spans and the session span are kept and carry the count', () => {
  const dropped = new DroppedCounts();
  const buffer = new SpanBuffer(Number.POSITIVE_INFINITY, 3, dropped);
  const provider = new BasicTracerProvider({ spanProcessors: [buffer] });
  const tracer = provider.getTracer('claude-otel');
  const root = tracer.startSpan('claude.session');
  const agent = tracer.startSpan('invoke_agent', {}, trace.setSpan(context.active(), root));
  const inside = trace.setSpan(context.active(), agent);
  for (let i = 0; i < 10; i++) tracer.startSpan(`tool ${i}`, {}, inside).end();
  agent.end();
  root.end();
  const kept = buffer.drain();
  assert.deepEqual(
    kept.map((s) => s.name),
    ['tool 0', 'tool 1', 'tool 2', 'invoke_agent', 'claude.session'],
  );
  assert.equal(dropped.spans, 7);
  assert.equal(kept.at(-1)?.attributes[ATTR_CLAUDE_SPANS_DROPPED], 7);
});
