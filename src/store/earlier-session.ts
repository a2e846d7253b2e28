import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TraceFlags } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { sessionsDir } from './local-store.ts';

// The root span of a session's latest earlier run, as the local store's meta.json recorded it:
// what a resumed session links to. Runs are read newest first (run ids begin with their start
// time) and the search stops at the first match; a damaged or foreign file is passed over.

const HEX_TRACE_ID = /^[0-9a-f]{32}$/;
const HEX_SPAN_ID = /^[0-9a-f]{16}$/;

function metaIds(path: string): { sessionId: unknown; traceId: unknown; spanId: unknown } | undefined {
  try {
    const meta: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof meta !== 'object' || meta === null) return undefined;
    const { sessionId, traceId, spanId } = meta as Record<string, unknown>;
    return { sessionId, traceId, spanId };
  } catch {
    return undefined;
  }
}

export function earlierSessionSpan(stateDir: string, sessionId: string, thisRunId: string | undefined): SpanContext | undefined {
  let runIds: string[];
  try {
    runIds = readdirSync(sessionsDir(stateDir)).sort().reverse();
  } catch {
    return undefined;
  }
  for (const runId of runIds) {
    if (runId === thisRunId) continue;
    const ids = metaIds(join(sessionsDir(stateDir), runId, 'meta.json'));
    if (!ids || ids.sessionId !== sessionId) continue;
    if (typeof ids.traceId !== 'string' || !HEX_TRACE_ID.test(ids.traceId)) continue;
    if (typeof ids.spanId !== 'string' || !HEX_SPAN_ID.test(ids.spanId)) continue;
    return { traceId: ids.traceId, spanId: ids.spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true };
  }
  return undefined;
}
