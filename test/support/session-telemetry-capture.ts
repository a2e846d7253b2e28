import assert from 'node:assert/strict';
import type { Attributes } from '@opentelemetry/api';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { GenAiConfig } from '../../src/config/genai-config.ts';
import type { SessionEvent, SessionResult, ToolOutcome } from '../../src/session/events.ts';
import { SessionTelemetry } from '../../src/telemetry/session-telemetry.ts';

// A typed session fed through the real mapper into the SDK's in-memory exporters: the spans,
// log records and metrics as a collector would receive them, without running claude.

export const MODEL = 'claude-sonnet-4-5';
export const SESSION_ID = '5d0c2f7e-2b7a-4d0e-9d38-0f1f6b1c9a11';

class CollectingReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

export interface Captured {
  spans: ReadableSpan[];
  logs: ReadableLogRecord[];
  metrics: Map<string, DataPoint<unknown>[]>;
  telemetry: SessionTelemetry;
  errors: unknown[];
}

export async function captureSession(events: SessionEvent[], genAi?: GenAiConfig): Promise<Captured> {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spanExporter)] });
  const logExporter = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logExporter })] });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const errors: unknown[] = [];
  const telemetry = new SessionTelemetry({
    tracer: tracerProvider.getTracer('test'),
    logger: loggerProvider.getLogger('test'),
    meter: meterProvider.getMeter('test'),
    prompts: 'preview',
    responses: 'off',
    redact: (text) => text.replaceAll('sk-ant-secret', '[REDACTED]'),
    onError: (error) => errors.push(error),
    ...(genAi ? { genAi } : {}),
  });
  for (const event of events) telemetry.handle(event);
  const { resourceMetrics } = await reader.collect();
  const metrics = new Map<string, DataPoint<unknown>[]>();
  for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) metrics.set(metric.descriptor.name, metric.dataPoints);
  await Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush()]);
  // Nothing to shut down: simple processors and a manual reader hold no timers.
  return { spans: spanExporter.getFinishedSpans(), logs: logExporter.getFinishedLogRecords(), metrics, telemetry, errors };
}

export function only(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  assert.equal(found.length, 1, `exactly one span named ${name}, got ${found.length}`);
  return found[0] as ReadableSpan;
}

export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

export function num(attributes: Attributes, key: string): number {
  const v = attributes[key];
  assert.equal(typeof v, 'number', `${key} is a number`);
  return v as number;
}

export const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

export function points(captured: Captured, name: string): DataPoint<unknown>[] {
  const found = captured.metrics.get(name);
  assert.ok(found, `metric ${name} recorded`);
  return found;
}

export function sumWhere(captured: Captured, name: string, match: Attributes = {}): number {
  return points(captured, name)
    .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((total, p) => total + (p.value as number), 0);
}

export const okOutcome = (outputBytes: number): ToolOutcome => ({
  isError: false,
  outputBytes,
  outputTruncated: false,
  interrupted: false,
  timedOut: false,
  permissionDenied: false,
});

export const sessionResult = (over: Partial<SessionResult> = {}): SessionResult => ({
  subtype: 'success',
  isError: false,
  costUsd: 0.05,
  costByModel: { [MODEL]: 0.05 },
  permissionDenials: 0,
  numTurns: 3,
  ...over,
});
