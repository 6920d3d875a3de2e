// A plain HTML table from typed cells, plus the rule that keeps long task lists short: the
// first, the last and the largest tasks, with a row saying how many were left out.
import type { TaskRecord } from '../model.js';
import { escapeHtml } from './html-escape.js';
import { countText } from './html-format.js';

export interface TableColumn {
  label: string;
  numeric?: boolean;
}

/** Text is escaped here; `{ html }` is markup the report built itself (badges). */
export type Cell = string | number | null | { html: string };

/** A row of cells, or a note spanning the table ("… 9,970 tasks omitted …"). */
export type Row = Cell[] | { note: string };

export function renderTable(columns: readonly TableColumn[], rows: readonly Row[], className = ''): string {
  const head = columns.map((c) => `<th${c.numeric ? ' class="num"' : ''} scope="col">${escapeHtml(c.label)}</th>`).join('');
  const body = rows.map((row) => {
    if (!Array.isArray(row)) return `<tr class="gap"><td colspan="${columns.length}">${escapeHtml(row.note)}</td></tr>`;
    const cells = row.map((cell, i) => `<td${columns[i]?.numeric ? ' class="num"' : ''}>${cellHtml(cell)}</td>`);
    return `<tr>${cells.join('')}</tr>`;
  });
  const classes = ['data', className].filter(Boolean).join(' ');
  return `<div class="table-wrap"><table class="${classes}"><thead><tr>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table></div>`;
}

function cellHtml(cell: Cell): string {
  if (cell === null) return '<span class="muted">–</span>';
  if (typeof cell === 'object') return cell.html;
  return escapeHtml(typeof cell === 'number' ? countText(cell) : cell);
}

/** How many tasks of each kind a long run shows; a run this short or shorter shows every task. */
export const TASKS_SHOWN = { first: 10, last: 10, largest: 10 };

export interface TaskSelection {
  /** Indexes into the task list, ascending, with the gaps between them. */
  rows: ({ index: number; largest: boolean } | { omitted: number })[];
  omitted: number;
}

export function selectTasks(tasks: readonly TaskRecord[]): TaskSelection {
  const { first, last, largest } = TASKS_SHOWN;
  if (tasks.length <= first + last + largest) {
    return { rows: tasks.map((_, index) => ({ index, largest: false })), omitted: 0 };
  }
  const byGrowth = tasks
    .map((task, index) => ({ index, delta: task.deltaBytes ?? task.treeDeltaBytes ?? -Infinity }))
    .filter((entry) => entry.delta > -Infinity)
    .sort((a, b) => b.delta - a.delta || a.index - b.index)
    .slice(0, largest)
    .map((entry) => entry.index);
  const largestSet = new Set(byGrowth);
  const chosen = new Set<number>(byGrowth);
  for (let i = 0; i < first; i++) chosen.add(i);
  for (let i = tasks.length - last; i < tasks.length; i++) chosen.add(i);
  const rows: TaskSelection['rows'] = [];
  let previous = -1;
  for (const index of [...chosen].sort((a, b) => a - b)) {
    if (index > previous + 1) rows.push({ omitted: index - previous - 1 });
    rows.push({ index, largest: largestSet.has(index) });
    previous = index;
  }
  return { rows, omitted: tasks.length - chosen.size };
}
