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
  if (version === '00' && match[0].length !== 55) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceParent(parent: TraceParent): string {
  return `00-${parent.traceId}-${parent.spanId}-${parent.sampled ? '01' : '00'}`;
}

/**
 * `bytes` random bytes in hex, never all zeros (an invalid id). Math.random, as the
 * OpenTelemetry SDK's own id generator uses for every other span: these ids are chosen
 * before claude starts, and loading node:crypto for them would cost claude about 2 ms.
 */
function randomHexId(bytes: number): string {
  let id = '';
  for (let i = 0; i < bytes; i++) {
    const byte = Math.floor(Math.random() * 256);
    id += byte.toString(16).padStart(2, '0');
  }
  return /^0+$/.test(id) ? randomHexId(bytes) : id;
}

export function newTraceId(): string {
  return randomHexId(16);
}

export function newSpanId(): string {
  return randomHexId(8);
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
  else if (raw?.trim()) ids.malformed = raw.trim().slice(0, 80);
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
