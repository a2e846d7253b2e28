import { CtlFailure, EXIT_NOT_FOUND } from '../ctl-failure.ts';
import { parseSince } from '../commands/option-values.ts';
import { findSession, shortId } from '../views/session-lookup.ts';
import { hasErrors, sessionJson } from '../views/session-record.ts';
import type { SessionRecord } from '../views/session-record.ts';
import { matchesBranch, matchesRepo } from '../views/git-figures.ts';
import { isRunning } from '../views/run-liveness.ts';
import type { StatsQuery, TracesQuery } from './api-params.ts';

// What the API's filters pick out of the store's sessions, and which session a trace key
// names. Pure over the sessions the store reader listed (newest first).

/** A failure the API answers with this HTTP status and reason. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** A `since`/`until` value as epoch ms; a date that does not exist (2026-02-31) is a 400. */
export function whenOf(name: string, text: string, now: number): number {
  try {
    return parseSince(text, now);
  } catch (error) {
    if (error instanceof CtlFailure) throw new ApiFailure(400, `${name}: ${error.message.replace(/^--since "[^"]*": /, '')}`);
    throw error;
  }
}

export type SessionStatusFilter = NonNullable<TracesQuery['status']>;

function statusMatches(s: SessionRecord, status: SessionStatusFilter): boolean {
  if (status === 'running') return isRunning(s);
  if (status === 'error') return hasErrors(s);
  return s.ended && !s.interrupted && !hasErrors(s);
}

/** The sessions the list's filters keep, newest first (before paging). */
export function filterSessions(all: readonly SessionRecord[], q: Omit<TracesQuery, 'limit' | 'offset' | 'token'>, now: number): SessionRecord[] {
  const from = q.since === undefined ? undefined : whenOf('since', q.since, now);
  const to = q.until === undefined ? undefined : whenOf('until', q.until, now);
  const model = q.model?.trim().toLowerCase();
  const text = q.q?.toLowerCase();
  return all.filter(
    (s) =>
      (from === undefined || s.startTime >= from) &&
      (to === undefined || s.startTime < to) &&
      (q.repo === undefined || matchesRepo(s.git, q.repo)) &&
      (q.branch === undefined || matchesBranch(s.git, q.branch)) &&
      (model === undefined || s.model.toLowerCase() === model) &&
      (q.mode === undefined || s.mode === q.mode) &&
      (q.status === undefined || statusMatches(s, q.status)) &&
      (q.delivered === undefined || s.delivered === q.delivered) &&
      (text === undefined || (s.promptPreview ?? '').toLowerCase().includes(text)),
  );
}

/** One item of the list: what `sessions --json` says of the session, and whether it is running. */
export function traceItem(s: SessionRecord): Record<string, unknown> {
  return { ...sessionJson(s, shortId(s)), running: isRunning(s) };
}

/** The period stats cover. */
export function statsPeriod(q: StatsQuery, now: number): { from: number; to: number } {
  return { from: whenOf('since', q.since, now), to: q.until === undefined ? now : whenOf('until', q.until, now) };
}

/**
 * The session a key names: its trace id, or what `show` takes (a run id, a session id or a prefix
 * of one: the newest run of a resumed session; `last`). Not found is a 404, an ambiguous prefix a 400.
 */
export function sessionByKey(all: SessionRecord[], key: string): SessionRecord {
  const wanted = key.toLowerCase();
  const byTrace = /^[0-9a-f]{32}$/.test(wanted) ? all.find((s) => s.traceId.toLowerCase() === wanted) : undefined;
  if (byTrace) return byTrace;
  try {
    return findSession(all, key);
  } catch (error) {
    if (error instanceof CtlFailure) throw new ApiFailure(error.exitCode === EXIT_NOT_FOUND ? 404 : 400, error.message);
    throw error;
  }
}
