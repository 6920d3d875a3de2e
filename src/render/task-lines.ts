// The per-task lines of the summary, in the style users know from the first prototype:
//   Task 1: RSS 48.2 MB → 52.1 MB (+3.9 MB)  send_email
import type { Rows, TaskRecord } from '../model.js';
import { formatBytes, formatDelta } from '../units.js';
import type { Style } from './color.js';
import { selectTasks, taskDelta } from '../format/select.js';
import { formatCount, oneLine, truncate } from '../format/text.js';

/** Task ids and names are the worker's; 40 characters keeps a line on an 80-column terminal. */
const MAX_LABEL = 40;

export function taskLine(task: TaskRecord, style: Style): string {
  const id = truncate(oneLine(task.task), MAX_LABEL);
  const name = task.name ? `  ${style.dim(truncate(oneLine(task.name), MAX_LABEL))}` : '';
  const failed = task.ok === false ? ` ${style.red('failed')}` : '';
  if (task.endMs === null) {
    return `Task ${id}: RSS ${formatBytes(task.rssBeforeBytes)} → ${style.yellow('unfinished')}${name}`;
  }
  const delta = taskDelta(task);
  const deltaText = `(${formatDelta(delta)})`;
  // Half a megabyte kept by one task is worth the eye; less is within allocator noise.
  const painted = delta !== null && delta >= 512 * 1024 ? style.yellow(deltaText) : deltaText;
  return `Task ${id}: RSS ${formatBytes(task.rssBeforeBytes)} → ${formatBytes(task.rssAfterBytes)} ${painted}${failed}${name}`;
}

/** All tasks on a short run; on a long one the first 5, the last 5 and the 5 largest deltas. */
export function taskLines(tasks: Rows<TaskRecord>, style: Style): string[] {
  const { shown, hidden } = selectTasks(tasks);
  const lines: string[] = [];
  let previous = -1;
  for (const { task, index, largest } of shown) {
    if (previous >= 0 && index > previous + 1) lines.push(style.dim('  ⋮'));
    lines.push(taskLine(task, style) + (largest ? style.dim('  ← among the largest') : ''));
    previous = index;
  }
  if (hidden > 0) {
    const largest = shown.filter((entry) => entry.largest).length;
    const which =
      largest === 0 ? 'first 5 and last 5 shown; none of the others kept memory'
      : `first 5, last 5 and the ${largest === 1 ? 'largest delta' : `${largest} largest deltas`} shown`;
    lines.push(style.dim(`… ${formatCount(hidden)} more tasks (${which})`));
  }
  return lines;
}
