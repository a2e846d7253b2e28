import type { Attributes, Context } from '@opentelemetry/api';
import { limitAttributes } from '../privacy/attribute-limits.ts';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { MetricReader } from '@opentelemetry/sdk-metrics';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';

// A session is small: the wrapper keeps its finished spans and log records in memory and
// hands them over in one piece, to the local store first and then to the exporters. That
// lets it write everything before sending anything, decide on sampling with the whole
// session in view, and bound the whole flush by one deadline.

export class SpanBuffer implements SpanProcessor {
  private spans: ReadableSpan[] = [];
  constructor(private readonly valueLengthLimit = Number.POSITIVE_INFINITY) {}
  onStart(_span: Span, _context: Context): void {}
  onEnd(span: ReadableSpan): void {
    limitAttributes(span.attributes as Attributes, this.valueLengthLimit);
    for (const event of span.events) if (event.attributes) limitAttributes(event.attributes as Attributes, this.valueLengthLimit);
    this.spans.push(span);
  }
  /** Spans still waiting for a verdict go back in front of newer ones. */
  putBack(spans: ReadableSpan[]): void {
    this.spans = [...spans, ...this.spans];
  }
  drain(): ReadableSpan[] {
    const out = this.spans;
    this.spans = [];
    return out;
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

export class LogBuffer implements LogRecordProcessor {
  private records: ReadableLogRecord[] = [];
  constructor(private readonly valueLengthLimit = Number.POSITIVE_INFINITY) {}
  onEmit(record: SdkLogRecord): void {
    limitAttributes(record.attributes as Attributes, this.valueLengthLimit);
    this.records.push(record);
  }
  drain(): ReadableLogRecord[] {
    const out = this.records;
    this.records = [];
    return out;
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

/** Metrics are read once per flush, not on a timer: a short process must not lose them. */
export class ManualMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}

  async read(): Promise<ResourceMetrics | undefined> {
    const { resourceMetrics } = await this.collect();
    const hasPoints = resourceMetrics.scopeMetrics.some((scope) => scope.metrics.some((m) => m.dataPoints.length > 0));
    return hasPoints ? resourceMetrics : undefined;
  }
}

export interface TelemetryBatch {
  spans: ReadableSpan[];
  logs: ReadableLogRecord[];
  metrics: ResourceMetrics | undefined;
}
