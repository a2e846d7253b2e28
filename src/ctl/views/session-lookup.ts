import { CtlFailure, EXIT_NOT_FOUND, EXIT_USAGE } from '../ctl-failure.ts';
import type { SessionRecord } from './session-record.ts';

// Which session a user means by `last`, a full session id, an id prefix or a run id.

export const SHORT_ID_LENGTH = 8;

export function shortId(record: Pick<SessionRecord, 'sessionId' | 'runId'>): string {
  return record.sessionId ? record.sessionId.slice(0, SHORT_ID_LENGTH) : record.runId;
}

/** `sessions` must be newest first. Throws a not-found or ambiguity failure. */
export function findSession(sessions: SessionRecord[], query: string): SessionRecord {
  const wanted = query.trim().toLowerCase();
  if (wanted === '') throw new CtlFailure('no session id given (use a session id, a prefix of one, or "last")', EXIT_USAGE);
  if (wanted === 'last') {
    const newest = sessions[0];
    if (!newest) throw new CtlFailure('no sessions recorded yet', EXIT_NOT_FOUND);
    return newest;
  }
  // A resumed session runs again under the same id, so one id can name several runs: a run id
  // always names exactly one.
  const byRun = sessions.find((s) => s.runId.toLowerCase() === wanted);
  if (byRun) return byRun;
  const matches = sessions.filter((s) => s.sessionId.toLowerCase().startsWith(wanted) || s.runId.toLowerCase().startsWith(wanted));
  const [only, ...others] = matches;
  if (!only) throw new CtlFailure(`no session matches "${query}"`, EXIT_NOT_FOUND);
  if (others.length === 0) return only;
  const candidates = matches.slice(0, 10).map((s) => `${s.sessionId || '?'} (run ${s.runId})`);
  const more = matches.length > candidates.length ? `, and ${matches.length - candidates.length} more` : '';
  throw new CtlFailure(`"${query}" matches ${matches.length} sessions: ${candidates.join(', ')}${more}`, EXIT_USAGE);
}
