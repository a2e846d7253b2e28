// A plain text table: a header and aligned columns separated by two spaces. Cells may carry
// colour codes; widths are measured without them.

export type Align = 'left' | 'right';

export interface Column {
  header: string;
  align?: Align;
}

// SGR (colour) escape sequences, which take no room on the screen.
const ANSI = /\u001b\[[0-9;]*m/g;

export function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

function padCell(text: string, width: number, align: Align): string {
  const gap = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return align === 'right' ? gap + text : text + gap;
}

export function renderTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(visibleLength(c.header), ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    columns
      .map((c, i) => padCell(cells[i] ?? '', widths[i] ?? 0, c.align ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n') + '\n';
}
