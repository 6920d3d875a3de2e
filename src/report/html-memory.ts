// The memory chart of one run: tree RSS over time, one line per process, task ends marked.
import type { MemoryLimit, Rows, SampleRows, TaskRecord } from '../model.js';
import { formatBytes } from '../units.js';
import { countText } from './html-format.js';
import { renderFigure } from './html-chart-figure.js';
import { evenColumns, processLines, taskEndMarks, treeRssPoints, type NamedSeries } from './html-series.js';
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
  const [low, high] = extent(series, 'y');
  if (limit && high > 0 && limit.bytes <= high * LIMIT_IN_VIEW) {
    return { y: bytesAxis(Math.min(low, limit.bytes), Math.max(high, limit.bytes)), limit: { value: limit.bytes, label: `limit ${formatBytes(limit.bytes)}` } };
  }
  return { y: bytesAxis(low, high) };
}

export function memoryFigure(samples: SampleRows, tasks: Rows<TaskRecord>, limit: MemoryLimit | null): string {
  if (samples.length === 0) return '<p class="muted">No samples were recorded, so there is no chart.</p>';
  const tree: NamedSeries = { label: 'tree RSS (all processes)', points: treeRssPoints(samples) };
  const { lines, hidden } = processLines(samples, MAX_PROCESS_LINES);
  // One process is the whole tree: a second line on top of the first would only hide it.
  const series = lines.length > 1 || hidden > 0 ? [tree, ...lines] : [tree];
  const [xMin, xMax] = extent(series, 'x');
  const x = timeAxis(Math.min(0, xMin), xMax);
  const { y, limit: limitLine } = memoryAxis(series, limit);
  const { marks, step } = taskEndMarks(tasks, MAX_TASK_MARKS);
  const columnCount = Math.max(1, Math.min(HOVER_COLUMNS, tree.points.length));
  const notes = [];
  if (lines.length === 1 && hidden === 0) notes.push(`one process: ${lines[0]!.label}`);
  if (hidden > 0) notes.push(`+ ${countText(hidden)} smaller processes not drawn (see Processes)`);
  return renderFigure({
    id: 'chart-memory',
    title: 'Memory over time',
    caption: 'RSS of the worker’s process tree; hover for exact values.',
    xTitle: 'elapsed time',
    yTitle: 'RSS',
    x,
    y,
    series,
    emphasiseFirst: true,
    columns: evenColumns(x.min, x.max, columnCount, x.format),
    columnTitle: 'Elapsed',
    formatValue: formatBytes,
    markers: marks,
    markerLabel: step > 1 ? `task end (1 in ${countText(step)} marked)` : 'task end',
    limit: limitLine,
    legendNotes: notes,
  });
}
