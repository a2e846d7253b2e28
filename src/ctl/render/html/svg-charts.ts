import { escapeHtml } from './html-escape.ts';
import { clip } from '../../display-format.ts';
import { displayWidth } from '../text/display-width.ts';

// Bar charts as inline SVG for the HTML report: no script, no external resource.

export interface Segment {
  name: string;
  value: number;
  colour: string;
}

export interface BarRow {
  label: string;
  segments: Segment[];
  /** Written after the bar, e.g. `12 calls, 2 failed`. */
  note: string;
}

const FONT = 'font-family="system-ui, sans-serif" font-size="12"';
const WIDTH = 520;
const NOTE_WIDTH = 130;
const BAR_SPACE = WIDTH - 140 - NOTE_WIDTH;
/** Room for the row labels: as wide as the longest needs, within these bounds (a longer label is cut). */
const MIN_LABEL_WIDTH = 60;
const MAX_LABEL_WIDTH = 300;
const LABEL_GAP = 8;
/**
 * Pixels a terminal column of text takes at 12px in a sans-serif font, with room to spare: the
 * report cannot measure text (it runs no script), and a label must never reach past the left
 * edge. A wide (CJK) character counts two columns.
 */
const PX_PER_COLUMN = 7.5;

const textPx = (text: string): number => Math.ceil(displayWidth(text) * PX_PER_COLUMN);
const ROW_HEIGHT = 24;
const BAR_HEIGHT = 14;
const LEGEND_HEIGHT = 22;

const num = (n: number): string => String(Math.round(n * 10) / 10);

function legend(segments: Segment[]): string {
  let x = 0;
  return segments
    .map((s) => {
      const item = `<rect x="${num(x)}" y="4" width="10" height="10" fill="${s.colour}"/><text x="${num(x + 14)}" y="13" ${FONT} fill="#333">${escapeHtml(s.name)}</text>`;
      x += 24 + s.name.length * 7;
      return item;
    })
    .join('');
}

/** Horizontal bars, one per row, each made of stacked segments; a legend names the segments. */
export function horizontalBarChart(title: string, rows: BarRow[]): string {
  const kinds = rows[0]?.segments ?? [];
  const max = Math.max(0, ...rows.map((r) => r.segments.reduce((sum, s) => sum + Math.max(0, s.value), 0)));
  const longest = Math.max(0, ...rows.map((r) => textPx(r.label)));
  const labelWidth = Math.min(MAX_LABEL_WIDTH, Math.max(MIN_LABEL_WIDTH, longest + LABEL_GAP + 4));
  const labelColumns = Math.floor((labelWidth - LABEL_GAP - 4) / PX_PER_COLUMN);
  const barSpace = BAR_SPACE;
  const width = labelWidth + barSpace + NOTE_WIDTH;
  const height = LEGEND_HEIGHT + rows.length * ROW_HEIGHT + 4;
  const body = rows
    .map((row, i) => {
      const y = LEGEND_HEIGHT + i * ROW_HEIGHT;
      let x = labelWidth;
      const bars = row.segments
        .map((s) => {
          const w = max > 0 ? (Math.max(0, s.value) / max) * barSpace : 0;
          const rect =
            w > 0
              ? `<rect x="${num(x)}" y="${y + (ROW_HEIGHT - BAR_HEIGHT) / 2}" width="${num(Math.max(1, w))}" height="${BAR_HEIGHT}" fill="${s.colour}"><title>${escapeHtml(`${row.label}: ${s.name} ${num(s.value)}`)}</title></rect>`
              : '';
          x += w;
          return rect;
        })
        .join('');
      return (
        `<text x="${labelWidth - LABEL_GAP}" y="${y + 16}" text-anchor="end" ${FONT} fill="#222">${escapeHtml(clip(row.label, labelColumns))}<title>${escapeHtml(row.label)}</title></text>` +
        bars +
        `<text x="${num(x + 6)}" y="${y + 16}" ${FONT} fill="#555">${escapeHtml(row.note)}</text>`
      );
    })
    .join('');
  return `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">${legend(kinds)}${body}</svg>`;
}

export interface ColumnBar {
  label: string;
  value: number;
  note: string;
}

/** Vertical columns (one per day, say) with their labels under them. */
export function columnChart(title: string, columns: ColumnBar[], colour: string): string {
  const height = 200;
  const top = 18;
  const bottom = 34;
  const slot = Math.max(18, Math.min(60, (WIDTH - 20) / Math.max(1, columns.length)));
  const width = Math.max(WIDTH, Math.ceil(slot * columns.length + 20));
  const max = Math.max(0, ...columns.map((c) => c.value));
  const plot = height - top - bottom;
  const body = columns
    .map((c, i) => {
      const h = max > 0 ? Math.max(c.value > 0 ? 1 : 0, (c.value / max) * plot) : 0;
      const x = 10 + i * slot;
      const labelEvery = Math.ceil(columns.length / 12);
      const label =
        i % labelEvery === 0
          ? `<text x="${num(x + slot / 2)}" y="${height - 18}" text-anchor="middle" font-family="system-ui, sans-serif" font-size="10" fill="#333">${escapeHtml(c.label)}</text>`
          : '';
      return (
        `<rect x="${num(x + slot * 0.15)}" y="${num(top + plot - h)}" width="${num(slot * 0.7)}" height="${num(h)}" fill="${colour}"><title>${escapeHtml(`${c.label}: ${c.note}`)}</title></rect>` +
        // A quiet day's "$0" would only clutter the chart: its empty column says it.
        (columns.length <= 14 && c.value > 0
          ? `<text x="${num(x + slot / 2)}" y="${num(top + plot - h - 4)}" text-anchor="middle" font-family="system-ui, sans-serif" font-size="10" fill="#555">${escapeHtml(c.note)}</text>`
          : '') +
        label
      );
    })
    .join('');
  const axis = `<line x1="8" y1="${top + plot + 0.5}" x2="${width - 8}" y2="${top + plot + 0.5}" stroke="#999"/>`;
  return `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">${body}${axis}</svg>`;
}
