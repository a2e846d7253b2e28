import type { HrTime } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';

// What Claude's spans and records need to become the SDK's: their times, and their scopes.

/** One instrumentation scope object per name: the encoders group records by its identity. */
const scopes = new Map<string, InstrumentationScope>();
export function scopeNamed(name: string): InstrumentationScope {
  let scope = scopes.get(name);
  if (!scope) {
    scope = { name };
    scopes.set(name, scope);
  }
  return scope;
}

/** OTLP's nanoseconds as the SDK's [seconds, nanoseconds]. */
export function hrTime(ns: bigint): HrTime {
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}
