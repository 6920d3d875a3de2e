// Each task type's own figure where tasks run side by side in one process (threads, an async
// worker's concurrency). A task's process change then holds what its neighbours kept while it ran
// as well as what it kept itself. Taking what a task keeps as arriving at an even pace over its
// run, the change over task i is Σ_j m_type(j) · |I_i ∩ I_j| / |I_j| over the tasks j of its
// process whose runs overlap it (itself included, with weight 1), plus noise. Least squares of the
// changes on those weights, one column per type, separates the types wherever their mix varies
// from task to task. Tasks come in the order they ended, so a task's row waits for the next
// LOOKAHEAD tasks of its process to end (those are the ones that can still overlap it, for any
// concurrency below that). The sums of squares are kept as they come (memory of the number of
// types squared): attribute() reads tasks from disk once, however long the run.
import type { TaskRecord } from '../model.js';
import { normalQuantile } from './stats.js';

/** Past this many task types the system is not solved: too many unknowns for the runs at hand. */
const MAX_TYPES = 32;
/**
 * A row is counted once this many later tasks of its process have ended: a run overlapping it
 * ends among them when fewer tasks than that run at once. Each row looks at most this far either
 * way, so a task costs O(LOOKAHEAD) whatever the run's length.
 */
const LOOKAHEAD = 64;
/** First runs (imports) form one column of their own, so their lump is not charged to a type's repeats. */
const FIRST_RUNS = 0;
/**
 * Processes followed at once. Compare's fork mode and RQ's work horses run each task in a process
 * of its own: the one that ended longest ago is settled and forgotten, so memory stays bounded
 * however many processes a run goes through.
 */
const MAX_PROCESSES = 64;
/** A type past MAX_TYPES: its runs still tell overlaps, but the system is not solved. */
const NO_COLUMN = -1;

export interface OwnFigure {
  bytesPerRun: number;
  ci: [number, number];
}

interface Run {
  startMs: number;
  endMs: number;
  column: number;
  delta: number | null;
  counted: boolean;
}

export class SharedRunsRegression {
  private readonly columns = new Map<string, number>();
  /** Per process, in end order: the runs whose rows wait, and the LOOKAHEAD before them. */
  private readonly runs = new Map<number, Run[]>();
  /** Xᵀ X and Xᵀ y, grown as new types appear (their earlier rows held 0 for them). */
  private readonly xtx: number[][] = [[0]];
  private readonly xty: number[] = [0];
  private yty = 0;
  private rows = 0;
  private tooManyTypes = false;

  /**
   * One task, in the order tasks ended; `first` for its type's first run. True when it started
   * before the previous task of its process ended: it ran beside that one. (Of each overlapping
   * pair only the later-ended one is seen so; under steady concurrency that is nearly every run.)
   */
  add(task: TaskRecord, delta: number | null, first: boolean): boolean {
    if (task.pid === null || task.endMs === null) return false;
    const column = first ? FIRST_RUNS : this.columnOf(task.name);
    const runs = this.runs.get(task.pid) ?? [];
    const overlapped = runs.length > 0 && runs[runs.length - 1]!.endMs > task.startMs;
    runs.push({ startMs: task.startMs, endMs: task.endMs, column, delta, counted: false });
    // Most recently ended last: the first process in the map is the one to settle and forget.
    this.runs.delete(task.pid);
    this.runs.set(task.pid, runs);
    if (this.runs.size > MAX_PROCESSES) this.forget(this.runs.keys().next().value!);
    const due = runs.length - 1 - LOOKAHEAD;
    if (due >= 0) this.count(runs, due);
    if (runs.length > 2 * LOOKAHEAD + 1) runs.shift();
    return overlapped;
  }

  /** Counts a process's waiting rows and drops it. */
  private forget(pid: number): void {
    const runs = this.runs.get(pid)!;
    runs.forEach((run, at) => run.counted || this.count(runs, at));
    this.runs.delete(pid);
  }

