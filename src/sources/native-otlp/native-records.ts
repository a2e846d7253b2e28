// What Claude Code's own OpenTelemetry export holds, once decoded and checked: plain typed
// records, ids in lowercase hex, times in nanoseconds as bigint, attribute values as
// OpenTelemetry attribute values (a key-value list becomes its JSON text).

export type NativeValue = string | number | boolean | string[] | number[] | boolean[];
export type NativeAttributes = Record<string, NativeValue>;

export interface NativeSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: NativeAttributes;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  events: { name: string; timeNs: bigint; attributes: NativeAttributes }[];
  scope: string;
}

export interface NativeLog {
  timeNs: bigint;
  severityNumber: number;
  severityText: string;
  /** The body as text ('' when there is none): Claude writes `claude_code.<event>` there. */
  body: string;
  eventName: string;
  attributes: NativeAttributes;
  traceId: string;
  spanId: string;
  scope: string;
}

export interface NativeMetricPoint {
  name: string;
  unit: string;
  description: string;
  /** sum (monotonic or not) and gauge points are taken; other kinds are counted and left out. */
  type: 'sum' | 'gauge';
  monotonic: boolean;
  /** 1 delta, 2 cumulative. */
  temporality: number;
  attributes: NativeAttributes;
  value: number;
  startNs: bigint;
  timeNs: bigint;
}

export interface NativeBatch {
  spans: NativeSpan[];
  logs: NativeLog[];
  metrics: NativeMetricPoint[];
  /** Data points of kinds that are not taken (histograms, summaries). */
  skippedPoints: number;
}

export function emptyBatch(): NativeBatch {
  return { spans: [], logs: [], metrics: [], skippedPoints: 0 };
}
