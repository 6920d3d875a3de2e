// BENCHMARKS.md: the summary table, the machine, how to reproduce, every target met or its gap
// explained, then the detail behind each row.
import type { Machine } from './machine.js';
import { machineLine } from './machine.js';
import { markdownTable, status, SUMMARY_HEADER, summaryRows, type Detail, type Line } from './table.js';

export const REPRODUCE = 'npm run bench';

export function benchmarksMarkdown(lines: readonly Line[], details: readonly Detail[], machine: Machine, date: Date, runMs: number): string {
  const targets = lines.filter((l) => l.met !== null);
  const out = [
    '# Benchmarks',
    '',
    `Measured on ${date.toISOString().slice(0, 10)} in ${Math.round(runMs / 1000)} s on ${machineLine(machine)}.`,
    '',
    `Reproduce with \`${REPRODUCE}\` (it builds first, then rewrites this file). Every comparison is measured side by side in the same run; each figure is a median of repeated, interleaved runs.`,
    '',
    markdownTable(SUMMARY_HEADER, summaryRows(lines)),
    '',
    '## Targets',
    '',
    ...targets.map((l) => `- **${status(l.met)}** — row ${l.row}, ${l.what}: ${l.measured}. Target ${l.target}.${l.met ? '' : ` ${l.why ?? ''}`}`.trimEnd()),
    '',
    '## Details',
  ];
  for (const detail of details) {
    out.push('', `### ${detail.title}`, '');
    if (detail.rows.length) out.push(markdownTable(detail.header, detail.rows), '');
    for (const note of detail.notes) out.push(`- ${note}`);
  }
  return out.join('\n') + '\n';
}
