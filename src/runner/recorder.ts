// Turns tree readings into the run's record: sample rows (streamed to a sink as they are
// taken, and spilled to disk), the tree total per sample (its older chunks spilled too), one
// summary per process, and per-task records built from the boundary samples (spilled as each
// task ends; only running tasks and a window of figures stay in memory). Nothing here grows with
// the number of samples or tasks: a long watch must not make leakhunt itself leak.
import type { ProcessReading, ProcessSummary, Sample, SampleEvent, Snapshot, TaskRecord, TaskRows } from '../model.js';
import type { BoundaryEvent } from '../protocol/message.js';
import type { TreeReading } from '../sampler/types.js';
import { OverlapTracker } from './overlap.js';
import { ProcessLedger } from './process-ledger.js';
import { createRowStore, type RowStore } from './spill-rows.js';
import { RecentTaskSeries } from './task-series.js';
import { TreeTotals } from './tree-totals.js';
import { TaskProcesses, type Share } from './task-processes.js';
import { readingBytes, type TreeMetric } from '../series/metric.js';

/** Distinct task names kept; beyond this, names fold into OTHER_NAME so 10^6 names cannot exhaust memory. */
export const MAX_TASK_NAMES = 1000;
export const OTHER_NAME = '(other)';

/** Receives each sample's rows as they are taken (rows may be empty: the tree was gone). */
export type SampleSink = (rows: Sample[], sample: { seq: number; elapsedMs: number; event: SampleEvent; mode?: string }) => void;

export class Recorder {
  /** The tree total per sample, in the judged metric: what the verdict reads. */
  readonly totals = new TreeTotals();
  /**
   * The figure the totals and the tasks' judged figures sum: RSS unless --metric pss|uss. Set
   * before the first sample.
   */
  metric: TreeMetric = 'rss';
  /**
   * Each task runs in a process of its own that exits with it (compare's fork mode). The tasks'
   * tree figures then leave those processes out: their memory is the task's working set, gone at
   * its exit, and whether a boundary sample still catches one alive is timing. Counted, the
   * figures after the tasks flipped between the worker alone and the worker plus a child (14.8
   * and 28.4 MB), a step the verdict would read as growth. Set before the first task.
   */
  set oneProcessPerTask(value: boolean) {
    this.taskProcesses.oneProcessPerTask = value;
  }
  get oneProcessPerTask(): boolean {
    return this.taskProcesses.oneProcessPerTask;
  }
  /** The largest tree RSS over the samples that saw a process (the totals hold the judged metric). */
  peakTreeRssBytes: number | null = null;
  /** The latest ended tasks' figures, for the live verdict and a mode's pace. */
  readonly recentTasks = new RecentTaskSeries();
  /** The latest sample and the one before it (a task's "before" figures, async samplers' reuse). */
  latest: Snapshot | null = null;
  previous: Snapshot | null = null;
  vanished = 0;
  slowTicks = 0;
  /** Tasks that reported their end. */
  completed = 0;
  private seq = 0;
  /** What was left of the tree at the latest sample, once the worker was gone. */
  private orphans: TreeReading['orphans'] = [];
  private readonly ledger = new ProcessLedger();
  private readonly open = new Map<string, TaskRecord>();
  private readonly names = new Set<string>();
  private readonly overlaps = new OverlapTracker();
  /** Which processes the tasks' tree figures leave out (task-processes.ts). */
  private readonly taskProcesses = new TaskProcesses((record) => this.keepEnded(record));

  constructor(
    private readonly sink: SampleSink | null,
    private readonly mode?: string,
    /** Added to every elapsedMs, so several sessions of one mode share one time axis. */
    private readonly offsetMs = 0,
    readonly samples: RowStore<Sample> = createRowStore<Sample>('samples'),
    /** Tasks that ended (and first runs replaced by a reused id), in the order they did. */
    private readonly ended: RowStore<TaskRecord> = createRowStore<TaskRecord>('tasks'),
  ) {}

