import { escapeHtml } from './html-escape.ts';
import { columnChart, horizontalBarChart } from './svg-charts.ts';
import { htmlWaterfall } from './html-waterfall.ts';
import type { HtmlWaterfallOptions } from './html-waterfall.ts';
import { clip, formatCost, formatCount, formatDuration, formatLocalTime, formatPercent, localDay } from '../../display-format.ts';
import { durationMs, neverSent, sessionStatus, sessionTokens } from '../../views/session-record.ts';
import type { SessionRecord } from '../../views/session-record.ts';
import type { DayCost, SessionStats } from '../../views/session-stats.ts';
import type { WaterfallNode } from '../../views/waterfall.ts';
import { totalTokens } from '../../views/stored-spans.ts';
import { repoAtBranch } from '../../views/git-figures.ts';
import { moneySection, timeSection } from './html-money-time.ts';
import type { MoneyTimeSummary } from '../../views/money-time-summary.ts';

// The HTML report: one self-contained file (inline CSS and SVG, no script, no font, no image,
// nothing fetched) with the period's figures as charts and a waterfall per chosen session.
// Its Content-Security-Policy forbids every fetch, so even text that slipped past escaping
// could not load anything.

export interface ReportSession {
  record: SessionRecord;
  shortId: string;
  tree: WaterfallNode[];
  /** Shown instead of the session's status (the live page says `running`). */
  status?: string;
}

export interface ReportInput {
  generatedAt: number;
  /** What the figures cover, e.g. `sessions since 2026-01-24 10:00:00`. */
  scope: string;
  stats: SessionStats;
  /** The period the figures cover: days without sessions are drawn too, when it is short enough. */
  period?: { from: number; to: number };
  sessions: ReportSession[];
  /** Shown instead of the sessions when there are none. */
  emptyMessage?: string;
  /** Where the money and time of the covered sessions went. */
  moneyAndTime?: MoneyTimeSummary;
  /** How the waterfalls are drawn (the live page marks each row with its span). */
  waterfall?: HtmlWaterfallOptions;
}

const COLOURS = {
  ok: '#2e9e5b',
  error: '#d64545',
  input: '#4a78c2',
  output: '#8e5cc4',
  cacheRead: '#9bbbe8',
  cacheCreation: '#e0a040',
  cost: '#3a8f8f',
  p50: '#4a78c2',
  p95: '#b7c9ea',
};

