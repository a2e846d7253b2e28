import { randomBytes } from 'node:crypto';

// W3C Trace Context in environment variables (the OpenTelemetry environment-carrier
// convention: TRACEPARENT, TRACESTATE, BAGGAGE). Parsed here without the SDK, because the
// trace claude joins must be known before claude starts, and the SDK loads after that.

export interface TraceParent {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

export function parseTraceParent(value: string | undefined): TraceParent | undefined {
  const match = value ? TRACEPARENT.exec(value.trim()) : null;
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match;
  if (version === 'ff' || !traceId || !spanId || !flags) return undefined;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  // Version 00 has exactly four fields.
  if (version === '00' && value!.trim().length !== 55) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceParent(parent: TraceParent): string {
  return `00-${parent.traceId}-${parent.spanId}-${parent.sampled ? '01' : '00'}`;
}

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * The ids the session span will have, chosen before claude starts so that claude's
 * environment can name it: the inbound trace when there is one, else a new trace.
 */
export interface SessionIds {
  traceId: string;
  sessionSpanId: string;
  inbound?: TraceParent;
  /** The inbound TRACEPARENT was set but could not be read. */
  malformed?: string;
}

export function planSessionIds(env: Record<string, string | undefined>): SessionIds {
  const raw = env.TRACEPARENT;
  const inbound = parseTraceParent(raw);
  const ids: SessionIds = { traceId: inbound?.traceId ?? newTraceId(), sessionSpanId: newSpanId() };
  if (inbound) ids.inbound = inbound;
  else if (raw && raw.trim()) ids.malformed = raw.trim().slice(0, 80);
  return ids;
}

/**
 * claude's environment: TRACEPARENT names the session span, so that an instrumented program
 * a Bash command starts joins the session's trace. The caller's own TRACEPARENT is never
 * passed on unchanged; TRACESTATE and BAGGAGE are passed on as they came.
 */
export function claudeEnvironment(env: Record<string, string | undefined>, ids: SessionIds): Record<string, string | undefined> {
  const sampled = ids.inbound?.sampled ?? true;
  const out: Record<string, string | undefined> = { ...env, TRACEPARENT: formatTraceParent({ traceId: ids.traceId, spanId: ids.sessionSpanId, sampled }) };
  if (!ids.inbound) delete out.TRACESTATE;
  return out;
}
