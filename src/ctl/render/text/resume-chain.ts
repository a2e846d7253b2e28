import type { SessionRecord } from '../../views/session-record.ts';
import { SHORT_ID_LENGTH, shortId } from '../../views/session-lookup.ts';
import { formatLocalTime } from '../../display-format.ts';

// The runs a resumed session continues, nearest first. A plain resume keeps the session id, so
// an id can name several runs: the earlier run is the latest one of that id that started before.

export function resumeChain(session: SessionRecord, sessions: readonly SessionRecord[]): SessionRecord[] {
  const chain: SessionRecord[] = [];
  const seen = new Set([session.runId]);
  let current = session;
  while (current.resumedFrom !== undefined) {
    const { resumedFrom, startTime } = current;
    const earlier = sessions
      .filter((s) => s.sessionId === resumedFrom && !seen.has(s.runId) && s.startTime <= startTime)
      .sort((a, b) => b.startTime - a.startTime || (a.runId < b.runId ? 1 : -1))[0];
    if (!earlier) break;
    chain.push(earlier);
    seen.add(earlier.runId);
    current = earlier;
  }
  return chain;
}

/** `resumed from 1a2b3c4d (run …, started …) ← …`; undefined for a session that resumed nothing. */
export function resumeChainLine(session: SessionRecord, sessions: readonly SessionRecord[]): string | undefined {
  if (session.resumedFrom === undefined) return undefined;
  const chain = resumeChain(session, sessions);
  const runs = chain.map((s) => `${shortId(s)} (run ${s.runId}, started ${formatLocalTime(s.startTime)})`);
  const last = chain.at(-1) ?? session;
  // The chain goes back further than the store does (pruned, or recorded elsewhere).
  if (last.resumedFrom !== undefined) runs.push(`${last.resumedFrom.slice(0, SHORT_ID_LENGTH)} (not in the local store)`);
  return `resumed from ${runs.join(' ← ')}`;
}