  /** Every task so far: those that ended, then those still running (in the order they started). */
  get tasks(): TaskRows & { toJSON(): TaskRecord[] } {
    const { ended, open, taskProcesses } = this;
    return {
      get length() {
        return ended.length + taskProcesses.unsettledCount + open.size;
      },
      *[Symbol.iterator]() {
        yield* ended;
        yield* taskProcesses.unsettled();
        yield* open.values();
      },
      toJSON() {
        return [...this];
      },
    };
  }

  record(reading: TreeReading, elapsedMs: number, event: SampleEvent, readMs: number, label?: { task?: string; name?: string }): Snapshot {
    const at = Math.round((elapsedMs + this.offsetMs) * 100) / 100;
    const seq = this.seq++;
    this.vanished += reading.vanished;
    // A zombie has exited and holds no memory: it is not part of the tree's footprint (and its
    // 0 B would read as a sudden drop at the end of every run).
    const processes = reading.processes.filter((p) => p.state !== 'Z');
    let treeRssBytes = 0;
    let treeMetricBytes = 0;
    const rows: Sample[] = [];
    for (const proc of processes) {
      treeRssBytes += proc.rssBytes ?? 0;
      if (this.metric !== 'rss') treeMetricBytes += readingBytes(proc, this.metric) ?? 0;
      const row: Sample = { seq, elapsedMs: at, event, ...proc };
      if (label?.task !== undefined) row.task = label.task;
      if (label?.name !== undefined) row.name = label.name;
      if (this.mode !== undefined) row.mode = this.mode;
      rows.push(row);
    }
    this.taskProcesses.settle(processes, at, event === 'exit');
    this.ledger.observe(processes, at);
    this.orphans = reading.orphans ?? [];
    this.samples.append(rows);
    this.totals.push(at, this.metric === 'rss' ? treeRssBytes : treeMetricBytes, processes.length, event);
    this.sink?.(rows, { seq, elapsedMs: at, event, ...(this.mode !== undefined ? { mode: this.mode } : {}) });
    const snapshot: Snapshot = { seq, elapsedMs: at, event, processes, treeRssBytes, readMs };
    if (this.metric !== 'rss') snapshot.treeMetricBytes = treeMetricBytes;
    if (processes.length > 0 && (this.peakTreeRssBytes === null || treeRssBytes > this.peakTreeRssBytes)) this.peakTreeRssBytes = treeRssBytes;
    if (label?.task !== undefined) snapshot.task = label.task;
    if (label?.name !== undefined) snapshot.name = label.name;
    this.previous = this.latest;
    this.latest = snapshot;
    return snapshot;
  }

  /**
   * "Before" is the last sample taken before the start boundary arrived: a worker does not wait
   * after writing `start`, so the boundary sample itself may already hold some of the task's
   * allocations. In lockstep that earlier sample is the previous task's end: an idle worker.
   * Before the first task ends the earlier sample may catch the worker still starting (a bare
   * fork, an interpreter half loaded), which would charge start-up to the first task: there the
   * boundary sample itself is the fairer "before".
   */
  taskStarted(event: BoundaryEvent, snapshot: Snapshot, fallbackPid: number | null): void {
    const pid = event.pid ?? fallbackPid;
    const idleSinceLastEnd = this.completed > 0 && this.open.size === 0;
    const previous = idleSinceLastEnd && snapshot === this.latest ? this.previous : null;
    const before = previous && rssOf(previous, pid) !== null ? previous : snapshot;
    const inBefore = pid === null ? undefined : before.processes.find((p) => p.pid === pid);
    const beforeShare = inBefore ? this.shareOf(inBefore, event) : { rss: 0, metric: 0 };
    this.taskProcesses.started(event.task, pid, fallbackPid, snapshot.processes.map((p) => p.pid), beforeShare);
    const held = this.withReportedRss(this.heldTree(before, fallbackPid), before, event, fallbackPid);
    const record: TaskRecord = {
      task: event.task,
      name: this.capName(event.name),
      pid,
      startMs: snapshot.elapsedMs,
      endMs: null,
      durationMs: null,
      ok: null,
      rssBeforeBytes: reportedRss(event) ?? rssOf(before, pid),
      rssAfterBytes: null,
      deltaBytes: null,
      treeRssBeforeBytes: held.rss,
      treeRssAfterBytes: null,
      treeDeltaBytes: null,
    };
    if (this.metric === 'pss') record.treePssBeforeBytes = held.metric;
    if (this.metric === 'uss') record.treeUssBeforeBytes = held.metric;
    if (this.mode !== undefined) record.mode = this.mode;
    // A task id reused while the first is still running replaces it: the first is recorded as
    // ended without an end, so no task is lost from the record.
    const replaced = this.open.get(event.task);
    if (replaced) this.ended.append([replaced]);
    this.open.set(event.task, record);
    this.overlaps.started(event.task, pid);
  }

