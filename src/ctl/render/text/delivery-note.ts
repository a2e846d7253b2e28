import type { SessionRecord } from '../../views/session-record.ts';
import { formatLocalTime } from '../../display-format.ts';

// What the viewing commands say about sessions the collector has not taken yet: the last
// reason a send failed, and the two commands that help.

export const DELIVERY_COMMANDS = 'claude-otel-ctl doctor diagnoses the connection, claude-otel-ctl replay sends what waits';

/** A session with chunks the collector has not accepted. */
export function isUndelivered(s: SessionRecord): boolean {
  return s.chunks > 0 && !s.delivered;
}

/** `last attempt 2026-01-31 08:05:09: traces to http://…: connection refused`, or that none is recorded. */
export function lastFailureText(s: SessionRecord): string {
  const f = s.deliveryFailure;
  if (f) return `last attempt ${formatLocalTime(f.timeMs)}: ${f.reason}`;
  return s.source === 'transcript'
    ? 'imported without --export (claude-otel-ctl import --export sends what was imported)'
    : 'no reason recorded (the wrapper stopped while sending, or an older version recorded it)';
}

/** The lines under the `sessions` table when some listed session waits; none when all were delivered. */
export function undeliveredFootnote(sessions: SessionRecord[]): string[] {
  const waiting = sessions.filter(isUndelivered);
  if (waiting.length === 0) return [];
  const latest = waiting.filter((s) => s.deliveryFailure).sort((a, b) => (b.deliveryFailure?.timeMs ?? 0) - (a.deliveryFailure?.timeMs ?? 0))[0];
  return [
    `${waiting.length} session${waiting.length === 1 ? '' : 's'} not delivered to the collector (sent: no)${latest ? `; ${lastFailureText(latest)}` : ''}`,
    DELIVERY_COMMANDS,
  ];
}