  /** Row `at` of `runs`: its change against the shares of the runs around it that overlap it. */
  private count(runs: Run[], at: number): void {
    const run = runs[at]!;
    run.counted = true;
    if (run.delta === null || this.tooManyTypes) return;
    const weights = new Array<number>(this.xty.length).fill(0);
    weights[run.column]! += 1;
    // Runs that ended earlier overlap it while their end is past its start (ends only fall going back).
    for (let j = at - 1; j >= 0 && runs[j]!.endMs > run.startMs; j--) weights[runs[j]!.column]! += share(runs[j]!, run);
    for (let j = at + 1; j < runs.length; j++) if (runs[j]!.startMs < run.endMs) weights[runs[j]!.column]! += share(runs[j]!, run);
    for (let a = 0; a < weights.length; a++) {
      if (weights[a] === 0) continue;
      this.xty[a]! += weights[a]! * run.delta;
      for (let b = 0; b < weights.length; b++) this.xtx[a]![b]! += weights[a]! * weights[b]!;
    }
    this.yty += run.delta * run.delta;
    this.rows++;
  }

  /** Each type's bytes kept per run with its interval; empty when the system cannot be solved. */
  figures(confidence = 0.95): Map<string, OwnFigure> {
    for (const pid of [...this.runs.keys()]) this.forget(pid);
    const found = new Map<string, OwnFigure>();
    // Columns that never counted (no first run with a figure, say) carry no unknown.
    const active = this.xty.map((_, j) => j).filter((j) => this.xtx[j]![j]! > 0);
    const p = active.length;
    if (this.tooManyTypes || this.rows <= p + 2) return found;
    const inverse = invert(active.map((a) => active.map((b) => this.xtx[a]![b]!)));
    if (!inverse) return found;
    const xty = active.map((j) => this.xty[j]!);
    const beta = inverse.map((row) => row.reduce((sum, value, j) => sum + value * xty[j]!, 0));
    // SSE = yᵀy − βᵀXᵀy (the normal equations hold at the solution).
    const sse = Math.max(0, this.yty - beta.reduce((sum, b, j) => sum + b * xty[j]!, 0));
    const sigma2 = sse / (this.rows - p);
    const z = normalQuantile(1 - (1 - confidence) / 2);
    for (const [name, column] of this.columns) {
      const at = active.indexOf(column);
      if (at < 0) continue;
      const half = z * Math.sqrt(Math.max(0, sigma2 * inverse[at]![at]!));
      found.set(name, { bytesPerRun: beta[at]!, ci: [beta[at]! - half, beta[at]! + half] });
    }
    return found;
  }

  private columnOf(name: string): number {
    const known = this.columns.get(name);
    if (known !== undefined) return known;
    if (this.columns.size >= MAX_TYPES) {
      this.tooManyTypes = true;
      return NO_COLUMN;
    }
    const column = this.xty.length;
    this.columns.set(name, column);
    for (const row of this.xtx) row.push(0);
    this.xtx.push(new Array<number>(column + 1).fill(0));
    this.xty.push(0);
    return column;
  }
}

/** The share of `other`'s run that fell inside `run`'s. */
function share(other: Run, run: Run): number {
  const overlap = Math.min(run.endMs, other.endMs) - Math.max(run.startMs, other.startMs);
  const length = other.endMs - other.startMs;
  return overlap > 0 && length > 0 ? overlap / length : 0;
}

/** The inverse of a small symmetric matrix by Gauss-Jordan with partial pivoting; null when singular. */
function invert(matrix: readonly number[][]): number[][] | null {
  const n = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(...matrix.map((row, i) => Math.abs(row[i]!)), 1);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    // A type that never ended inside a task's interval (or moves exactly with another) has no figure.
    if (Math.abs(a[pivot]![col]!) < 1e-9 * scale) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const head = a[col]![col]!;
    for (let j = 0; j < 2 * n; j++) a[col]![j]! /= head;
    for (let r = 0; r < n; r++) {
      if (r === col || a[r]![col] === 0) continue;
      const factor = a[r]![col]!;
      for (let j = 0; j < 2 * n; j++) a[r]![j]! -= factor * a[col]![j]!;
    }
  }
  return a.map((row) => row.slice(n));
}
