import { clipToWidth, displayWidth, padToWidth } from './display-width.ts';
import { oneLine } from '../../views/terminal-text.ts';

// A plain text table: a header and aligned columns separated by two spaces. Cells may carry
// colour codes; widths are terminal columns (display width), measured without them.

export type Align = 'left' | 'right';

export interface Column {
  header: string;
  align?: Align;
  /** The column may be narrowed down to this many columns (its cells, plain text, clipped) for the table to fit. */
  minWidth?: number;
}

const GAP = 2;

/** Narrows the columns that may shrink, widest first, until the table fits `maxWidth` (or none can shrink more). */
function fitWidths(columns: Column[], widths: number[], maxWidth: number): number[] {
  const fitted = [...widths];
  let total = fitted.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1);
  while (total > maxWidth) {
    let pick = -1;
    for (const [i, c] of columns.entries()) {
      const spare = (fitted[i] ?? 0) - Math.max(c.minWidth ?? Infinity, displayWidth(c.header));
      if (spare > 0 && (pick < 0 || (fitted[i] ?? 0) > (fitted[pick] ?? 0))) pick = i;
    }
    if (pick < 0) break;
    fitted[pick] = (fitted[pick] ?? 0) - 1;
    total -= 1;
  }
  return fitted;
}

function padCell(text: string, width: number, align: Align): string {
  return padToWidth(text, width, align === 'right');
}

/** The table's text; with `maxWidth`, columns with a `minWidth` give up room so that it fits. */
export function renderTable(columns: Column[], given: string[][], maxWidth = Infinity): string {
  // A cell is one line, whatever stored text it shows.
  const rows = given.map((row) => row.map(oneLine));
  const natural = columns.map((c, i) => rows.reduce((most, r) => Math.max(most, displayWidth(r[i] ?? '')), displayWidth(oneLine(c.header))));
  const widths = fitWidths(columns, natural, maxWidth);
  const line = (cells: string[]): string =>
    columns
      .map((c, i) => {
        const width = widths[i] ?? 0;
        const cell = cells[i] ?? '';
        return padCell(width < (natural[i] ?? 0) ? clipToWidth(cell, width) : cell, width, c.align ?? 'left');
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  return `${[line(columns.map((c) => oneLine(c.header))), ...rows.map(line)].join('\n')}\n`;
}
