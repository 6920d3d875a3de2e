// The per-task figures the detector reads (tree RSS after each task, when it ended, the heap the
// worker reported), in typed arrays (8 B a figure): from every task of a run for the final
// verdict, or from a window of the latest ones, kept in a ring, for the live verdict.
import type { TaskRecord } from '../model.js';

/** Tasks that ended with a tree reading, in the order they ended. */
export interface PerTaskSeries {
  values: Float64Array;
  endMs: Float64Array;
  /** The worker's heapUsed per task, when every one of these tasks reported it. */
  heapUsed: Float64Array | null;
}

/**
 * The live verdict reads the latest 100,000 tasks (and as many samples) at most. Judging a million tasks took ~0.4 s
 * and half a GiB of working memory at each check, all of it between two ticks (the peak of a
 * 10^6-task run); the final verdict still reads the whole run.
 */
export const LIVE_TASKS = 100_000;

const heapUsedOf = (task: TaskRecord): number | undefined => {
  const heap = task.metrics?.heapUsed;
  return typeof heap === 'number' ? heap : undefined;
};

/** Numbers appended one by one into a typed array that doubles as it fills. */
class Float64List {
  private data = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const wider = new Float64Array(this.data.length * 2);
      wider.set(this.data);
      this.data = wider;
    }
    this.data[this.length++] = value;
  }

  /** The numbers pushed, as a view (no copy). */
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** One pass over a run's tasks (read back from disk for a recorded run). */
export function perTaskSeries(tasks: Iterable<TaskRecord>): PerTaskSeries | null {
  const values = new Float64List();
  const endMs = new Float64List();
  let heapUsed: Float64List | null = new Float64List();
  for (const task of tasks) {
    if (task.endMs === null || task.treeRssAfterBytes === null) continue;
    values.push(task.treeRssAfterBytes);
    endMs.push(task.endMs);
    const heap = heapUsedOf(task);
    if (heap === undefined) heapUsed = null;
    else heapUsed?.push(heap);
  }
  return values.length > 0 ? { values: values.view(), endMs: endMs.view(), heapUsed: heapUsed?.view() ?? null } : null;
}

/**
 * The latest `capacity` ended tasks' figures in a ring of typed arrays (32 B a task, grown by
 * doubling up to the capacity, never beyond): what a live verdict and a mode's pace read while
 * the task records themselves are on disk.
 */
export class RecentTaskSeries {
  private treeRss = new Float64Array(64);
  private ended = new Float64Array(64);
  /** NaN where the task reported no heap figure. */
  private heap = new Float64Array(64);
  private durations = new Float64Array(64);
  /** Tasks pushed so far; the ring holds the latest min(count, capacity). */
  private count = 0;

  constructor(private readonly capacity = LIVE_TASKS) {}

  get length(): number {
    return Math.min(this.count, this.capacity);
  }

  push(task: TaskRecord): void {
    if (task.endMs === null || task.treeRssAfterBytes === null) return;
    if (this.count < this.capacity && this.count === this.treeRss.length) this.grow();
    const at = this.count % this.treeRss.length;
    this.treeRss[at] = task.treeRssAfterBytes;
    this.ended[at] = task.endMs;
    this.heap[at] = heapUsedOf(task) ?? Number.NaN;
    this.durations[at] = task.durationMs ?? Number.NaN;
    this.count++;
  }

  series(): PerTaskSeries | null {
    const held = this.length;
    if (held === 0) return null;
    const values = new Float64Array(held);
    const endMs = new Float64Array(held);
    let heapUsed: Float64Array | null = new Float64Array(held);
    let i = 0;
    for (const at of this.positions()) {
      values[i] = this.treeRss[at]!;
      endMs[i] = this.ended[at]!;
      const heap = this.heap[at]!;
      if (Number.isNaN(heap)) heapUsed = null;
      else if (heapUsed) heapUsed[i] = heap;
      i++;
    }
    return { values, endMs, heapUsed };
  }

  /** The median duration of the latest `n` tasks, or null before any ended. */
  medianDurationMs(n: number): number | null {
    const latest = [...this.positions()].slice(-n).map((at) => this.durations[at]!).filter((d) => !Number.isNaN(d)).sort((a, b) => a - b);
    return latest.length > 0 ? latest[Math.floor(latest.length / 2)]! : null;
  }

  /** Ring positions, oldest first. */
  private *positions(): Generator<number> {
    const size = this.treeRss.length;
    const held = this.length;
    for (let i = this.count - held; i < this.count; i++) yield i % size;
  }

  private grow(): void {
    const size = Math.min(this.capacity, this.treeRss.length * 2);
    const widen = (from: Float64Array) => {
      const to = new Float64Array(size);
      to.set(from);
      return to;
    };
    this.treeRss = widen(this.treeRss);
    this.ended = widen(this.ended);
    this.heap = widen(this.heap);
    this.durations = widen(this.durations);
  }
}