/** The report's style sheet, which the live page of `serve` uses too. */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #222; background: #fafafa; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
h3 { font-size: 14px; margin: 0 0 6px; }
.muted { color: #666; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 14px; min-width: 120px; }
.card .value { font-size: 20px; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart-box { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px; overflow-x: auto; }
table { border-collapse: collapse; background: #fff; }
th, td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; white-space: nowrap; }
th { font-weight: 600; color: #444; background: #f0f0f0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.bad { color: ${COLOURS.error}; font-weight: 600; }
table.sessions { font-size: 13px; }
article.session { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 12px; margin: 16px 0; }
article.session p { margin: 2px 0; }
table.waterfall { width: 100%; font-size: 12px; table-layout: fixed; }
table.waterfall th:nth-child(1), table.waterfall th:nth-child(2) { width: 64px; }
table.waterfall th:nth-child(3) { width: 34%; }
table.waterfall th:nth-child(4) { width: 90px; }
table.waterfall th:nth-child(5) { width: 36px; }
td.span { overflow: hidden; text-overflow: ellipsis; }
td.span .detail { color: #777; }
.error-text { color: ${COLOURS.error}; white-space: normal; }
td.timeline { position: relative; }
.bar { position: absolute; top: 4px; bottom: 4px; min-width: 2px; border-radius: 2px; background: #999; }
tr.session .bar { background: #b0b0b0; }
tr.prompt .bar { background: #8e5cc4; }
tr.chat .bar { background: ${COLOURS.input}; }
tr.tool .bar { background: ${COLOURS.ok}; }
tr.agent .bar { background: #e0a040; }
tr.rebuild .bar { background: ${COLOURS.cacheCreation}; }
tr.rebuild td.span .label, tr.compaction td.span .label { color: #a86a00; font-weight: 600; }
tr.compaction .bar { background: #a86a00; width: 3px !important; }
tr.error .bar { background: ${COLOURS.error}; }
tr.error td { background: #fdf0f0; }
tr.session td.span .label, tr.prompt td.span .label { font-weight: 600; }
`;

function card(label: string, value: string): string {
  return `<div class="card"><div class="muted">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`;
}

function chartBox(title: string, svg: string): string {
  return `<div class="chart-box"><h3>${escapeHtml(title)}</h3>${svg}</div>`;
}

const MAX_FILLED_DAYS = 62;

/** The cost per day with the period's quiet days as zero columns, so the chart shows a calendar. */
export function daysOfPeriod(stats: SessionStats, period: ReportInput['period']): DayCost[] {
  if (!period) return stats.costPerDay;
  const byDay = new Map(stats.costPerDay.map((d) => [d.day, d]));
  const days: DayCost[] = [];
  const cursor = new Date(period.from);
  cursor.setHours(12, 0, 0, 0); // noon: a daylight-saving change cannot skip or repeat a day
  const last = localDay(period.to);
  while (days.length <= MAX_FILLED_DAYS) {
    const day = localDay(cursor.getTime());
    days.push(byDay.get(day) ?? { day, sessions: 0, costUsd: 0 });
    if (day >= last) return days;
    cursor.setDate(cursor.getDate() + 1);
  }
  return stats.costPerDay;
}

function charts(stats: SessionStats, period: ReportInput['period']): string {
  const boxes: string[] = [];
  if (stats.tools.length > 0) {
    boxes.push(
      chartBox(
        'Tool calls',
        horizontalBarChart(
          'Tool calls',
          stats.tools.map((t) => ({
            label: t.tool,
            segments: [
              { name: 'succeeded', value: t.calls - t.errors, colour: COLOURS.ok },
              { name: 'failed', value: t.errors, colour: COLOURS.error },
            ],
            note: `${formatCount(t.calls)} (${formatPercent(t.errorRate)} failed)`,
          })),
        ),
      ),
    );
    boxes.push(
      chartBox(
        'Tool duration',
        horizontalBarChart(
          'Tool duration',
          stats.tools.map((t) => {
            const p50 = t.durationMs.p50 ?? 0;
            const p95 = t.durationMs.p95 ?? p50;
            return {
              label: t.tool,
              segments: [
                { name: 'p50', value: p50, colour: COLOURS.p50 },
                { name: 'p95', value: Math.max(0, p95 - p50), colour: COLOURS.p95 },
              ],
              note: `${formatDuration(p50)} / ${formatDuration(p95)}`,
            };
          }),
        ),
      ),
    );
  }
  if (stats.tokens.length > 0) {
    boxes.push(
      chartBox(
        'Tokens by model',
        horizontalBarChart(
          'Tokens by model',
          stats.tokens.map((t) => ({
            label: t.model,
            segments: [
              { name: 'input', value: t.input, colour: COLOURS.input },
              { name: 'output', value: t.output, colour: COLOURS.output },
              { name: 'cache read', value: t.cacheRead, colour: COLOURS.cacheRead },
              { name: 'cache write', value: t.cacheCreation, colour: COLOURS.cacheCreation },
            ],
            note: formatCount(t.total),
          })),
        ),
      ),
    );
  }
  if (stats.costPerModel.length > 0) {
    boxes.push(
      chartBox(
        'Cost by model',
        horizontalBarChart(
          'Cost by model',
          stats.costPerModel.map((m) => ({ label: m.model, segments: [{ name: 'USD', value: m.costUsd, colour: COLOURS.cost }], note: formatCost(m.costUsd) })),
        ),
      ),
    );
  }
  if (stats.costPerDay.length > 0) {
    boxes.push(
      chartBox(
        'Cost per day',
        columnChart(
          'Cost per day',
          daysOfPeriod(stats, period).map((d) => ({ label: d.day.slice(5), value: d.costUsd, note: formatCost(d.costUsd) })),
          COLOURS.cost,
        ),
      ),
    );
  }
  return boxes.length > 0 ? `<div class="charts">${boxes.join('')}</div>` : '';
}

/** The table of sessions, each linking to its waterfall (`#s-<run id>`). */
export function sessionList(sessions: ReportSession[]): string {
  const rows = sessions
    .map(({ record: s, shortId, status: shown }) => {
      const status = shown ?? sessionStatus(s);
      return (
        '<tr>' +
        `<td>${escapeHtml(formatLocalTime(s.startTime))}</td>` +
        `<td><a href="#s-${escapeHtml(s.runId)}">${escapeHtml(shortId)}</a></td>` +
        `<td>${escapeHtml(s.model)}</td>` +
        `<td>${escapeHtml(repoAtBranch(s.git))}</td>` +
        `<td class="num">${formatDuration(durationMs(s))}</td>` +
        `<td class="num">${s.toolCalls}</td>` +
        `<td class="num${s.toolErrors > 0 ? ' bad' : ''}">${s.toolErrors}</td>` +
        `<td class="num">${formatCount(totalTokens(sessionTokens(s)))}</td>` +
        `<td class="num">${formatCost(s.costUsd)}</td>` +
        `<td class="num${s.exitCode ? ' bad' : ''}">${s.exitCode ?? '-'}</td>` +
        `<td class="${status === 'ok' || status === 'running' ? '' : 'bad'}">${escapeHtml(status)}</td>` +
        `<td>${escapeHtml(clip(s.promptPreview ?? '', 80))}</td>` +
        '</tr>'
      );
    })
    .join('\n');
  return (
    '<table class="sessions"><thead><tr><th>started</th><th>id</th><th>model</th><th>repo@branch</th><th>duration</th><th>tools</th><th>errors</th><th>tokens</th><th>cost</th><th>exit</th><th>status</th><th>prompt</th></tr></thead>' +
    `<tbody>\n${rows}\n</tbody></table>`
  );
}

function sessionArticle({ record: s, tree, status }: ReportSession, waterfall: HtmlWaterfallOptions): string {
  const t = sessionTokens(s);
  const facts = [
    formatLocalTime(s.startTime),
    s.mode,
    s.model,
    ...(s.git ? [repoAtBranch(s.git)] : []),
    `claude ${s.version}`,
    formatDuration(durationMs(s)),
    s.exitCode === undefined ? 'no exit code' : `exit ${s.exitCode}`,
    status ?? sessionStatus(s),
    `${s.toolCalls} tool calls (${s.toolErrors} failed)`,
    `tokens ${formatCount(t.input + t.cacheRead + t.cacheCreation)} in / ${formatCount(t.output)} out`,
    formatCost(s.costUsd),
    s.delivered ? 'delivered' : neverSent(s) ? 'not sent' : 'not delivered',
  ];
  return (
    `<article class="session" id="s-${escapeHtml(s.runId)}">` +
    `<h3>session ${escapeHtml(s.sessionId || '(unknown id)')}</h3>` +
    `<p class="muted">${facts.map(escapeHtml).join(' · ')}</p>` +
    (s.promptPreview ? `<p>prompt: ${escapeHtml(s.promptPreview)}</p>` : '') +
    htmlWaterfall(tree, waterfall) +
    '</article>'
  );
}

function shownTimes(sessions: ReportSession[], m: MoneyTimeSummary): { label: string; split: MoneyTimeSummary['time'] }[] {
  const byRun = new Map(m.sessions.map((x) => [x.runId, x.split]));
  return sessions.flatMap(({ record, shortId }) => {
    const split = byRun.get(record.runId);
    return split ? [{ label: `${shortId} ${repoAtBranch(record.git) === '-' ? '' : repoAtBranch(record.git)}`.trim(), split }] : [];
  });
}

/** The report's content, between its title and the end of the page: the live page shows it too. */
export function reportMain(input: ReportInput): string {
  const { stats } = input;
  const s = stats.sessions;
  const allTokens = stats.tokens.reduce((sum, t) => sum + t.total, 0);
  return input.sessions.length === 0 && s.count === 0
    ? `<p>${escapeHtml(input.emptyMessage ?? 'no sessions')}</p>`
    : `<div class="cards">${[
        card('sessions', formatCount(s.count)),
        card('with errors', formatCount(s.withErrors)),
        card('duration p50', formatDuration(s.durationMs.p50)),
        card('duration p95', formatDuration(s.durationMs.p95)),
        card('tokens', formatCount(allTokens)),
        card('cost', formatCost(s.costUsd)),
      ].join('')}</div>` +
        charts(stats, input.period) +
        (input.moneyAndTime ? moneySection(input.moneyAndTime) + timeSection(input.moneyAndTime, shownTimes(input.sessions, input.moneyAndTime)) : '') +
        (input.sessions.length > 0
          ? `<h2>Sessions</h2>${sessionList(input.sessions)}<h2>Waterfalls</h2>${input.sessions.map((x) => sessionArticle(x, input.waterfall ?? {})).join('\n')}`
          : '');
}

export function renderHtmlReport(input: ReportInput): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>claude-otel report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<h1>Claude Code sessions</h1>
<p class="muted">${escapeHtml(`${input.scope} · generated ${formatLocalTime(input.generatedAt)} by claude-otel-ctl`)}</p>
${reportMain(input)}
</body>
</html>
`;
}
