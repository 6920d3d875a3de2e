// The memory chart of a long run in two passes over its samples, which may be spilled to disk:
// the first learns what the chart must know before it draws (the axes' extents, the processes
// ranked by peak), the second reduces each drawn series as the samples stream past. Nothing
// per sample is held, so a day at 1 s costs the report no more memory than an hour.
// The second pass needs the rows in recording order: a snapshot's rows together, snapshots in
// order, time never going back for the tree or any process. Every recording leakhunt writes is;
// the scan says when one is not, and the caller then sorts it held whole.
import type { Sample, SampleRows } from '../model.js';
import { processKey, processLabel, SnapshotSum, type Column } from './html-series.js';
import { SeriesReducer, type ReducedSeries } from './series-reducer.js';
import type { Axis } from './svg-ticks.js';

/** The lowest and highest x and y (readings only) of a series. */
export interface Extents {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export interface ProcessScan extends Extents {
  key: string;
  label: string;
  /** -Infinity when no reading of it was made. */
  peak: number;
}

export interface MemoryScan {
  /** True when the rows come in recording order, so that streamMemorySeries may be used. */
  ordered: boolean;
  /** Snapshots of the tree: points of its series. */
  snapshots: number;
  tree: Extents;
  /** Every process, largest peak first (ties in order of appearance). */
  ranked: ProcessScan[];
}

export const TREE_LABEL = treeLineLabel('RSS');

/** "tree RSS (all processes)": the tree's line, named by the figure drawn. */
export function treeLineLabel(metricLabel: string): string {
  return `tree ${metricLabel} (all processes)`;
}

function emptyExtents(): Extents {
  return { xMin: Infinity, xMax: -Infinity, yMin: Infinity, yMax: -Infinity };
}

function widen(extents: Extents, x: number, y: number | null): void {
  if (x < extents.xMin) extents.xMin = x;
  if (x > extents.xMax) extents.xMax = x;
  if (y === null || !Number.isFinite(y)) return;
  if (y < extents.yMin) extents.yMin = y;
  if (y > extents.yMax) extents.yMax = y;
}

export function scanMemory(samples: Iterable<Sample>): MemoryScan {
  const tree = emptyExtents();
  const processes = new Map<string, ProcessScan>();
  let ordered = true;
  let snapshots = 0;
  let lastSeq = -Infinity;
  let lastTreeX = -Infinity;
  const snapshot = new SnapshotSum();
  const onSnapshot = (x: number, y: number | null, seq: number): void => {
    snapshots++;
    if (seq <= lastSeq || x < lastTreeX) ordered = false;
    lastSeq = seq;
    lastTreeX = x;
    widen(tree, x, y);
  };
  for (const sample of samples) {
    snapshot.add(sample, onSnapshot);
    const key = processKey(sample);
    let line = processes.get(key);
    if (!line) {
      line = { key, label: processLabel(sample), peak: -Infinity, ...emptyExtents() };
      processes.set(key, line);
    } else if (sample.elapsedMs < line.xMax) {
      ordered = false;
    }
    widen(line, sample.elapsedMs, sample.rssBytes);
    if (sample.rssBytes !== null && sample.rssBytes > line.peak) line.peak = sample.rssBytes;
  }
  snapshot.flush(onSnapshot);
  const ranked = [...processes.values()].sort((a, b) => b.peak - a.peak);
  return { ordered, snapshots, tree, ranked };
}

/**
 * The second pass: the tree and the given processes (by key, in the order given), each reduced
 * against the chart's x axis and hover columns. Only for a scan that found the rows `ordered`.
 */
export function streamMemorySeries(samples: SampleRows, lines: readonly ProcessScan[], x: Axis, columns: readonly Column[], treeLabel = TREE_LABEL): ReducedSeries[] {
  const tree = new SeriesReducer(treeLabel, x, columns);
  const reducers = new Map(lines.map((line) => [line.key, new SeriesReducer(line.label, x, columns)]));
  const snapshot = new SnapshotSum();
  const onSnapshot = (px: number, py: number | null): void => tree.push(px, py);
  for (const sample of samples) {
    snapshot.add(sample, onSnapshot);
    if (reducers.size > 0) reducers.get(processKey(sample))?.push(sample.elapsedMs, sample.rssBytes);
  }
  snapshot.flush(onSnapshot);
  return [tree.finish(), ...[...reducers.values()].map((reducer) => reducer.finish())];
}
