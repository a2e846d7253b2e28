import { layoutWaterfall, levelMark } from '../../views/waterfall.ts';
import type { WaterfallNode, WaterfallRow } from '../../views/waterfall.ts';
import { clip, formatCount, formatDuration } from '../../display-format.ts';
import type { Style } from './terminal-style.ts';
import { displayWidth, padToWidth } from './display-width.ts';
import { oneLine } from '../../views/terminal-text.ts';

// The waterfall for a terminal: one line per span with its start offset, duration, place in
// the tree, tokens, exit code and a bar on a shared time axis; a failed span gets a second
// line saying why, so an error is visible without colour too.

export interface TerminalWaterfallOptions {
  /** Columns available; the label and the bar share what the fixed columns leave. */
  width: number;
  style: Style;
}

const OFFSET_WIDTH = 8;
const DURATION_WIDTH = 8;
const EXIT_WIDTH = 4;
const MIN_BAR = 10;
const MIN_LABEL = 24;
const GAP = '  ';

function tokensCell(node: WaterfallNode): string {
  if (!node.tokens) return '';
  const t = node.tokens;
  return `${formatCount(t.input + t.cacheRead + t.cacheCreation)}/${formatCount(t.output)}`;
}

function paint(node: WaterfallNode, style: Style, text: string): string {
  if (node.isError) return style.red(text);
  switch (node.role) {
    case 'session':
      return style.dim(text);
    case 'prompt':
      return style.magenta(text);
    case 'chat':
      return style.blue(text);
    case 'tool':
      return style.green(text);
    case 'agent':
      return style.yellow(text);
    default:
      return style.cyan(text);
  }
}

function labelText(row: WaterfallRow, width: number, style: Style): string {
  const { node } = row;
  // Only the label and detail are clipped: the guides carry the tree's shape.
  const labelRoom = Math.max(1, width - displayWidth(row.guide));
  const label = clip(levelMark(row) + oneLine(node.label), labelRoom);
  const room = labelRoom - displayWidth(label);
  const detail = node.detail && room > 4 ? ` ${clip(oneLine(node.detail), room - 1)}` : '';
  const painted = node.isError
    ? style.red(label)
    : node.role === 'session' || node.role === 'prompt'
      ? style.bold(label)
      : node.rebuild || node.role === 'compaction'
        ? style.yellow(label)
        : label;
  return style.dim(row.guide) + painted + style.dim(detail);
}

export function renderTerminalWaterfall(roots: WaterfallNode[], options: TerminalWaterfallOptions): string {
  const { style } = options;
  const probe = layoutWaterfall(roots, 1);
  if (probe.length === 0) return '';
  const tokensWidth = probe.reduce((most, r) => Math.max(most, displayWidth(tokensCell(r.node))), 'tokens in/out'.length);
  const fixed = OFFSET_WIDTH + DURATION_WIDTH + tokensWidth + EXIT_WIDTH + GAP.length * 5;
  const wantedLabel = probe.reduce(
    (most, r) => Math.max(most, displayWidth(r.guide) + displayWidth(levelMark(r) + r.node.label) + (r.node.detail ? displayWidth(r.node.detail) + 1 : 0)),
    0,
  );
  const spare = Math.max(0, options.width - fixed);
  const labelWidth = Math.max(MIN_LABEL, Math.min(wantedLabel, Math.floor(spare * 0.5)));
  const barWidth = Math.max(MIN_BAR, spare - labelWidth);
  const rows = layoutWaterfall(roots, barWidth);

  const pad = (text: string, width: number): string => padToWidth(text, width);
  const lines: string[] = [];
  lines.push(
    style.dim(
      [
        'offset'.padStart(OFFSET_WIDTH),
        'duration'.padStart(DURATION_WIDTH),
        pad('span', labelWidth),
        'tokens in/out'.padStart(tokensWidth),
        'exit'.padStart(EXIT_WIDTH),
        'timeline',
      ].join(GAP),
    ),
  );
  for (const row of rows) {
    const { node } = row;
    const bar =
      style.dim('·'.repeat(row.barStart)) +
      paint(node, style, '█'.repeat(row.barLength)) +
      style.dim('·'.repeat(Math.max(0, barWidth - row.barStart - row.barLength)));
    const exit = node.exitCode === undefined ? '' : String(node.exitCode);
    lines.push(
      [
        formatDuration(node.startOffsetMs).padStart(OFFSET_WIDTH),
        formatDuration(node.durationMs).padStart(DURATION_WIDTH),
        pad(labelText(row, labelWidth, style), labelWidth),
        tokensCell(node).padStart(tokensWidth),
        node.exitCode !== undefined && node.exitCode !== 0 ? style.red(exit.padStart(EXIT_WIDTH)) : exit.padStart(EXIT_WIDTH),
        bar,
      ].join(GAP),
    );
    if (node.isError && node.error) {
      const indent = ' '.repeat(OFFSET_WIDTH + DURATION_WIDTH + GAP.length * 2) + row.guide.replace(/[├└]/g, (c) => (c === '├' ? '│' : ' '));
      const firstLine = node.error
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .join(' · ');
      lines.push(indent + style.red(`  ✗ ${clip(firstLine, Math.max(20, options.width - displayWidth(indent) - 4))}`));
    }
  }
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}
