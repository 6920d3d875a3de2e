// The results of the bench: one line per measurement for the summary table, each with its target
// and whether the numbers met it, plus detail tables and the explanation of every missed target.

export interface Line {
  /** The row number (1–7). */
  row: number;
  what: string;
  measured: string;
  target: string;
  /** null: no target on this line, or the target could not be measured here. */
  met: boolean | null;
  /** For a missed target: the gap, explained by what was measured. */
  why?: string;
}

export interface Detail {
  title: string;
  header: string[];
  rows: string[][];
  /** Notes under the table: method, skipped peers, the reasons behind a miss. */
  notes: string[];
}

export interface RowResult {
  lines: Line[];
  details: Detail[];
}

export const status = (met: boolean | null): string => (met === null ? '—' : met ? 'met' : 'missed');

/** A plain-text table for the terminal: columns padded to their widest cell. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A GitHub Markdown table; pipes in cells are escaped. */
export function markdownTable(header: string[], rows: string[][]): string {
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export const SUMMARY_HEADER = ['#', 'measurement', 'result', 'target', 'status'];

export const summaryRows = (lines: readonly Line[]): string[][] =>
  lines.map((l) => [String(l.row), l.what, l.measured, l.target, status(l.met)]);
