import { escapeHtml } from '../render/html/html-escape.ts';
import { reportMain, sessionList } from '../render/html/html-report.ts';
import type { ReportSession } from '../render/html/html-report.ts';
import { computeStats } from '../views/session-stats.ts';
import { summarizeMoneyAndTime } from '../views/money-time-summary.ts';
import { buildWaterfall } from '../views/waterfall.ts';
import { shortId } from '../views/session-lookup.ts';
import type { SessionRecord } from '../views/session-record.ts';
import type { StoreReader } from '../views/store-reader.ts';
import { isRunning } from '../views/run-liveness.ts';
import { formatLocalTime } from '../display-format.ts';

// The parts of the live page the server draws: the sessions table and one session's view, by
// the HTML report's own rendering (its charts, money and time, waterfall), every stored text
// escaped there. The page puts them in place as they come.

function reportSession(record: SessionRecord, store: StoreReader | undefined): ReportSession {
  return {
    record,
    shortId: shortId(record),
    tree: store ? buildWaterfall(store.spans(record)) : [],
    ...(isRunning(record) ? { status: 'running' } : {}),
  };
}

/** The sessions table; `total` sessions matched, `shown` of them are listed. */
export function sessionsFragment(shown: SessionRecord[], total: number, recorded: number): string {
  if (recorded === 0) return '<p class="muted">No sessions recorded yet.</p>';
  if (total === 0) return `<p class="muted">No sessions match (${recorded} recorded).</p>`;
  const note = shown.length < total ? `the newest ${shown.length} of ${total} sessions that match` : `${total} session${total === 1 ? '' : 's'}`;
  return `<p class="muted">${escapeHtml(note)}</p>${sessionList(shown.map((s) => reportSession(s, undefined)))}`;
}

/** One session as the report shows it: its figures, money and time, and its waterfall with each row marked. */
export function sessionFragment(record: SessionRecord, store: StoreReader, now: number): string {
  const spans = store.spans(record);
  const withSpans = [{ figures: record, spans, runId: record.runId }];
  return reportMain({
    generatedAt: now,
    scope: `session ${record.sessionId || record.runId}`,
    stats: computeStats(withSpans),
    moneyAndTime: summarizeMoneyAndTime(withSpans),
    sessions: [reportSession(record, store)],
    waterfall: { markRows: true },
  }).concat(`<p class="muted">as of ${escapeHtml(formatLocalTime(now))}</p>`);
}
