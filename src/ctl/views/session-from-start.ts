import type { StoredStart } from '../../store/reader.ts';
import type { SessionFigures } from './session-record.ts';
import { NO_COUNTS } from '../../store/session-meta.ts';

// A running session's figures: what its spans say so far (see session-from-spans.ts), with
// what started.json knows and the spans cannot say yet (its mode, claude's version, the git
// work tree, the trace), since the session span that carries those ends only with the session.

/** `figures` completed from `start`; a session with no span stored yet gets zero counts. */
export function withStart(figures: SessionFigures | undefined, start: StoredStart): SessionFigures {
  const base: SessionFigures = figures ?? {
    runId: '',
    traceId: '',
    sessionId: '',
    mode: 'unknown',
    model: 'unknown',
    version: 'unknown',
    startTime: start.startTime,
    ended: false,
    endTime: 0,
    ...NO_COUNTS,
    isError: false,
    interrupted: false,
  };
  const out: SessionFigures = {
    ...base,
    traceId: base.traceId || start.traceId,
    sessionId: base.sessionId || start.sessionId,
    mode: base.mode === 'unknown' ? start.mode : base.mode,
    model: base.model === 'unknown' ? start.model : base.model,
    version: base.version === 'unknown' ? start.version : base.version,
    startTime: Math.min(base.startTime, start.startTime > 0 ? start.startTime : base.startTime),
  };
  const preview = base.promptPreview ?? start.promptPreview;
  if (preview !== undefined) out.promptPreview = preview;
  const resumedFrom = base.resumedFrom ?? start.resumedFrom;
  if (resumedFrom !== undefined) out.resumedFrom = resumedFrom;
  const git = base.git ?? start.git;
  if (git !== undefined) out.git = git;
  return out;
}
