// From recorded samples to chart series: the tree total per snapshot, one line per process,
// task-end marks, and per-column peaks for tooltips and the chart's data table.
import type { Rows, Sample, TaskRecord } from '../model.js';
import { endedTaskCount } from './series.js';
import { truncate } from './html-escape.js';
import type { Point } from './svg-downsample.js';

export interface NamedSeries {
  label: string;
  points: Point[];
}

/** Tree RSS per snapshot: the sum over every process alive at that sample; null when none could be read. */
export function treeRssPoints(samples: Iterable<Sample>, offsetMs = 0): Point[] {
  const bySeq = new Map<number, { x: number; sum: number; read: boolean }>();
  for (const sample of samples) {
    let snapshot = bySeq.get(sample.seq);
    if (!snapshot) {
      snapshot = { x: sample.elapsedMs - offsetMs, sum: 0, read: false };
      bySeq.set(sample.seq, snapshot);
    }
    if (sample.rssBytes !== null) {
      snapshot.sum += sample.rssBytes;
      snapshot.read = true;
    }
  }
  const points = [...bySeq.values()].map((s) => ({ x: s.x, y: s.read ? s.sum : null }));
  return sortedByX(points);
}

/** Lines per process (keyed by pid and start time, so a reused pid is another line), largest peaks first. */
export function processLines(samples: Iterable<Sample>, maxLines: number): { lines: NamedSeries[]; hidden: number } {
  const byProcess = new Map<string, { label: string; points: Point[]; peak: number }>();
  for (const sample of samples) {
    const key = `${sample.pid}:${sample.startTime}`;
    let line = byProcess.get(key);
    if (!line) {
      line = { label: `pid ${sample.pid} · ${truncate(sample.command, 40)}`, points: [], peak: -Infinity };
      byProcess.set(key, line);
    }
    line.points.push({ x: sample.elapsedMs, y: sample.rssBytes });
    if (sample.rssBytes !== null && sample.rssBytes > line.peak) line.peak = sample.rssBytes;
  }
  const ranked = [...byProcess.values()].sort((a, b) => b.peak - a.peak);
  const lines = ranked.slice(0, maxLines).map((line) => ({ label: line.label, points: sortedByX(line.points) }));
  return { lines, hidden: ranked.length - lines.length };
}

function sortedByX(points: Point[]): Point[] {
  for (let i = 1; i < points.length; i++) {
    if (points[i]!.x < points[i - 1]!.x) return points.sort((a, b) => a.x - b.x);
  }
  return points;
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

/** For each column and series, the highest reading inside it (null when the series has none there). */
export function columnPeaks(series: readonly NamedSeries[], columns: readonly Column[]): (number | null)[][] {
  const peaks = columns.map(() => series.map((): number | null => null));
  series.forEach((line, seriesIndex) => {
    for (const point of line.points) {
      if (point.y === null) continue;
      const column = columnIndex(columns, point.x);
      if (column < 0) continue;
      const row = peaks[column]!;
      const current = row[seriesIndex] ?? null;
      if (current === null || point.y > current) row[seriesIndex] = point.y;
    }
  });
  return peaks;
}

/** Binary search over contiguous columns; -1 outside them. */
function columnIndex(columns: readonly Column[], x: number): number {
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
