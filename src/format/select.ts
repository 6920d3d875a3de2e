// Which tasks a human summary lists on a long run: the first few (warm-up), the last few (where
// the run ended) and the largest deltas (where the memory went). Pure.
import type { Rows, TaskRecord } from '../model.js';

export interface ShownTask {
  task: TaskRecord;
  /** Position in the run, from 0. */
  index: number;
  /** One of the largest deltas (and not already shown as first or last); a task that kept nothing never is. */
  largest: boolean;
}

export interface TaskSelection {
  shown: ShownTask[];
  /** Tasks left out. */
  hidden: number;
}

/** Five of each keeps the list on one screen: 15 lines at most whatever the run length. */
export const DEFAULT_PICK = { first: 5, last: 5, largest: 5 };

/** The delta that says how much a task kept: its own process's, else the tree's. */
export function taskDelta(task: TaskRecord): number | null {
  return task.deltaBytes ?? task.treeDeltaBytes;
}

/**
 * One pass over a run's tasks, keeping only what is shown: the first `first`, the last `last`,
 * and the `largest` by `rank` (null: not a candidate; ties go to the earlier task); a run no
 * longer than all of those together shows every task. Memory is the picks, whatever the run's
 * length: a 10^6-task run's tasks are read back from disk. Returned in run order.
 */
export function pickTasks(
  tasks: Rows<TaskRecord>,
  pick: { first: number; last: number; largest: number },
  rank: (task: TaskRecord, index: number, edge: boolean) => number | null,
): ShownTask[] {
  const total = tasks.length;
  if (total <= pick.first + pick.last + pick.largest) pick = { first: total, last: 0, largest: 0 };
  const edges: ShownTask[] = [];
  /** Best first; at most `pick.largest` entries. */
  const top: { entry: ShownTask; rank: number }[] = [];
  let index = 0;
  for (const task of tasks) {
    const edge = index < pick.first || index >= total - pick.last;
    if (edge) edges.push({ task, index, largest: false });
    const score = rank(task, index, edge);
    if (score !== null && pick.largest > 0 && (top.length < pick.largest || score > top.at(-1)!.rank)) {
      const at = top.findIndex((held) => score > held.rank);
      top.splice(at < 0 ? top.length : at, 0, { entry: { task, index, largest: true }, rank: score });
      if (top.length > pick.largest) top.pop();
    }
    index++;
  }
  const byIndex = new Map<number, ShownTask>(edges.map((entry) => [entry.index, entry]));
  for (const { entry } of top) byIndex.set(entry.index, entry);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

export function selectTasks(tasks: Rows<TaskRecord>, pick = DEFAULT_PICK): TaskSelection {
  // The largest are picked among the tasks not already shown as first or last, and only those that kept memory.
  const shown = pickTasks(tasks, pick, (task, _index, edge) => {
    const delta = taskDelta(task);
    return !edge && delta !== null && delta > 0 ? delta : null;
  });
  return { shown, hidden: tasks.length - shown.length };
}
