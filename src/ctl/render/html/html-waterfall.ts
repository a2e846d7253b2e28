import { escapeHtml } from './html-escape.ts';
import { formatCount, formatDuration } from '../../display-format.ts';
import { NO_SPANS, layoutWaterfall, levelMark } from '../../views/waterfall.ts';
import type { WaterfallNode } from '../../views/waterfall.ts';

// One session's waterfall as an HTML table for the report: the same rows as in the terminal,
// with bars positioned in percent of the session's time axis.

const BAR_RESOLUTION = 1000;

function tokensOf(node: WaterfallNode): string {
  if (!node.tokens) return '';
  const t = node.tokens;
  return `${formatCount(t.input + t.cacheRead + t.cacheCreation)}/${formatCount(t.output)}`;
}

export interface HtmlWaterfallOptions {
  /**
   * Each row says which span it is and how deep it lies (`data-span`, `data-depth`), so the
   * live page can show a span's attributes and fold a subagent under its tool.
   */
  markRows?: boolean;
}

export function htmlWaterfall(roots: WaterfallNode[], options: HtmlWaterfallOptions = {}): string {
  const rows = layoutWaterfall(roots, BAR_RESOLUTION);
  if (rows.length === 0) return `<p class="muted">${NO_SPANS}</p>`;
  const body = rows
    .map((row) => {
      const { node } = row;
      const left = (row.barStart / BAR_RESOLUTION) * 100;
      const width = (row.barLength / BAR_RESOLUTION) * 100;
      const detail = node.detail ? ` <span class="detail" title="${escapeHtml(node.detail)}">${escapeHtml(node.detail)}</span>` : '';
      const error = node.isError && node.error ? `<div class="error-text">✗ ${escapeHtml(node.error)}</div>` : '';
      const exit = node.exitCode === undefined ? '' : `<span class="${node.exitCode === 0 ? '' : 'bad'}">${node.exitCode}</span>`;
      return (
        `<tr class="${node.role}${node.rebuild ? ' rebuild' : ''}${node.isError ? ' error' : ''}"${options.markRows ? ` data-span="${escapeHtml(node.spanId)}" data-depth="${row.depth}"` : ''}>` +
        `<td class="num">${formatDuration(node.startOffsetMs)}</td>` +
        `<td class="num">${formatDuration(node.durationMs)}</td>` +
        `<td class="span" style="padding-left:${(row.depth * 1.1 + 0.4).toFixed(1)}em"><span class="label">${escapeHtml(levelMark(row) + node.label)}</span>${detail}${error}</td>` +
        `<td class="num">${tokensOf(node)}</td>` +
        `<td class="num">${exit}</td>` +
        `<td class="timeline"><div class="bar" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%" title="${escapeHtml(`${node.label}: ${formatDuration(node.durationMs)}`)}"></div></td>` +
        '</tr>'
      );
    })
    .join('\n');
  return (
    '<table class="waterfall"><thead><tr><th>offset</th><th>duration</th><th>span</th><th>tokens in/out</th><th>exit</th><th class="timeline">timeline</th></tr></thead>' +
    `<tbody>\n${body}\n</tbody></table>`
  );
}
