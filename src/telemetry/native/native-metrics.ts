import type { Attributes, Counter, Gauge, Meter, UpDownCounter } from '@opentelemetry/api';
import { NATIVE_METRIC_COST_USAGE, NATIVE_METRIC_SESSION_COUNT, NATIVE_METRIC_TOKEN_USAGE } from '../names.ts';
import type { NativeMetricPoint } from '../../sources/native-otlp/native-records.ts';
import type { Redactor } from '../../privacy/redact.ts';
import { translateAttributes } from './native-attributes.ts';

// Claude Code's own metrics, folded into ours: recorded on the wrapper's meter, so that they
// leave once, with ours, through the store and the export. Claude's cost, token and session
// counts are left out: ours count the same calls (claude.cost.usage, claude.token.usage,
// claude.session.count), and a dashboard summing both would count everything twice. The
// others (active time, lines of code, commits, pull requests, edit decisions, and any we do
// not know) pass on under their own names. Claude sends deltas; a cumulative series is turned
// into its increments.

/** Claude's metrics that ours already are. */
export const NATIVE_METRICS_LEFT_OUT = new Set([NATIVE_METRIC_COST_USAGE, NATIVE_METRIC_TOKEN_USAGE, NATIVE_METRIC_SESSION_COUNT]);

const CUMULATIVE = 2;

export class NativeMetrics {
  private readonly counters = new Map<string, Counter>();
  private readonly upDown = new Map<string, UpDownCounter>();
  private readonly gauges = new Map<string, Gauge>();
  /** The last value of each cumulative series, by metric and attributes. */
  private readonly last = new Map<string, number>();

  constructor(
    private readonly meter: Meter,
    private readonly redact: Redactor,
  ) {}

  record(points: NativeMetricPoint[]): void {
    for (const point of points) {
      if (NATIVE_METRICS_LEFT_OUT.has(point.name) || !point.name) continue;
      const attributes: Attributes = translateAttributes(point.attributes, { redact: this.redact, keepContent: false, joined: false });
      if (point.type === 'gauge') {
        this.instrument(this.gauges, point, () => this.meter.createGauge(point.name, this.describe(point))).record(point.value, attributes);
        continue;
      }
      let value = point.value;
      if (point.temporality === CUMULATIVE) {
        const key = `${point.name}\u0000${JSON.stringify(Object.entries(point.attributes).sort())}`;
        const before = this.last.get(key) ?? 0;
        this.last.set(key, point.value);
        value = point.value - before;
      }
      if (point.monotonic) {
        if (value > 0) this.instrument(this.counters, point, () => this.meter.createCounter(point.name, this.describe(point))).add(value, attributes);
      } else if (value !== 0)
        this.instrument(this.upDown, point, () => this.meter.createUpDownCounter(point.name, this.describe(point))).add(value, attributes);
    }
  }

  private describe(point: NativeMetricPoint): { unit?: string; description?: string } {
    return { ...(point.unit ? { unit: point.unit } : {}), ...(point.description ? { description: point.description } : {}) };
  }

  private instrument<T>(map: Map<string, T>, point: NativeMetricPoint, create: () => T): T {
    let instrument = map.get(point.name);
    if (!instrument) {
      instrument = create();
      map.set(point.name, instrument);
    }
    return instrument;
  }
}
