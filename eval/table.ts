// The evaluation's one table: a row per class, leakhunt beside the two baselines.
import { BASELINES } from './baselines.js';
import type { ClassSummary, MethodSummary } from './evaluate.js';

const percent = (share: number): string => `${(100 * share).toFixed(1)}%`;
const tasks = (value: number | null): string => (value === null ? '–' : String(value));

/** For leak rows only: detection delays mean nothing on a normal series. */
function delays(row: ClassSummary, method: MethodSummary): string[] {
  return row.label === 'leak' ? [tasks(method.medianTasks), tasks(method.p90Tasks)] : ['–', '–'];
}

export function renderTable(rows: ClassSummary[]): string {
  const header = [
    'class', 'label', 'final leak', 'any check', 'online', 'median', 'p90', 'final suspect',
    ...BASELINES.flatMap((b) => [`${b.name}: final`, 'online', 'median']),
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const l = row.leakhunt;
    const cells = [
      row.blindSpot ? `${row.name} (blind spot)` : row.name,
      row.label,
      percent(l.finalLeak),
      percent(l.anyCheckLeak),
      percent(l.onlineLeak),
      ...delays(row, l),
      percent(l.suspect),
      ...row.baselines.flatMap((b) => [percent(b.finalLeak), percent(b.onlineLeak), delays(row, b)[0]!]),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export const COLUMN_NOTES = [
  '- **final leak**: share of series whose verdict on the whole run was `leak` — the false-positive rate on normal rows, the recall on leak rows.',
  '- **any check**: share of series where at least one single check (no debounce) said `leak`: what a one-shot run stopped at that length would have read.',
  '- **online**: share of series where the debounced live verdict (`createOnlineDetector`) turned `leak` at some point — the online false-alarm rate on normal rows.',
  '- **median / p90**: tasks from the start of the leak to the first debounced `leak`, over the detected series.',
  '- **final suspect**: share of series whose final verdict was `suspect`.',
  '- Baselines are checked at the same points as leakhunt, without debounce; their "online" is the first check that flags.',
].join('\n');
