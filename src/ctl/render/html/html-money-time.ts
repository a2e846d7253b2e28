import { escapeHtml } from './html-escape.ts';
import { horizontalBarChart } from './svg-charts.ts';
import type { Segment } from './svg-charts.ts';
import { formatCost, formatDuration, formatPercent } from '../../display-format.ts';
import type { MoneyTimeSummary } from '../../views/money-time-summary.ts';
import type { CostComponents, TimeSplit } from '../../views/money-and-time.ts';

// The report's two answers: "where the money went" (cost by component, what cache rebuilds
// cost, cost per repository) and "where the time went" (the model, the tools, waiting on the
// person, the rest), over every session the report covers and per session shown.

export const MONEY_COLOURS = { input: '#4a78c2', output: '#8e5cc4', cacheRead: '#8fd3c8', cacheWrite: '#f2a541' };
export const TIME_COLOURS = { model: '#3f6fb5', tools: '#3aa35b', waiting: '#c2417a', other: '#c8c8c8' };

/** A session shown in the report: its label and where its time went. */
export interface TimeRow {
  label: string;
  split: TimeSplit;
}

function box(title: string, body: string): string {
  return `<div class="chart-box"><h3>${escapeHtml(title)}</h3>${body}</div>`;
}

function card(label: string, value: string, note?: string): string {
  return `<div class="card"><div class="muted">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div>${note ? `<div class="muted">${escapeHtml(note)}</div>` : ''}</div>`;
}

function costSegments(c: CostComponents): Segment[] {
  return [
    { name: 'input', value: c.input, colour: MONEY_COLOURS.input },
    { name: 'output', value: c.output, colour: MONEY_COLOURS.output },
    { name: 'cache read', value: c.cacheRead, colour: MONEY_COLOURS.cacheRead },
    { name: 'cache write', value: c.cacheWrite, colour: MONEY_COLOURS.cacheWrite },
  ];
}

function timeSegments(t: TimeSplit): Segment[] {
  return [
    { name: 'model', value: t.modelMs, colour: TIME_COLOURS.model },
    { name: 'tools', value: t.toolsMs, colour: TIME_COLOURS.tools },
    { name: 'waiting on the person', value: t.waitingMs, colour: TIME_COLOURS.waiting },
    { name: 'other', value: t.otherMs, colour: TIME_COLOURS.other },
  ];
}

const share = (part: number, whole: number): string => (whole > 0 ? formatPercent(part / whole) : '-');

export function moneySection(m: MoneyTimeSummary): string {
  const cards = [
    card('cost', formatCost(m.costUsd)),
    card(
      'cache rebuilds',
      formatCost(m.rebuildCostUsd),
      `${m.rebuilds} rebuild${m.rebuilds === 1 ? '' : 's'}, ${share(m.rebuildCostUsd, m.costUsd)} of the cost`,
    ),
    card('cache hit ratio', m.cacheHitRatio === null ? '-' : formatPercent(m.cacheHitRatio)),
  ];
  const boxes: string[] = [];
  if (m.cost) {
    const c = m.cost;
    const total = c.input + c.output + c.cacheRead + c.cacheWrite;
    boxes.push(
      box(
        'Cost by component',
        horizontalBarChart('Cost by component', [{ label: 'all sessions', segments: costSegments(c), note: formatCost(total) }]) +
          `<table><tbody>${costSegments(c)
            .map((s) => `<tr><td>${escapeHtml(s.name)}</td><td class="num">${formatCost(s.value)}</td><td class="num">${share(s.value, total)}</td></tr>`)
            .join(
              '',
            )}<tr><td>of which cache rebuilds</td><td class="num">${formatCost(m.rebuildCostUsd)}</td><td class="num">${share(m.rebuildCostUsd, total)}</td></tr></tbody></table>`,
      ),
    );
  }
  if (m.byRepository.length > 0) {
    boxes.push(
      box(
        'Cost by repository',
        horizontalBarChart(
          'Cost by repository',
          m.byRepository.map((r) => ({
            label: r.key,
            segments: r.cost ? costSegments(r.cost) : [{ name: 'cost', value: r.costUsd, colour: MONEY_COLOURS.input }],
            note: formatCost(r.costUsd),
          })),
        ),
      ),
    );
  }
  return `<section class="money"><h2>Where the money went</h2><div class="cards">${cards.join('')}</div><div class="charts">${boxes.join('')}</div></section>`;
}

export function timeSection(m: MoneyTimeSummary, shown: TimeRow[]): string {
  const t = m.time;
  const wall = t.modelMs + t.toolsMs + t.waitingMs + t.otherMs;
  const cards = [
    card('model', formatDuration(t.modelMs), share(t.modelMs, wall)),
    card('tools', formatDuration(t.toolsMs), share(t.toolsMs, wall)),
    card('waiting on the person', formatDuration(t.waitingMs), share(t.waitingMs, wall)),
    card('other', formatDuration(t.otherMs), share(t.otherMs, wall)),
  ];
  const boxes = [
    box('Time, all sessions', horizontalBarChart('Time, all sessions', [{ label: 'all sessions', segments: timeSegments(t), note: formatDuration(wall) }])),
  ];
  if (shown.length > 0) {
    boxes.push(
      box(
        'Time by session',
        horizontalBarChart(
          'Time by session',
          shown.map((row) => ({
            label: row.label,
            segments: timeSegments(row.split),
            note: formatDuration(row.split.modelMs + row.split.toolsMs + row.split.waitingMs + row.split.otherMs),
          })),
        ),
      ),
    );
  }
  return (
    '<section class="time"><h2>Where the time went</h2>' +
    '<p class="muted">The main agent\'s model calls and tool calls (subagents count in the tool call that ran them), the time claude waited for the person (interactive sessions: between turns and on permission prompts), and the rest.</p>' +
    `<div class="cards">${cards.join('')}</div><div class="charts">${boxes.join('')}</div></section>`
  );
}
