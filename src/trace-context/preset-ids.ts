import { RandomIdGenerator } from '@opentelemetry/sdk-trace-base';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';

// Gives the session span the ids chosen before claude started (see traceparent.ts); every
// later span gets the SDK's usual random ids.

export class PresetIdGenerator implements IdGenerator {
  private traceId: string | undefined;
  private spanId: string | undefined;
  private readonly random = new RandomIdGenerator();

  constructor(traceId: string, spanId: string) {
    this.traceId = traceId;
    this.spanId = spanId;
  }

  generateTraceId(): string {
    const id = this.traceId ?? this.random.generateTraceId();
    this.traceId = undefined;
    return id;
  }

  generateSpanId(): string {
    const id = this.spanId ?? this.random.generateSpanId();
    this.spanId = undefined;
    return id;
  }
}