  taskEnded(event: BoundaryEvent, snapshot: Snapshot, fallbackPid: number | null): TaskRecord {
    let record = this.open.get(event.task);
    if (!record) {
      // An end without a start (the start line was lost or malformed): the task is recorded
      // with what is known, and no before figures.
      this.taskStarted({ ...event, event: 'start' }, snapshot, fallbackPid);
      record = this.open.get(event.task)!;
      record.rssBeforeBytes = null;
      record.treeRssBeforeBytes = null;
    }
    this.open.delete(event.task);
    this.completed++;
    const overlapped = this.overlaps.ended(event.task);
    const startPid = record.pid;
    if (event.pid !== undefined) record.pid = event.pid;
    if (event.name && record.name === 'task') record.name = this.capName(event.name);
    record.endMs = snapshot.elapsedMs;
    record.durationMs = Math.round((record.endMs - record.startMs) * 100) / 100;
    record.ok = event.ok ?? true;
    record.rssAfterBytes = (event.pid === record.pid ? reportedRss(event) : null) ?? rssOf(snapshot, record.pid);
    // Two processes' readings are no change of either: a start from a forked child and an end
    // written by its parent (the child was killed) give no own-process figure.
    record.deltaBytes = record.pid === startPid ? diff(record.rssAfterBytes, record.rssBeforeBytes) : null;
    if (this.oneProcessPerTask && event.pid !== undefined && event.pid !== fallbackPid) this.taskProcesses.forkChild(event.pid);
    // Processes younger than the task, other than its own, are no part of what it left: the next
    // job's work horse, forked before leakhunt read this end line. One that stays (a pool's new
    // child, a process the task left running) counts from the next task on.
    const olderThanTask = this.taskProcesses.takeStartPids(event.task);
    const held = this.withReportedRss(this.heldTree(snapshot, fallbackPid, olderThanTask, record.pid), snapshot, event, fallbackPid);
    record.treeRssAfterBytes = held.rss;
    record.treeDeltaBytes = ownsTreeChange(record, startPid, snapshot, overlapped)
      ? diff(record.treeRssAfterBytes, record.treeRssBeforeBytes)
      : null;
    if (this.metric === 'pss') record.treePssAfterBytes = held.metric;
    if (this.metric === 'uss') record.treeUssAfterBytes = held.metric;
    if (event.metrics) record.metrics = event.metrics;
    const own = record.pid === null ? undefined : snapshot.processes.find((p) => p.pid === record.pid);
    this.taskProcesses.ended(event.task, record, own ? this.shareOf(own, event) : null);
    return record;
  }

  private keepEnded(record: TaskRecord): void {
    this.ended.append([record]);
    this.recentTasks.push(record);
  }

  /** The task currently running, if any (for "which task was in flight"). */
  inFlight(): string | null {
    const last = [...this.open.keys()].pop();
    return last ?? null;
  }

  processSummaries(): ProcessSummary[] {
    return this.ledger.list();
  }

  /** Exited processes left out of processSummaries() to keep memory bounded. */
  get processesOmitted(): number {
    return this.ledger.omitted;
  }

  markLeftovers(keys: Array<{ pid: number; startTime: number }>): ProcessSummary[] {
    return this.ledger.markLeftovers(keys, this.orphans, this.latest?.elapsedMs ?? 0);
  }

