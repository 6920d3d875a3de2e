// Where a run's tasks ran: in the worker itself, one child process per task (isolated), or in
// child processes reused for task after task — a pool (Celery prefork without
// --max-tasks-per-child, BullMQ's sandbox children). A reused child keeps what its tasks leave, so
// running tasks "in a subprocess" isolates them only when each child runs one.
import type { ProcessSummary, TaskProcessReuse, TaskRows } from '../model.js';

/** The reused child that ran the most tasks, or null when no child ran more than one. */
export function childReuse(tasks: TaskRows, processes: ProcessSummary[]): TaskProcessReuse | null {
  const known = new Set(processes.map((p) => p.pid));
  // The tree's roots: processes whose parent is not in the tree (the worker; one per session).
  const roots = new Set(processes.filter((p) => !known.has(p.ppid)).map((p) => p.pid));
  const perChild = new Map<number, number>();
  for (const task of tasks) {
    if (task.pid === null || roots.has(task.pid) || !known.has(task.pid)) continue;
    perChild.set(task.pid, (perChild.get(task.pid) ?? 0) + 1);
  }
  let busiest: [number, number] | null = null;
  for (const entry of perChild) if (!busiest || entry[1] > busiest[1]) busiest = entry;
  if (!busiest || busiest[1] < 2) return null;
  const summary = processes.find((p) => p.pid === busiest[0]);
  return { pid: busiest[0], tasks: busiest[1], children: perChild.size, growthBytes: heldGrowth(summary) };
}

/**
 * How far the child rose above its first reading: to its peak, not to its last reading, which may
 * come from a process already tearing down its memory as the worker is stopped.
 */
function heldGrowth(summary: ProcessSummary | undefined): number | null {
  if (!summary || summary.firstRssBytes === null || summary.peakRssBytes === null) return summary?.growthBytes ?? null;
  return summary.peakRssBytes - summary.firstRssBytes;
}
