import { CtlFailure, EXIT_NOT_FOUND, EXIT_USAGE } from '../ctl-failure.ts';
import type { SessionRecord } from './session-record.ts';

// Which session a user means by `last`, a full session id, an id prefix or a run id.

export const SHORT_ID_LENGTH = 8;

export function shortId(record: Pick<SessionRecord, 'sessionId' | 'runId'>): string {
  return record.sessionId ? record.sessionId.slice(0, SHORT_ID_LENGTH) : record.runId;
}

/** What makes runs one session: its id, or the run itself when claude never reported one. */
function sessionKey(record: SessionRecord): string {
  return record.sessionId ? `session ${record.sessionId.toLowerCase()}` : `run ${record.runId}`;
}

/**
 * `sessions` must be newest first. A session id, or a prefix that names one session only, means
 * that session's newest run (each `--resume` keeps the id and is stored as a run of its own; a
 * run id names one run). Throws a not-found or ambiguity failure.
 */
export function findSession(sessions: SessionRecord[], query: string): SessionRecord {
  const wanted = query.trim().toLowerCase();
  if (wanted === '') throw new CtlFailure('no session id given (use a session id, a prefix of one, or "last")', EXIT_USAGE);
  if (wanted === 'last') {
    const newest = sessions[0];
    if (!newest) throw new CtlFailure('no sessions recorded yet', EXIT_NOT_FOUND);
    return newest;
  }
  const exact = sessions.find((s) => s.runId.toLowerCase() === wanted) ?? sessions.find((s) => s.sessionId.toLowerCase() === wanted);
  if (exact) return exact;
  const matches = sessions.filter((s) => s.sessionId.toLowerCase().startsWith(wanted) || s.runId.toLowerCase().startsWith(wanted));
  const [newest] = matches;
  if (!newest) throw new CtlFailure(`no session matches "${query}"`, EXIT_NOT_FOUND);
  // Newest first, so each session's first match is its newest run.
  const newestRuns = new Map<string, SessionRecord>();
  const runCounts = new Map<string, number>();
  for (const s of matches) {
    const key = sessionKey(s);
    if (!newestRuns.has(key)) newestRuns.set(key, s);
    runCounts.set(key, (runCounts.get(key) ?? 0) + 1);
  }
  if (newestRuns.size === 1) return newest;
  const all = [...newestRuns.entries()];
  const candidates = all.slice(0, 10).map(([key, s]) => {
    const runs = runCounts.get(key) ?? 1;
    return `${s.sessionId || '?'} (${runs === 1 ? `run ${s.runId}` : `${runs} runs, the newest ${s.runId}`})`;
  });
  const more = all.length > candidates.length ? `, and ${all.length - candidates.length} more` : '';
  throw new CtlFailure(`"${query}" matches ${all.length} sessions: ${candidates.join(', ')}${more}`, EXIT_USAGE);
}
