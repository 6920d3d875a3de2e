// The memory chart of one run: tree RSS over time, one line per process, task ends marked. A
// recording in order (every one leakhunt writes) is drawn in two passes that hold nothing per
// sample (memory-scan.ts); one out of order is held whole and sorted first.
import type { MemoryLimit, Rows, SampleRows, TaskRecord } from '../model.js';
import { formatBytes } from '../units.js';
import { countText } from './html-format.js';
import { renderFigure } from './html-chart-figure.js';
import { evenColumns, processLines, taskEndMarks, treeRssPoints, type Column, type NamedSeries } from './html-series.js';
import { scanMemory, streamMemorySeries, treeLineLabel, type MemoryScan } from './memory-scan.js';
import type { ReducedSeries } from './series-reducer.js';
import { bytesAxis, timeAxis, type Axis } from './svg-ticks.js';

/** Process lines beyond the largest few turn the chart into noise; the process table lists them all. */
const MAX_PROCESS_LINES = 8;
/** Task-end marks beyond this many merge into a grey band; every n-th task is marked instead. */
const MAX_TASK_MARKS = 200;
/** Hover slices (and data-table rows): fine enough to find a spike, few enough to keep the file small. */
const HOVER_COLUMNS = 100;
/** Show the limit line when it sits within this factor of the peak; further away it would flatten the curves. */
const LIMIT_IN_VIEW = 1.5;

export function extent(series: readonly NamedSeries[], axis: 'x' | 'y'): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const { points } of series) {
    for (let i = 0; i < points.length; i++) {
      const value = axis === 'x' ? points.x(i) : points.y(i);
      if (value === null || !Number.isFinite(value)) continue;
      if (value < low) low = value;
      if (value > high) high = value;
    }
  }
  return low <= high ? [low, high] : [0, 0];
}

/** A memory axis that also holds the limit line when the limit is near enough to matter. */
export function memoryAxis(series: readonly NamedSeries[], limit: MemoryLimit | null): { y: Axis; limit?: { value: number; label: string } } {
  return memoryAxisOver(extent(series, 'y'), limit);
}

function memoryAxisOver([low, high]: [number, number], limit: MemoryLimit | null): { y: Axis; limit?: { value: number; label: string } } {
  if (limit && high > 0 && limit.bytes <= high * LIMIT_IN_VIEW) {
    return { y: bytesAxis(Math.min(low, limit.bytes), Math.max(high, limit.bytes)), limit: { value: limit.bytes, label: `limit ${formatBytes(limit.bytes)}` } };
  }
  return { y: bytesAxis(low, high) };
}

/** What the chart draws, and what it must know of it before drawing. */
interface ChartPlan {
  x: [number, number];
  y: [number, number];
  snapshots: number;
  /** Process lines drawn beside the tree (none when one process is the whole tree). */
  lines: string[];
  /** Processes not drawn. */
  hidden: number;
  series(x: Axis, columns: Column[]): (NamedSeries | ReducedSeries)[];
}

/** `samples` carry the charted figure in rssBytes (series/metric.ts samplesAs); `label` names it. */
export function memoryFigure(samples: SampleRows, tasks: Rows<TaskRecord>, limit: MemoryLimit | null, label = 'RSS'): string {
  if (samples.length === 0) return '<p class="muted">No samples were recorded, so there is no chart.</p>';
  const treeLabel = treeLineLabel(label);
  const scan = scanMemory(samples);
  const plan = scan.ordered ? streamedPlan(samples, scan, treeLabel) : heldPlan(samples, treeLabel);
  const x = timeAxis(Math.min(0, plan.x[0]), plan.x[1]);
  const { y, limit: limitLine } = memoryAxisOver(plan.y, limit);
  const { marks, step } = taskEndMarks(tasks, MAX_TASK_MARKS);
  const columns = evenColumns(x.min, x.max, Math.max(1, Math.min(HOVER_COLUMNS, plan.snapshots)), x.format);
  const notes = [];
  if (plan.hidden > 0) notes.push(`+ ${countText(plan.hidden)} smaller processes not drawn (see Processes)`);
  else if (plan.lines.length === 0) notes.push(`one process: ${scan.ranked[0]!.label}`);
  return renderFigure({
    id: 'chart-memory',
    title: 'Memory over time',
    caption: `${label} of the worker’s process tree; hover for exact values.`,
    xTitle: 'elapsed time',
    yTitle: label,
    x,
    y,
    series: plan.series(x, columns),
    emphasiseFirst: true,
    columns,
    columnTitle: 'Elapsed',
    formatValue: formatBytes,
    markers: marks,
    markerLabel: step > 1 ? `task end (1 in ${countText(step)} marked)` : 'task end',
    limit: limitLine,
    legendNotes: notes,
  });
}

/** One process is the whole tree: a second line on top of the first would only hide it. */
function drawsProcessLines(shown: readonly unknown[], hidden: number): boolean {
  return shown.length > 1 || hidden > 0;
}

/** Recording order (every run leakhunt records): each series reduced as the samples stream past. */
function streamedPlan(samples: SampleRows, scan: MemoryScan, treeLabel: string): ChartPlan {
  const shown = scan.ranked.slice(0, MAX_PROCESS_LINES);
  const hidden = scan.ranked.length - shown.length;
  const lines = drawsProcessLines(shown, hidden) ? shown : [];
  const drawn = [scan.tree, ...lines];
  return {
    x: [Math.min(...drawn.map((e) => e.xMin)), Math.max(...drawn.map((e) => e.xMax))],
    y: [Math.min(...drawn.map((e) => e.yMin)), Math.max(...drawn.map((e) => e.yMax))],
    snapshots: scan.snapshots,
    lines: lines.map((line) => line.label),
    hidden,
    series: (x, columns) => streamMemorySeries(samples, lines, x, columns, treeLabel),
  };
}

/** Rows out of order (a hand-edited or merged file): the series held whole and sorted. */
function heldPlan(samples: SampleRows, treeLabel: string): ChartPlan {
  const tree: NamedSeries = { label: treeLabel, points: treeRssPoints(samples) };
  const { lines, hidden } = processLines(samples, MAX_PROCESS_LINES);
  const series = drawsProcessLines(lines, hidden) ? [tree, ...lines] : [tree];
  return {
    x: extent(series, 'x'),
    y: extent(series, 'y'),
    snapshots: tree.points.length,
    lines: series.slice(1).map((line) => line.label),
    hidden,
    series: () => series,
  };
}
