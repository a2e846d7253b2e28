import { TraceFlags } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { readMeta, runsNewestFirst } from './reader.ts';

// The root span of a session's latest earlier run, as the local store's meta.json recorded it:
// what a resumed session links to. Runs are read newest first and the search stops at the
// first match; a meta.json the store's reader does not accept (damaged, foreign, not written
// yet) is passed over. Loaded only when a resumed session asks (the reader brings the schemas).

const HEX_TRACE_ID = /^[0-9a-f]{32}$/;
const HEX_SPAN_ID = /^[0-9a-f]{16}$/;

export function earlierSessionSpan(stateDir: string, sessionId: string, thisRunId: string | undefined): SpanContext | undefined {
  for (const run of runsNewestFirst(stateDir)) {
    if (run.runId === thisRunId) continue;
    const read = readMeta(run.dir);
    if (!read?.ok || read.value.sessionId !== sessionId) continue;
    const { traceId, spanId } = read.value;
    if (!HEX_TRACE_ID.test(traceId) || spanId === undefined || !HEX_SPAN_ID.test(spanId)) continue;
    return { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true };
  }
  return undefined;
}
