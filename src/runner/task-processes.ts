// Which processes a task's tree figures leave out. A task's memory is what stays in the worker's
// processes after it; a process that lives for one task only (compare's fork mode, an RQ work
// horse) is the task's working set, gone at its exit, and a process younger than the task other
// than its own (the next job's horse, forked before leakhunt read this end line) is no part of it.
import type { TaskRecord } from '../model.js';

/** Pids remembered per kind: far more than run at once; a reused pid is a task child again anyway. */
const PIDS_KEPT = 1024;
/** How long after its task's end a process born for it may take to exit and still count as that task's alone. */
export const SETTLE_MS = 1000;

/** What one process added to a task's tree figures: RSS, and the judged metric (0 under RSS). */
export interface Share {
  rss: number;
  metric: number;
}

/** A task's own process born for it: its shares of the task's figures, and whether it is known to stay. */
interface BornProcess {
  pid: number;
  before: Share;
  after: Share;
  stays: boolean;
}

interface Waiting {
  record: TaskRecord;
  /** null: a task kept waiting only to stay in the order tasks ended. */
  born: BornProcess | null;
}

export class TaskProcesses {
  /** Each task runs in a child of its own that exits with it (compare's fork mode), known ahead. */
  oneProcessPerTask = false;
  /** Children of tasks under oneProcessPerTask, and processes settled as one task's. */
  private readonly oneTask = new Set<number>();
  /** Processes that started a task. */
  private readonly ranTask = new Set<number>();
  /** Running tasks whose own process is born for them, with its share of the task's "before" figures. */
  private readonly bornFor = new Map<string, { pid: number; before: Share }>();
  /** The pids of the tree at each running task's start. */
  private readonly startPids = new Map<string, Set<number>>();
  private waiting: Waiting[] = [];

  /** `keep` takes each ended task once its figures are settled, in the order the tasks ended. */
  constructor(private readonly keep: (record: TaskRecord) => void) {}

  /**
   * A task started in `pid`, with the tree at its start. Born for it: a process other than the
   * worker that runs its first task (a work horse forked for the job, a pool's new child);
   * `before` is its share of the task's "before" figures (the first task's "before" is its own
   * start sample). Whether it lived for this task only is told after the task's end (settle).
   */
  started(task: string, pid: number | null, rootPid: number | null, treePids: Iterable<number>, before: Share): void {
    this.startPids.set(task, new Set(treePids));
    this.bornFor.delete(task);
    if (pid === null || pid === rootPid) return;
    if (this.oneProcessPerTask) return remember(this.oneTask, pid);
    for (const end of this.waiting) if (end.born?.pid === pid) end.born.stays = true; // a pool's child, on to its next task
    const firstTask = !this.ranTask.has(pid);
    remember(this.ranTask, pid);
    if (firstTask) this.bornFor.set(task, { pid, before });
  }

  /** A one-task process under oneProcessPerTask, named by a task's end. */
  forkChild(pid: number): void {
    remember(this.oneTask, pid);
  }

  /** Known to have lived for one task only: out of every tree figure. */
  isOneTask(pid: number): boolean {
    return this.oneTask.has(pid);
  }

  /** The pids of the tree at the task's start (taken: asked once, at its end). */
  takeStartPids(task: string): Set<number> | undefined {
    const pids = this.startPids.get(task);
    this.startPids.delete(task);
    return pids;
  }

  /**
   * A task ended. `own` is its own process's share of the "after" figures, or null when that
   * process is gone at the end sample. A process born for the task that is gone already leaves
   * the figures now; one still alive makes the task wait (settle).
   */
  ended(task: string, record: TaskRecord, own: Share | null): void {
    const born = this.bornFor.get(task);
    this.bornFor.delete(task);
    const bornHere = born !== undefined && born.pid === record.pid ? born : null;
    if (bornHere && own === null) {
      withoutProcess(record, bornHere.before, { rss: 0, metric: 0 });
      remember(this.oneTask, bornHere.pid);
    }
    if (bornHere && own !== null) this.waiting.push({ record, born: { ...bornHere, after: own, stays: false } });
    else if (this.waiting.length > 0) this.waiting.push({ record, born: null });
    else this.keep(record);
  }

  /**
   * At each sample: a waiting task whose process is gone leaves it out of its figures (the worker
   * reaps a horse before it takes the next job); one that ran another task, or is still there
   * SETTLE_MS after the task's end (ticks may catch a horse on its way out), stays counted (a
   * pool's new child). The run's last sample settles every one.
   */
  settle(processes: readonly { pid: number }[], at: number, last: boolean): void {
    if (this.waiting.length === 0) return;
    const alivePids = new Set(processes.map((p) => p.pid));
    let settled = 0;
    for (const end of this.waiting) {
      const born = end.born;
      if (born && !alivePids.has(born.pid)) {
        withoutProcess(end.record, born.before, born.after);
        remember(this.oneTask, born.pid);
      } else if (born && !born.stays && !last && at - (end.record.endMs ?? at) < SETTLE_MS) break;
      settled++;
    }
    if (settled > 0) for (const end of this.waiting.splice(0, settled)) this.keep(end.record);
  }

  /** Ended tasks still waiting to be settled, in the order they ended. */
  *unsettled(): Iterable<TaskRecord> {
    for (const end of this.waiting) yield end.record;
  }

  get unsettledCount(): number {
    return this.waiting.length;
  }
}

/** Adds a pid to a set that keeps the latest PIDS_KEPT (a reused pid counts as the latest). */
function remember(pids: Set<number>, pid: number): void {
  pids.delete(pid);
  pids.add(pid);
  if (pids.size > PIDS_KEPT) pids.delete(pids.values().next().value!);
}

const less = (value: number | null | undefined, share: number): number | null | undefined => (typeof value === 'number' ? value - share : value);

/** The task's tree figures without its own process. */
function withoutProcess(record: TaskRecord, before: Share, after: Share): void {
  record.treeRssBeforeBytes = less(record.treeRssBeforeBytes, before.rss) ?? null;
  record.treeRssAfterBytes = less(record.treeRssAfterBytes, after.rss) ?? null;
  if (record.treePssAfterBytes != null) [record.treePssBeforeBytes, record.treePssAfterBytes] = [less(record.treePssBeforeBytes, before.metric), less(record.treePssAfterBytes, after.metric)];
  if (record.treeUssAfterBytes != null) [record.treeUssBeforeBytes, record.treeUssAfterBytes] = [less(record.treeUssBeforeBytes, before.metric), less(record.treeUssAfterBytes, after.metric)];
  if (record.treeDeltaBytes !== null && record.treeRssAfterBytes !== null && record.treeRssBeforeBytes !== null) {
    record.treeDeltaBytes = record.treeRssAfterBytes - record.treeRssBeforeBytes;
  }
}
