// A comparison of modes (in-process, isolated, recycle:N, fork): the table that says which mode
// holds memory flat and what it costs, memory held after each task per mode, and each mode's
// tree RSS over time.
import { metricLabel, samplesAs, treeAfterBytes, treeMetric } from '../series/metric.js';
import type { ModeResult, RunResult, TaskRecord } from '../model.js';
import { formatBytes, formatDelta, formatDuration } from '../units.js';
import { escapeHtml } from './html-escape.js';
import { badge, countText } from './html-format.js';
import { renderFigure } from './html-chart-figure.js';
import { extent, memoryAxis } from './html-memory.js';
import { evenColumns, taskColumns, treeRssPoints, type NamedSeries } from './html-series.js';
import { PointColumns } from './point-columns.js';
import { attributionTable, processesTable, section, tasksTable } from './html-sections.js';
import { renderTable, type Row } from './html-table.js';
import { countAxis, timeAxis } from './svg-ticks.js';

/** Hover slices (and data-table rows) per chart. */
const HOVER_COLUMNS = 100;

/** Memory the workload holds after a task: the whole tree when known, else the process that ran it. */
const heldAfter = (task: TaskRecord): number | null => treeAfterBytes(task) ?? task.rssAfterBytes;

function modesTable(modes: readonly ModeResult[]): string {
  const failures = modes.some((mode) => mode.failure);
  const rows: Row[] = modes.map((mode) => [
    mode.mode,
    { html: `${badge(mode.verdict.status)}<br><span class="muted">${escapeHtml(mode.verdict.reason)}</span>` },
    formatDelta(mode.verdict.bytesPerTask), formatBytes(mode.baselineBytes), formatBytes(mode.finalBytes),
    formatBytes(mode.peakTreeRssBytes), formatDuration(mode.msPerTask), formatDuration(mode.wallMs),
    ...(failures ? [mode.failure ?? null] : []),
  ]);
  const columns = [
    { label: 'Mode' }, { label: 'Verdict' }, { label: 'Growth per task', numeric: true },
    { label: 'Held after first task', numeric: true }, { label: 'Held after last task', numeric: true },
    { label: 'Peak tree RSS', numeric: true }, { label: 'Time per task', numeric: true }, { label: 'Wall time', numeric: true },
    ...(failures ? [{ label: 'Failure' }] : []),
  ];
  return renderTable(columns, rows, 'modes');
}

function heldFigure(modes: readonly ModeResult[], result: RunResult): string {
  const series: NamedSeries[] = modes.map((mode) => {
    const points = new PointColumns();
    let taskNumber = 0;
    for (const task of mode.tasks) points.push(++taskNumber, heldAfter(task));
    return { label: mode.mode, points };
  });
  const lastTask = Math.max(1, ...modes.map((mode) => mode.tasks.length));
  const x = countAxis(1, lastTask);
  const { y, limit } = memoryAxis(series, result.verdict.limit);
  return renderFigure({
    id: 'chart-modes-held', title: 'Memory held after each task', caption: 'one line per mode; flat is what isolation should buy.',
    xTitle: 'task number', yTitle: 'held after task', x, y, series,
    columns: taskColumns(1, lastTask, HOVER_COLUMNS), columnTitle: 'Task', formatValue: formatBytes, limit,
  });
}

function treeFigure(modes: readonly ModeResult[], result: RunResult): string {
  const metric = treeMetric(result.metric);
  const series: NamedSeries[] = modes.map((mode) => {
    // Each mode ran at its own time: align them all to their own start.
    let start = Infinity;
    for (const sample of mode.samples) start = Math.min(start, sample.elapsedMs);
    return { label: mode.mode, points: treeRssPoints(samplesAs(mode.samples, metric), Number.isFinite(start) ? start : 0) };
  });
  const [, xMax] = extent(series, 'x');
  const x = timeAxis(0, xMax);
  const { y, limit } = memoryAxis(series, result.verdict.limit);
  return renderFigure({
    id: 'chart-modes-tree', title: `Tree ${metricLabel(metric)} over time, per mode`, caption: 'each mode from its own start.',
    xTitle: 'elapsed time since the mode started', yTitle: metricLabel(metric), x, y, series,
    columns: evenColumns(x.min, x.max, HOVER_COLUMNS, x.format), columnTitle: 'Elapsed', formatValue: formatBytes, limit,
  });
}

function subsection(title: string, part: { table: string; note: string }): string {
  return `<h3>${escapeHtml(title)}</h3>${part.note ? `<p class="note">${escapeHtml(part.note)}</p>` : ''}${part.table}`;
}

function modeDetails(mode: ModeResult): string {
  const summary = `${escapeHtml(mode.mode)}: ${badge(mode.verdict.status)} ${escapeHtml(`${countText(mode.tasks.length)} tasks, ${countText(mode.processes.length)} processes`)}`;
  return `<details class="mode"><summary>${summary}</summary>
${mode.tasks.length ? subsection('Tasks', tasksTable(mode.tasks)) : ''}
${mode.attribution.length ? subsection('Growth by task type', attributionTable(mode.attribution)) : ''}
${mode.processes.length ? subsection('Processes', processesTable(mode.processes)) : ''}
</details>`;
}

export function comparisonSections(result: RunResult): string {
  const modes = result.modes ?? [];
  // Every mode keeps its place (and so its colour) in both charts, even one without samples.
  const anySamples = modes.some((mode) => mode.samples.length > 0);
  return [
    section('modes', 'Modes compared', modesTable(modes)),
    section('charts', 'Memory', [heldFigure(modes, result), anySamples ? treeFigure(modes, result) : ''].join('\n')),
    section('mode-details', 'Each mode in detail', modes.map(modeDetails).join('\n')),
  ].join('\n');
}
