// A line chart as inline SVG, written by hand so the report needs no chart library and no
// network: gridlines and labelled ticks, min/max-downsampled polylines, task-end marks, an
// optional limit line, and hover columns whose <title> gives exact values.
import { escapeHtml } from './html-escape.js';
import type { Axis } from './svg-ticks.js';
import type { DefinedPoint } from './svg-downsample.js';

export interface ChartSeries {
  label: string;
  /** Index into the report palette (CSS classes s0..s9). */
  colorIndex: number;
  /** The line's unbroken runs, already reduced to at most 2 points per pixel column (CHART_BUCKETS). */
  segments: DefinedPoint[][];
  /** The series the verdict reads (tree total): drawn thicker. */
  emphasis?: boolean;
}

/** A band of the x axis that shows `text` as a tooltip when hovered. */
export interface HoverColumn {
  from: number;
  to: number;
  text: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  xTitle: string;
  yTitle: string;
  x: Axis;
  y: Axis;
  series: ChartSeries[];
  /** x positions of task ends, already capped by the caller. */
  markers?: number[];
  limit?: { value: number; label: string };
  hover?: HoverColumn[];
}

const WIDTH = 960;
const HEIGHT = 340;
const MARGIN = { left: 80, right: 18, top: 26, bottom: 42 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
/** One bucket of a reduced series per pixel column of the plot. */
export const CHART_BUCKETS = PLOT_W;
/** Full-height rules for task ends only while they stay sparse; beyond that they would grey the plot. */
const MAX_TASK_RULES = 60;
/** Dots on every point only while points are far enough apart to tell apart. */
const MAX_DOTTED_POINTS = 80;

const round = (value: number): number => Math.round(value * 10) / 10;

function scaler(axis: Axis, from: number, to: number): (value: number) => number {
  const span = axis.max - axis.min || 1;
  return (value) => round(from + ((value - axis.min) / span) * (to - from));
}

export function renderChart(spec: ChartSpec): string {
  const sx = scaler(spec.x, MARGIN.left, MARGIN.left + PLOT_W);
  const sy = scaler(spec.y, MARGIN.top + PLOT_H, MARGIN.top);
  const parts = [
    `<svg class="chart" id="${escapeHtml(spec.id)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(spec.title)}" preserveAspectRatio="xMidYMid meet">`,
    `<title>${escapeHtml(spec.title)}</title>`,
    gridAndAxes(spec, sx, sy),
    taskMarkers(spec.markers ?? [], sx),
    limitLine(spec, sy),
    ...spec.series.map((series) => seriesPaths(series, sx, sy)),
    hoverColumns(spec.hover ?? [], sx),
    '</svg>',
  ];
  return parts.filter(Boolean).join('\n');
}

function gridAndAxes(spec: ChartSpec, sx: (v: number) => number, sy: (v: number) => number): string {
  const bottom = MARGIN.top + PLOT_H;
  const right = MARGIN.left + PLOT_W;
  const yTicks = spec.y.ticks.map((tick) => {
    const y = sy(tick);
    return `<line class="grid" x1="${MARGIN.left}" x2="${right}" y1="${y}" y2="${y}"/><text class="tick" x="${MARGIN.left - 8}" y="${y}" dy="0.32em" text-anchor="end">${escapeHtml(spec.y.format(tick))}</text>`;
  });
  const xTicks = spec.x.ticks.map((tick) => {
    const x = sx(tick);
    // Keep the first and last labels inside the frame instead of spilling past it.
    const anchor = x > right - 24 ? 'end' : x < MARGIN.left + 24 ? 'start' : 'middle';
    return `<line class="axis" x1="${x}" x2="${x}" y1="${bottom}" y2="${bottom + 5}"/><text class="tick" x="${x}" y="${bottom + 19}" text-anchor="${anchor}">${escapeHtml(spec.x.format(tick))}</text>`;
  });
  return [
    ...yTicks,
    `<line class="axis" x1="${MARGIN.left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>`,
    ...xTicks,
    `<text class="axis-title" x="${MARGIN.left}" y="${MARGIN.top - 10}" text-anchor="start">${escapeHtml(spec.yTitle)}</text>`,
    `<text class="axis-title" x="${right}" y="${HEIGHT - 4}" text-anchor="end">${escapeHtml(spec.xTitle)}</text>`,
  ].join('\n');
}

function taskMarkers(markers: number[], sx: (v: number) => number): string {
  if (markers.length === 0) return '';
  const bottom = MARGIN.top + PLOT_H;
  const full = markers.length <= MAX_TASK_RULES;
  const lines = markers.map((marker) => {
    const x = sx(marker);
    return full
      ? `<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${bottom}"/>`
      : `<line x1="${x}" x2="${x}" y1="${bottom - 7}" y2="${bottom}"/>`;
  });
  return `<g class="task-ends${full ? ' rules' : ''}">${lines.join('')}</g>`;
}

function limitLine(spec: ChartSpec, sy: (v: number) => number): string {
  const limit = spec.limit;
  if (!limit || limit.value < spec.y.min || limit.value > spec.y.max) return '';
  const y = sy(limit.value);
  const right = MARGIN.left + PLOT_W;
  return `<g class="limit"><line x1="${MARGIN.left}" x2="${right}" y1="${y}" y2="${y}"/><text x="${right - 4}" y="${y - 5}" text-anchor="end">${escapeHtml(limit.label)}</text></g>`;
}

function seriesPaths(series: ChartSeries, sx: (v: number) => number, sy: (v: number) => number): string {
  const { segments } = series;
  const polylines = segments.map((segment) => {
    const coords = segment.map((point) => `${sx(point.x)},${sy(point.y)}`).join(' ');
    // A lone point has no line to draw; a dot keeps it visible.
    return segment.length === 1
      ? `<circle cx="${sx(segment[0]!.x)}" cy="${sy(segment[0]!.y)}" r="2.5"/>`
      : `<polyline points="${coords}"/>`;
  });
  const total = segments.reduce((sum, segment) => sum + segment.length, 0);
  const dots =
    total > 1 && total <= MAX_DOTTED_POINTS
      ? segments.flat().map((point) => `<circle cx="${sx(point.x)}" cy="${sy(point.y)}" r="2.5"/>`)
      : [];
  const classes = `series s${series.colorIndex % 10}${series.emphasis ? ' emphasis' : ''}`;
  return `<g class="${classes}" data-label="${escapeHtml(series.label)}">${[...polylines, ...dots].join('')}</g>`;
}

function hoverColumns(columns: HoverColumn[], sx: (v: number) => number): string {
  if (columns.length === 0) return '';
  const rects = columns.map((column) => {
    const x = sx(column.from);
    const width = Math.max(1, round(sx(column.to) - x));
    return `<rect x="${x}" y="${MARGIN.top}" width="${width}" height="${PLOT_H}"><title>${escapeHtml(column.text)}</title></rect>`;
  });
  return `<g class="hover">${rects.join('')}</g>`;
}
