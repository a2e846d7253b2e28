import { ATTR_CLAUDE_LOGS_DROPPED, ATTR_CLAUDE_SPANS_DROPPED } from '../telemetry/names.ts';
import type { Attributes, Context } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import { limitAttributes } from '../privacy/attribute-limits.ts';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { MetricReader } from '@opentelemetry/sdk-metrics';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';

// The wrapper keeps a session's finished spans and log records in memory and hands them over
// in one piece, to the local store first and then to the exporters. That lets it write
// everything before sending anything, decide on sampling with the whole session in view, and
// bound the whole flush by one deadline. What it holds at a time is capped
// (CLAUDE_OTEL_MAX_SPANS, for spans and for log records each): beyond the cap, new items are
// counted, not kept, and the count goes on the session span when it ends. A session of a
// million tool calls would otherwise hold gigabytes. Metrics count every call regardless.

/** What the span and log buffers left out, for the session span. */
export class DroppedCounts {
  spans = 0;
  logs = 0;
}

export class SpanBuffer implements SpanProcessor {
  private spans: ReadableSpan[] = [];
  /** Spans that kept spans point to as their parent: kept over the cap, so that no kept span loses its parent. */
  private readonly parentsOfKept = new Set<string>();
  constructor(
    private readonly valueLengthLimit = Number.POSITIVE_INFINITY,
    private readonly maxHeld = Number.POSITIVE_INFINITY,
    private readonly dropped = new DroppedCounts(),
  ) {}
  onStart(_span: Span, _context: Context): void {}
  onEnd(span: ReadableSpan): void {
    const id = span.spanContext().spanId;
    // The session span's parent, when it has one, is the caller's (TRACEPARENT): remote.
    const parentContext = span.parentSpanContext;
    const parent = parentContext && !parentContext.isRemote ? parentContext.spanId : undefined;
    // Parents end after their children: one that a kept span needs is kept whatever the count.
    if (this.spans.length >= this.maxHeld && parent !== undefined && !this.parentsOfKept.has(id)) {
      this.dropped.spans += 1;
      return;
    }
    this.parentsOfKept.delete(id);
    if (parent !== undefined) this.parentsOfKept.add(parent);
    else if (this.dropped.spans > 0 || this.dropped.logs > 0) {
      // The session span, which ends last.
      const attributes = span.attributes as Attributes;
      attributes[ATTR_CLAUDE_SPANS_DROPPED] = this.dropped.spans;
      attributes[ATTR_CLAUDE_LOGS_DROPPED] = this.dropped.logs;
    }
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
  constructor(
    private readonly valueLengthLimit = Number.POSITIVE_INFINITY,
    private readonly maxHeld = Number.POSITIVE_INFINITY,
    private readonly dropped = new DroppedCounts(),
  ) {}
  onEmit(record: SdkLogRecord): void {
    if (this.records.length >= this.maxHeld) {
      this.dropped.logs += 1;
      return;
    }
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
/** When a session's metric points are dated: its start and end, in ms since the epoch. */
export interface MetricTimes {
  startMs: number;
  endMs: number;
}

export class ManualMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}

  /** The points recorded so far; with `times`, dated over that window (a session imported afterwards keeps its own times). */
  async read(times?: MetricTimes): Promise<ResourceMetrics | undefined> {
    const { resourceMetrics } = await this.collect();
    const hasPoints = resourceMetrics.scopeMetrics.some((scope) => scope.metrics.some((m) => m.dataPoints.length > 0));
    if (hasPoints && times) {
      const start = millisToHrTime(times.startMs);
      const end = millisToHrTime(times.endMs);
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          for (const point of metric.dataPoints) Object.assign(point, { startTime: start, endTime: end });
        }
      }
    }
    return hasPoints ? resourceMetrics : undefined;
  }
}

export interface TelemetryBatch {
  spans: ReadableSpan[];
  logs: ReadableLogRecord[];
  metrics: ResourceMetrics | undefined;
}
