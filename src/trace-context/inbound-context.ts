import { ROOT_CONTEXT, propagation, trace, TraceFlags } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { TraceState, W3CBaggagePropagator } from '@opentelemetry/core';
import type { SessionIds } from './traceparent.ts';

// The context the session span starts in: the caller's span (TRACEPARENT, TRACESTATE) and
// baggage (BAGGAGE), as OpenTelemetry contexts.

const baggagePropagator = new W3CBaggagePropagator();

/** `inbound`: TRACESTATE and BAGGAGE as the caller set them. */
export function inboundContext(inbound: { readonly tracestate?: string; readonly baggage?: string }, ids: SessionIds): Context {
  let context = ROOT_CONTEXT;
  if (ids.inbound) {
    const spanContext = {
      traceId: ids.inbound.traceId,
      spanId: ids.inbound.spanId,
      traceFlags: ids.inbound.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
      ...(inbound.tracestate ? { traceState: new TraceState(inbound.tracestate) } : {}),
    };
    context = trace.setSpanContext(context, spanContext);
  }
  if (inbound.baggage) {
    context = baggagePropagator.extract(
      context,
      { baggage: inbound.baggage },
      {
        get: (carrier: Record<string, string>, key: string) => carrier[key],
        keys: (carrier: Record<string, string>) => Object.keys(carrier),
      },
    );
  }
  return context;
}

/** Baggage entries, for the session span's attributes. */
export function baggageEntries(context: Context): Record<string, string> {
  const baggage = propagation.getBaggage(context);
  if (!baggage) return {};
  return Object.fromEntries(baggage.getAllEntries().map(([key, entry]) => [key, entry.value]));
}
