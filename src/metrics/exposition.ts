// The Prometheus text exposition format (0.0.4) for one watched tree. Pure: state in, text out.
// Only processes alive in the latest sample appear, so exited processes leave the exposition,
// and at most MAX_PROCESS_SERIES processes are listed (the largest by RSS): cardinality stays
// bounded however many short-lived children a worker forks.
import type { Snapshot, Verdict, VerdictStatus } from '../model.js';

export const MAX_PROCESS_SERIES = 200;
const STATUSES: VerdictStatus[] = ['leak', 'suspect', 'stable', 'insufficient'];

export interface MetricsState {
  root: string;
  snapshot: Snapshot | null;
  tasksCompleted: number;
  verdict: Verdict | null;
}

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  const parts = Object.entries(pairs).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

class Family {
  readonly lines: string[] = [];
  constructor(readonly name: string, help: string, type: 'gauge' | 'counter') {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }
  add(value: number | null | undefined, pairs: Record<string, string>): void {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    this.lines.push(`${this.name}${labels(pairs)} ${value}`);
  }
}

export function renderExposition(state: MetricsState): string {
  const root = { root: state.root };
  const rss = new Family('leakhunt_process_resident_memory_bytes', 'Resident memory of one process of the watched tree.', 'gauge');
  const vms = new Family('leakhunt_process_virtual_memory_bytes', 'Virtual memory size of one process of the watched tree.', 'gauge');
  const fds = new Family('leakhunt_process_open_fds', 'Open file descriptors of one process.', 'gauge');
  const threads = new Family('leakhunt_process_threads', 'Threads of one process.', 'gauge');
  const processes = (state.snapshot?.processes ?? []).slice().sort((a, b) => (b.rssBytes ?? 0) - (a.rssBytes ?? 0)).slice(0, MAX_PROCESS_SERIES);
  for (const p of processes) {
    const pl = { pid: String(p.pid), command: p.command.slice(0, 120), ...root };
    rss.add(p.rssBytes, pl);
    vms.add(p.vmsBytes, pl);
    fds.add(p.fds, pl);
    threads.add(p.threads, pl);
  }
  const treeRss = new Family('leakhunt_tree_resident_memory_bytes', 'Sum of resident memory over the watched tree.', 'gauge');
  treeRss.add(state.snapshot?.treeRssBytes, root);
  const treeProcs = new Family('leakhunt_tree_processes', 'Processes alive in the watched tree.', 'gauge');
  treeProcs.add(state.snapshot?.processes.length ?? 0, root);
  const verdict = new Family('leakhunt_verdict', 'Current verdict: 1 for the status that holds, 0 for the others.', 'gauge');
  for (const status of STATUSES) verdict.add(state.verdict?.status === status ? 1 : 0, { ...root, status });
  const perHour = new Family('leakhunt_growth_bytes_per_hour', 'Estimated memory growth rate per hour.', 'gauge');
  perHour.add(state.verdict?.bytesPerHour, root);
  const perTask = new Family('leakhunt_growth_bytes_per_task', 'Estimated memory growth per task.', 'gauge');
  perTask.add(state.verdict?.bytesPerTask, root);
  const tasks = new Family('leakhunt_tasks_completed_total', 'Tasks that reported their end.', 'counter');
  tasks.add(state.tasksCompleted, root);
  const toLimit = new Family('leakhunt_projected_seconds_to_limit', 'Projected seconds until the memory limit is reached (the nearer end of the range).', 'gauge');
  const range = state.verdict?.projection?.secondsToLimit;
  toLimit.add(range ? (range[0] ?? range[1]) : null, root);
  const limit = new Family('leakhunt_memory_limit_bytes', 'The memory limit projections use (--limit or the cgroup).', 'gauge');
  limit.add(state.verdict?.limit?.bytes, root);
  return `${[rss, vms, fds, threads, treeRss, treeProcs, verdict, perHour, perTask, tasks, toLimit, limit].flatMap((f) => f.lines).join('\n')}\n`;
}
