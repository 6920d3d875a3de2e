// From recorded samples to chart series: the tree total per snapshot, one line per process,
// task-end marks, and per-column peaks for tooltips and the chart's data table.
import type { Rows, Sample, TaskRecord } from '../model.js';
import { endedTaskCount } from '../series/rows.js';
import { truncate } from './html-escape.js';
import { PointColumns } from './point-columns.js';

export interface NamedSeries {
  label: string;
  points: PointColumns;
}

/**
 * Sums consecutive rows of one snapshot (seq) into one tree point: the first row's time, null when
 * nothing was read. A recording keeps a snapshot's rows together, so each run is a whole snapshot.
 */
export class SnapshotSum {
  private seq: number | null = null;
  private x = 0;
  private sum = 0;
  private read = false;

  /** Adds a row; when it starts another snapshot, the finished one goes to `done` first. */
  add(sample: Sample, done: (x: number, y: number | null, seq: number) => void): void {
    if (sample.seq !== this.seq) {
      this.flush(done);
      this.seq = sample.seq;
      this.x = sample.elapsedMs;
    }
    if (sample.rssBytes !== null) {
      this.sum += sample.rssBytes;
      this.read = true;
    }
  }

  flush(done: (x: number, y: number | null, seq: number) => void): void {
    if (this.seq !== null) done(this.x, this.read ? this.sum : null, this.seq);
    this.seq = null;
    this.sum = 0;
    this.read = false;
  }
}

/** Tree RSS per snapshot: the sum over every process alive at that sample; null when none could be read. */
export function treeRssPoints(samples: Iterable<Sample>, offsetMs = 0): PointColumns {
  // A snapshot's rows are recorded together, so a run of one seq is one point; the seqs of those
  // runs (a few bytes a snapshot) only matter if a recording ever comes out of order.
  const tree = new PointColumns();
  const seqs: number[] = [];
  const snapshot = new SnapshotSum();
  const onRun = (x: number, y: number | null, seq: number): void => {
    seqs.push(seq);
    tree.push(x - offsetMs, y);
  };
  for (const sample of samples) snapshot.add(sample, onRun);
  snapshot.flush(onRun);
  return (inOrder(seqs) ? tree : mergedBySeq(tree, seqs)).sortByX();
}

function inOrder(seqs: readonly number[]): boolean {
  for (let i = 1; i < seqs.length; i++) if (seqs[i]! <= seqs[i - 1]!) return false;
  return true;
}

/** One point per seq, at the time of its first row, summing every run of rows that carried it. */
function mergedBySeq(runs: PointColumns, seqs: readonly number[]): PointColumns {
  const order = seqs.map((_, i) => i).sort((a, b) => seqs[a]! - seqs[b]! || a - b);
  const merged = new PointColumns();
  let previous: number | undefined;
  for (const run of order) {
    if (seqs[run] !== previous) merged.push(runs.x(run), null);
    previous = seqs[run];
    const y = runs.y(run);
    if (y !== null) merged.addToLast(y);
  }
  return merged;
}

/** A process line's key: pid and start time, so a reused pid is another process. */
export function processKey(sample: Sample): string {
  return `${sample.pid}:${sample.startTime}`;
}

export function processLabel(sample: Sample): string {
  return `pid ${sample.pid} · ${truncate(sample.command, 40)}`;
}

/** Lines per process (keyed by pid and start time, so a reused pid is another line), largest peaks first. */
export function processLines(samples: Iterable<Sample>, maxLines: number): { lines: NamedSeries[]; hidden: number } {
  const byProcess = new Map<string, { label: string; points: PointColumns; peak: number }>();
  for (const sample of samples) {
    const key = processKey(sample);
    let line = byProcess.get(key);
    if (!line) {
      line = { label: processLabel(sample), points: new PointColumns(), peak: -Infinity };
      byProcess.set(key, line);
    }
    line.points.push(sample.elapsedMs, sample.rssBytes);
    if (sample.rssBytes !== null && sample.rssBytes > line.peak) line.peak = sample.rssBytes;
  }
  const ranked = [...byProcess.values()].sort((a, b) => b.peak - a.peak);
  const lines = ranked.slice(0, maxLines).map((line) => ({ label: line.label, points: line.points.sortByX() }));
  return { lines, hidden: ranked.length - lines.length };
}

/** Task ends to mark on a time axis, every `step`-th one when there are more than `cap`. */
export function taskEndMarks(tasks: Rows<TaskRecord>, cap: number): { marks: number[]; step: number } {
  const step = Math.max(1, Math.ceil(endedTaskCount(tasks) / cap));
  const marks: number[] = [];
  let ended = 0;
  for (const task of tasks) {
    if (task.endMs === null) continue;
    ended++;
    if (ended % step === 0) marks.push(task.endMs);
  }
  return { marks, step };
}

export interface Column {
  from: number;
  to: number;
  label: string;
}

/** `count` equal slices of [min, max], labelled with `format`. */
export function evenColumns(min: number, max: number, count: number, format: (x: number) => string): Column[] {
  const width = (max - min) / count;
  return Array.from({ length: count }, (_, i) => {
    const from = min + i * width;
    const to = i === count - 1 ? max : from + width;
    return { from, to, label: `${format(from)} – ${format(to)}` };
  });
}

/** One column per task number when they fit, else runs of whole task numbers. */
export function taskColumns(first: number, last: number, maxColumns: number): Column[] {
  const perColumn = Math.max(1, Math.ceil((last - first + 1) / maxColumns));
  const columns: Column[] = [];
  for (let start = first; start <= last; start += perColumn) {
    const end = Math.min(last, start + perColumn - 1);
    const label = start === end ? `task ${start}` : `tasks ${start}–${end}`;
    columns.push({ from: Math.max(first, start - 0.5), to: Math.min(last, end + 0.5), label });
  }
  return columns;
}

/** Binary search over contiguous columns; -1 outside them. */
export function columnIndex(columns: readonly Column[], x: number): number {
  let low = 0;
  let high = columns.length - 1;
  if (high < 0 || x < columns[0]!.from || x > columns[high]!.to) return -1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (columns[mid]!.from <= x) low = mid;
    else high = mid - 1;
  }
  return low;
}
