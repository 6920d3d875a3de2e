// Which tasks a human summary lists on a long run: the first few (warm-up), the last few (where
// the run ended) and the largest deltas (where the memory went). Pure.
import type { TaskRecord } from '../model.js';

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

export function selectTasks(tasks: readonly TaskRecord[], pick = DEFAULT_PICK): TaskSelection {
  const total = tasks.length;
  if (total <= pick.first + pick.last + pick.largest) {
    return { shown: tasks.map((task, index) => ({ task, index, largest: false })), hidden: 0 };
  }
  const chosen = new Map<number, boolean>();
  for (let i = 0; i < pick.first; i++) chosen.set(i, false);
  for (let i = total - pick.last; i < total; i++) chosen.set(i, false);
  const byDelta = tasks
    .map((task, index) => ({ index, delta: taskDelta(task) }))
    .filter((entry): entry is { index: number; delta: number } => entry.delta !== null && entry.delta > 0 && !chosen.has(entry.index))
    .sort((a, b) => b.delta - a.delta || a.index - b.index)
    .slice(0, pick.largest);
  for (const entry of byDelta) chosen.set(entry.index, true);
  const shown = [...chosen.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, largest]) => ({ task: tasks[index]!, index, largest }));
  return { shown, hidden: total - shown.length };
}
