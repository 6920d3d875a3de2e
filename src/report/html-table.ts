// A plain HTML table from typed cells, plus the rule that keeps long task lists short: the
// first, the last and the largest tasks, with a row saying how many were left out.
import type { Rows, TaskRecord } from '../model.js';
import { pickTasks, type ShownTask } from '../format/select.js';
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
  /** The tasks shown, in run order (index from 0), with the gaps between them. */
  rows: (ShownTask | { omitted: number })[];
  omitted: number;
}

/** The first, the last and the tasks that grew most (among all of them), in one pass. */
export function selectTasks(tasks: Rows<TaskRecord>): TaskSelection {
  const shown = pickTasks(tasks, TASKS_SHOWN, (task) => task.deltaBytes ?? task.treeDeltaBytes);
  const rows: TaskSelection['rows'] = [];
  let previous = -1;
  for (const entry of shown) {
    if (entry.index > previous + 1) rows.push({ omitted: entry.index - previous - 1 });
    rows.push(entry);
    previous = entry.index;
  }
  return { rows, omitted: tasks.length - shown.length };
}