  /**
   * The tree's RSS and judged figure at a sample, without one-task processes (oneProcessPerTask's
   * children, and those settled as one task's) and, at a task's end, without processes younger
   * than the task other than its own.
   */
  private heldTree(snapshot: Snapshot, rootPid: number | null, olderThanTask?: Set<number>, taskPid?: number | null): { rss: number; metric: number | null } {
    const leftOut = (pid: number): boolean =>
      pid !== rootPid && (this.taskProcesses.isOneTask(pid) || (olderThanTask !== undefined && pid !== taskPid && !olderThanTask.has(pid)));
    if (!snapshot.processes.some((p) => leftOut(p.pid))) {
      return { rss: snapshot.treeRssBytes, metric: snapshot.treeMetricBytes ?? null };
    }
    let rss = 0;
    let metric = 0;
    for (const proc of snapshot.processes) {
      if (leftOut(proc.pid)) continue;
      rss += proc.rssBytes ?? 0;
      if (this.metric !== 'rss') metric += readingBytes(proc, this.metric) ?? 0;
    }
    return { rss, metric: this.metric === 'rss' ? null : metric };
  }

  /**
   * The tree's RSS with the boundary's own process counted at the RSS it read itself. A worker
   * that drives its own loop does not wait for leakhunt: under CPU load the sample comes late and
   * holds later tasks' allocations, or catches the process tearing down at its exit (a 23 MB
   * Python worker read 14.6 MB after its last task), or finds it gone. Only RSS: the process's
   * PSS or USS is not what it reads, so the judged metric keeps the sample's figure. A one-task
   * process (oneProcessPerTask) stays out of the tree whatever it read.
   */
  private withReportedRss(held: { rss: number; metric: number | null }, snapshot: Snapshot, event: BoundaryEvent, rootPid: number | null): { rss: number; metric: number | null } {
    const reported = reportedRss(event);
    if (reported === null || event.pid === undefined || this.taskProcesses.isOneTask(event.pid)) return held;
    const sampled = rssOf(snapshot, event.pid);
    // Gone from the sample: the worker itself was only read late, but a child's memory (a work
    // horse, a pool child past its last task) went with it.
    if (sampled === null && event.pid !== rootPid) return held;
    return { rss: held.rss - (sampled ?? 0) + reported, metric: held.metric };
  }

  /** What a process adds to a task's tree figures: RSS (as it reported it, when the line is its own) and the judged metric. */
  private shareOf(proc: ProcessReading, event: BoundaryEvent): Share {
    const rss = (event.pid === proc.pid ? reportedRss(event) : null) ?? proc.rssBytes ?? 0;
    return { rss, metric: this.metric === 'rss' ? 0 : (readingBytes(proc, this.metric) ?? 0) };
  }

  private capName(name: string | undefined): string {
    const n = name && name.length > 0 ? name : 'task';
    if (this.names.has(n)) return n;
    if (this.names.size >= MAX_TASK_NAMES) return OTHER_NAME;
    this.names.add(n);
    return n;
  }
}

/**
 * The RSS a task's own process read at its boundary (metrics.rssBytes, from the helpers and the
 * --instrument hooks). The sample leakhunt takes when the line arrives comes later: in a pool,
 * where nothing waits after writing `start`, it may already hold the task's first allocations,
 * and at `end` the next task's. A line without a pid speaks for another process: not used.
 */
function reportedRss(event: BoundaryEvent): number | null {
  const value = event.pid === undefined ? undefined : event.metrics?.rssBytes;
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

/**
 * Whether the tree's change over a task is the task's own. Not when a task of another process ran
 * meanwhile (a prefork pool): that task moved the tree too, and the task's own process's change is
 * its figure. Not when the task's process was measured at the start and is gone at the end sample
 * (a child that exited first): the tree then lost that process's whole RSS, which no task "freed".
 * One task at a time keeps the tree's change: what the task left anywhere in the tree (without a
 * child of its own that exited with it, see task-processes.ts).
 */
function ownsTreeChange(record: TaskRecord, startPid: number | null, end: Snapshot, overlapped: boolean): boolean {
  if (overlapped) return false;
  const processGone = record.rssBeforeBytes !== null && !end.processes.some((p) => p.pid === startPid);
  return !processGone;
}

function rssOf(snapshot: Snapshot, pid: number | null): number | null {
  if (pid === null) return null;
  return snapshot.processes.find((p) => p.pid === pid)?.rssBytes ?? null;
}

function diff(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a - b;
}
