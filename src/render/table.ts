// Plain column-aligned tables for the terminal. Cells are plain text (callers pass worker strings
// through oneLine first); colour is applied per cell after padding, so ANSI codes never skew widths.

export interface Column {
  header: string;
  /** Numbers align right so their units line up. */
  align: 'left' | 'right';
  /** Cells longer than this are cut with an ellipsis. */
  maxWidth?: number;
}

const visibleLength = (text: string): number => [...text].length;

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : chars.slice(0, Math.max(0, width - 1)).join('') + '…';
}

function pad(text: string, width: number, align: Column['align']): string {
  const gap = ' '.repeat(Math.max(0, width - visibleLength(text)));
  return align === 'right' ? gap + text : text + gap;
}

/**
 * Rows of cells under a header, two spaces between columns, no trailing spaces.
 * `paint(row, column, padded)` may colour a padded cell; the header goes through `header`.
 */
export function formatTable(
  columns: Column[],
  rows: string[][],
  style: { header?: (text: string) => string; paint?: (row: number, column: number, text: string) => string } = {},
): string[] {
  const cells = rows.map((row) => columns.map((col, i) => cut(row[i] ?? '', col.maxWidth ?? Infinity)));
  const widths = columns.map((col, i) => Math.max(visibleLength(col.header), ...cells.map((row) => visibleLength(row[i]!))));
  const line = (parts: string[]): string => parts.join('  ').trimEnd();
  const header = line(columns.map((col, i) => pad(col.header, widths[i]!, col.align)));
  return [
    style.header ? style.header(header) : header,
    ...cells.map((row, r) => line(row.map((cell, c) => {
      const padded = pad(cell, widths[c]!, columns[c]!.align);
      return style.paint ? style.paint(r, c, padded) : padded;
    }))),
  ];
}
