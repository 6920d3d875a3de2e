// The per-task figures the detector reads (tree RSS after each task, when it ended, the heap the
// worker reported), in typed arrays (8 B a figure): from every task of a run for the final
// verdict, decimated past FINAL_POINTS tasks, or from a window of the latest ones, kept in a
// ring, for the live verdict.
import { FINAL_POINTS, MinDecimator } from '../series/decimate.js';
import type { TaskRecord } from '../model.js';
import { widened } from '../typed-arrays.js';
import { treeAfterBytes } from '../series/metric.js';

/** Tasks that ended with a tree reading, in the order they ended. */
export interface PerTaskSeries {
  values: Float64Array;
  /** When the task of each point ended. */
  endMs: Float64Array;
  /** Task numbers of the points (1: the first task with a reading); null for 1, 2, 3, … */
  positions: Float64Array | null;
  /** The worker's heapUsed, when every one of these tasks reported it, with its own task numbers. */
  heapUsed: Float64Array | null;
  heapPositions: Float64Array | null;
  /** heapUsed + external (Buffers and other memory V8 tracks off its heap), where every task reported both; at heapPositions. */
  heapWithExternal: Float64Array | null;
  /** Task numbers (as in positions) at which a task name was seen for the first time, ascending. */
  firstRuns: Float64Array;
  /** Tasks with a reading, and the first and last of their readings (exact, even when decimated). */
  count: number;
  firstBytes: number;
  lastBytes: number;
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

const heapWithExternalOf = (task: TaskRecord): number | undefined => {
  const [heap, external] = [task.metrics?.heapUsed, task.metrics?.external];
  return typeof heap === 'number' && typeof external === 'number' ? heap + external : undefined;
};

/**
 * One pass over a run's tasks (read back from disk for a recorded run). Past `capacity` tasks
 * each point is the lowest of a group of consecutive tasks (series/decimate.ts), so the final
 * verdict's memory is bounded however long the run.
 */
export function perTaskSeries(tasks: Iterable<TaskRecord>, capacity = FINAL_POINTS): PerTaskSeries | null {
  const tree = new MinDecimator(capacity);
  let heap: MinDecimator | null = new MinDecimator(capacity);
  let withExternal: MinDecimator | null = new MinDecimator(capacity);
  let firstBytes = Number.NaN;
  // One entry per task name (the recorder caps the names), not per task.
  const names = new Set<string>();
  const firstRuns: number[] = [];
  for (const task of tasks) {
    const after = treeAfterBytes(task);
    if (task.endMs === null || after === null) continue;
    const position = tree.rawLength + 1;
    if (!names.has(task.name)) {
      names.add(task.name);
      firstRuns.push(position);
    }
    if (position === 1) firstBytes = after;
    tree.push(position, after, task.endMs);
    const heapUsed = heapUsedOf(task);
    if (heapUsed === undefined) heap = null;
    else heap?.push(position, heapUsed);
    const both = heapWithExternalOf(task);
    if (both === undefined) withExternal = null;
    else withExternal?.push(position, both);
  }
  if (tree.length === 0) return null;
  const kept = tree.view();
  const heapKept = heap?.view() ?? null;
  return {
    values: kept.values,
    endMs: kept.extra,
    positions: kept.positions,
    heapUsed: heapKept?.values ?? null,
    heapPositions: heapKept?.positions ?? null,
    // Never without heapUsed: a task that did not send it sent no sum either.
    heapWithExternal: withExternal?.view().values ?? null,
    firstRuns: Float64Array.from(firstRuns),
    count: tree.rawLength,
    firstBytes,
    lastBytes: tree.lastValue,
  };
}

/**
 * The latest `capacity` ended tasks' figures in a ring of typed arrays (40 B a task, grown by
 * doubling up to the capacity, never beyond): what a live verdict and a mode's pace read while
 * the task records themselves are on disk.
 */
export class RecentTaskSeries {
  private treeRss = new Float64Array(64);
  private ended = new Float64Array(64);
  /** NaN where the task reported no heap figure. */
  private heap = new Float64Array(64);
  /** heapUsed + external, NaN where the task did not report both. */
  private heapExternal = new Float64Array(64);
  private durations = new Float64Array(64);
  /** Tasks pushed so far; the ring holds the latest min(count, capacity). */
  private count = 0;
  /** Each task name seen, and the count of tasks pushed when it was first seen (bounded by the recorder's cap on names). */
  private firstSeen = new Map<string, number>();

  constructor(private readonly capacity = LIVE_TASKS) {}

  get length(): number {
    return Math.min(this.count, this.capacity);
  }

  push(task: TaskRecord): void {
    const after = treeAfterBytes(task);
    if (task.endMs === null || after === null) return;
    if (this.count < this.capacity && this.count === this.treeRss.length) this.grow();
    const at = this.count % this.treeRss.length;
    this.treeRss[at] = after;
    this.ended[at] = task.endMs;
    this.heap[at] = heapUsedOf(task) ?? Number.NaN;
    this.heapExternal[at] = heapWithExternalOf(task) ?? Number.NaN;
    this.durations[at] = task.durationMs ?? Number.NaN;
    this.count++;
    if (!this.firstSeen.has(task.name)) this.firstSeen.set(task.name, this.count);
  }

  series(): PerTaskSeries | null {
    const held = this.length;
    if (held === 0) return null;
    const values = new Float64Array(held);
    const endMs = new Float64Array(held);
    let heapUsed: Float64Array | null = new Float64Array(held);
    let heapWithExternal: Float64Array | null = new Float64Array(held);
    let i = 0;
    for (const at of this.positions()) {
      values[i] = this.treeRss[at]!;
      endMs[i] = this.ended[at]!;
      const heap = this.heap[at]!;
      if (Number.isNaN(heap)) heapUsed = null;
      else if (heapUsed) heapUsed[i] = heap;
      const both = this.heapExternal[at]!;
      if (Number.isNaN(both)) heapWithExternal = null;
      else if (heapWithExternal) heapWithExternal[i] = both;
      i++;
    }
    // Positions count from the ring's oldest task: types first seen before it get positions ≤ 0.
    const offset = this.count - held;
    const firstRuns = Float64Array.from(this.firstSeen.values(), (seenAt) => seenAt - offset);
    return { values, endMs, positions: null, heapUsed, heapPositions: null, heapWithExternal, firstRuns, count: held, firstBytes: values[0]!, lastBytes: values[held - 1]! };
  }

  /** The median duration of the latest `n` tasks, or null before any ended. */
  medianDurationMs(n: number): number | null {
    // Only the latest n slots: an isolated compare asks at every session, and listing the whole
    // ring (up to LIVE_TASKS) each time made that quadratic in the run's length.
    const size = this.treeRss.length;
    const latest: number[] = [];
    for (let i = this.count - Math.min(n, this.length); i < this.count; i++) {
      const duration = this.durations[i % size]!;
      if (!Number.isNaN(duration)) latest.push(duration);
    }
    latest.sort((a, b) => a - b);
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
    this.treeRss = widened(this.treeRss, size);
    this.ended = widened(this.ended, size);
    this.heap = widened(this.heap, size);
    this.heapExternal = widened(this.heapExternal, size);
    this.durations = widened(this.durations, size);
  }
}
