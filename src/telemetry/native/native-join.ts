import type { Meter } from '@opentelemetry/api';
import { ATTR_EVENT_NAME } from '../names.ts';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { NativeBatch } from '../../sources/native-otlp/native-records.ts';
import type { Redactor } from '../../privacy/redact.ts';
import type { TextLevel } from '../../config/privacy-config.ts';
import { NativeSpanJoin } from './join-spans.ts';
import type { ToolDecision } from './join-spans.ts';
import { NativeLogJoin } from './join-logs.ts';
import { NativeMetrics } from './native-metrics.ts';

// Claude Code's own telemetry joined into what one flush of the session stores and sends:
// spans (join-spans.ts), log records (join-logs.ts) and metrics (native-metrics.ts). Run on
// the flush's spans and records before anything is encoded, so that store, export, replay,
// sampling and the limits treat what Claude sent like everything else.

export interface NativeSource {
  take(): NativeBatch;
}

export interface NativeJoinOptions {
  meter: Meter;
  redact: Redactor;
  prompts: TextLevel;
  responses: TextLevel;
  latestSemconv: boolean;
  spanValueLimit: number;
  logValueLimit: number;
}

export interface JoinedBatch {
  spans: ReadableSpan[];
  logs: ReadableLogRecord[];
}

/** Claude's `tool_decision` events: how each tool call was allowed. */
function toolDecisions(batch: NativeBatch): ToolDecision[] {
  const out: ToolDecision[] = [];
  for (const log of batch.logs) {
    const a = log.attributes;
    if (a[ATTR_EVENT_NAME] !== 'tool_decision' || typeof a.tool_use_id !== 'string') continue;
    out.push({
      toolUseId: a.tool_use_id,
      ...(typeof a.decision === 'string' && a.decision !== 'unknown' ? { decision: a.decision } : {}),
      ...(typeof a.source === 'string' && a.source !== 'unknown' ? { source: a.source } : {}),
    });
  }
  return out;
}

export class NativeJoin {
  private readonly spans: NativeSpanJoin;
  private readonly logs: NativeLogJoin;
  private readonly metrics: NativeMetrics;
  /** Claude's records this run: spans, log records, metric points, and those of kinds not taken. */
  readonly joined = { spans: 0, logs: 0, points: 0, skippedPoints: 0 };

  constructor(
    private readonly source: NativeSource,
    options: NativeJoinOptions,
  ) {
    this.spans = new NativeSpanJoin({
      redact: options.redact,
      keepContent: options.prompts === 'full',
      latestSemconv: options.latestSemconv,
      valueLengthLimit: options.spanValueLimit,
    });
    this.logs = new NativeLogJoin({
      redact: options.redact,
      keepContent: options.prompts === 'full' && options.responses === 'full',
      valueLengthLimit: options.logValueLimit,
    });
    this.metrics = new NativeMetrics(options.meter, options.redact);
  }

  /** `final`: the session's last flush, after which nothing of ours comes. */
  apply(spans: ReadableSpan[], logs: ReadableLogRecord[], final = true): JoinedBatch {
    const native = this.source.take();
    this.joined.spans += native.spans.length;
    this.joined.logs += native.logs.length;
    this.joined.points += native.metrics.length;
    this.joined.skippedPoints += native.skippedPoints;
    this.metrics.record(native.metrics);
    const joinedSpans = this.spans.join(spans, native.spans, toolDecisions(native), final);
    return { spans: joinedSpans, logs: this.logs.join(logs, native.logs, this.spans) };
  }
}
