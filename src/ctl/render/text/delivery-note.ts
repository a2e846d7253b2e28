import { neverSent } from '../../views/session-record.ts';
import type { SessionRecord } from '../../views/session-record.ts';
import { formatLocalTime } from '../../display-format.ts';

// What the viewing commands say about sessions the collector has not taken yet: the last
// reason a send failed, and the two commands that help; for imported sessions nobody sent,
// that they wait to be sent, which is no fault of the collector.

export const DELIVERY_COMMANDS = 'claude-otel-ctl doctor diagnoses the connection, claude-otel-ctl replay sends what waits';

/** A session with chunks the collector has not accepted, after a send was tried. */
export function isUndelivered(s: SessionRecord): boolean {
  return s.chunks > 0 && !s.delivered && !neverSent(s);
}

/** `last attempt 2026-01-31 08:05:09: traces to http://…: connection refused`, or that none is recorded. */
export function lastFailureText(s: SessionRecord): string {
  const f = s.deliveryFailure;
  if (f) return `last attempt ${formatLocalTime(f.timeMs)}: ${f.reason}`;
  return 'no reason recorded (the wrapper stopped while sending, or an older version recorded it)';
}

/** The lines under the `sessions` table when some listed session waits; none when all were delivered. */
export function undeliveredFootnote(sessions: SessionRecord[]): string[] {
  const lines: string[] = [];
  const waiting = sessions.filter(isUndelivered);
  if (waiting.length > 0) {
    const latest = waiting.filter((s) => s.deliveryFailure).sort((a, b) => (b.deliveryFailure?.timeMs ?? 0) - (a.deliveryFailure?.timeMs ?? 0))[0];
    lines.push(
      `${waiting.length} session${waiting.length === 1 ? '' : 's'} not delivered to the collector (sent: no)${latest ? `; ${lastFailureText(latest)}` : ''}`,
      DELIVERY_COMMANDS,
    );
  }
  const unsent = sessions.filter(neverSent).length;
  if (unsent > 0)
    lines.push(
      `${unsent} imported session${unsent === 1 ? '' : 's'} not sent (sent: no): imported without --export; claude-otel-ctl replay sends ${unsent === 1 ? 'it' : 'them'}`,
    );
  return lines;
}
