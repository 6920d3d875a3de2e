// The Prometheus text exposition format (0.0.4) for one watched tree. Pure: state in, text out.
// Only processes alive in the latest sample appear, so exited processes leave the exposition,
// and at most MAX_PROCESS_SERIES processes are listed (the largest by RSS): cardinality stays
// bounded however many short-lived children a worker forks.
//
// Per-pid series still churn: every fresh process (an isolated task, a recycled pool child) is a
// new series, and a pid's history ends with it. The per-command aggregates do not: processes
// that share a command line (a pool's children share their parent's) are summed under it, so a
// dashboard can follow "the celery workers" across any number of recycles.
import type { ProcessReading, Snapshot, Verdict, VerdictStatus } from '../model.js';

export const MAX_PROCESS_SERIES = 200;
/** Distinct commands listed; the smaller ones beyond this are summed under OTHER_COMMAND. */
export const MAX_COMMAND_SERIES = 50;
export const OTHER_COMMAND = '(other)';
/** Command labels are cut to this length, as the per-process ones are. */
const COMMAND_LABEL_CHARS = 120;
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
    const pl = { pid: String(p.pid), command: p.command.slice(0, COMMAND_LABEL_CHARS), ...root };
    rss.add(p.rssBytes, pl);
    vms.add(p.vmsBytes, pl);
    fds.add(p.fds, pl);
    threads.add(p.threads, pl);
  }
  const byCommand = commandTotals(state.snapshot?.processes ?? []);
  const commandRss = new Family('leakhunt_command_resident_memory_bytes', 'Sum of resident memory over the live processes of the tree that share one command line.', 'gauge');
  const commandPss = new Family('leakhunt_command_proportional_memory_bytes', 'Sum of proportional set size (PSS, with --metric pss) over the live processes that share one command line.', 'gauge');
  const commandProcs = new Family('leakhunt_command_processes', 'Live processes of the tree that share one command line.', 'gauge');
  for (const [command, total] of byCommand) {
    const cl = { command, ...root };
    commandRss.add(total.rss, cl);
    commandPss.add(total.pss, cl);
    commandProcs.add(total.count, cl);
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
  return `${[rss, vms, fds, threads, commandRss, commandPss, commandProcs, treeRss, treeProcs, verdict, perHour, perTask, tasks, toLimit, limit].flatMap((f) => f.lines).join('\n')}\n`;
}

interface CommandTotal {
  rss: number;
  /** null unless a PSS figure was read for one of them. */
  pss: number | null;
  count: number;
}

/**
 * Live processes summed per command line (cut as the labels are), the largest MAX_COMMAND_SERIES
 * by RSS; the rest summed under OTHER_COMMAND, so no process is left out of the totals.
 */
export function commandTotals(processes: readonly ProcessReading[]): Map<string, CommandTotal> {
  const all = new Map<string, CommandTotal>();
  for (const p of processes) {
    const command = p.command.slice(0, COMMAND_LABEL_CHARS);
    const total = all.get(command) ?? { rss: 0, pss: null, count: 0 };
    total.rss += p.rssBytes ?? 0;
    if (p.pssBytes !== undefined && p.pssBytes !== null) total.pss = (total.pss ?? 0) + p.pssBytes;
    total.count++;
    all.set(command, total);
  }
  if (all.size <= MAX_COMMAND_SERIES) return all;
  const ranked = [...all.entries()].sort((a, b) => b[1].rss - a[1].rss);
  const kept = new Map(ranked.slice(0, MAX_COMMAND_SERIES - 1));
  const other: CommandTotal = { rss: 0, pss: null, count: 0 };
  for (const [, total] of ranked.slice(MAX_COMMAND_SERIES - 1)) {
    other.rss += total.rss;
    if (total.pss !== null) other.pss = (other.pss ?? 0) + total.pss;
    other.count += total.count;
  }
  kept.set(OTHER_COMMAND, other);
  return kept;
}
