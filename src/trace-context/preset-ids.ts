import type { IdGenerator } from '@opentelemetry/sdk-trace-base';
import { newSpanId, newTraceId } from './traceparent.ts';

// Gives the session span the ids chosen before claude started (see traceparent.ts); every
// later span gets fresh random ids.

export class PresetIdGenerator implements IdGenerator {
  private traceId: string | undefined;
  private spanId: string | undefined;

  constructor(traceId: string, spanId: string) {
    this.traceId = traceId;
    this.spanId = spanId;
  }

  generateTraceId(): string {
    const id = this.traceId ?? newTraceId();
    this.traceId = undefined;
    return id;
  }

  generateSpanId(): string {
    const id = this.spanId ?? newSpanId();
    this.spanId = undefined;
    return id;
  }
}
