// A chart as a figure: the SVG, an HTML legend that wraps instead of overlapping, and the exact
// values behind it (tooltips per column, and the same numbers as a table).
import { escapeHtml } from './html-escape.js';
import { renderTable, type Row } from './html-table.js';
import type { Column, NamedSeries } from './html-series.js';
import { reduceSeries, type ReducedSeries } from './series-reducer.js';
import { renderChart, type ChartSpec, type HoverColumn } from './svg-chart.js';
import type { Axis } from './svg-ticks.js';

export interface FigureSpec {
  id: string;
  title: string;
  caption: string;
  xTitle: string;
  yTitle: string;
  x: Axis;
  y: Axis;
  /**
   * Held whole, or already reduced against `x` and `columns` while the samples streamed past.
   * The first series is the emphasised one when `emphasiseFirst`.
   */
  series: (NamedSeries | ReducedSeries)[];
  emphasiseFirst?: boolean;
  columns: Column[];
  /** Header of the data table's first column ("Elapsed", "Task"). */
  columnTitle: string;
  formatValue: (value: number) => string;
  markers?: number[];
  markerLabel?: string;
  limit?: { value: number; label: string };
  /** Extra legend lines (series not drawn). */
  legendNotes?: string[];
}

export function renderFigure(spec: FigureSpec): string {
  const series = spec.series.map((s) => ('segments' in s ? s : reduceSeries(s, spec.x, spec.columns)));
  const hover: HoverColumn[] = spec.columns.map((column, i) => ({
    from: column.from,
    to: column.to,
    text: [`${column.label} (highest reading)`, ...series.flatMap((s) => {
      const value = s.peaks[i];
      return value === null || value === undefined ? [] : [`${s.label}: ${spec.formatValue(value)}`];
    })].join('\n'),
  }));
  const chart: ChartSpec = {
    id: spec.id, title: spec.title, xTitle: spec.xTitle, yTitle: spec.yTitle, x: spec.x, y: spec.y,
    series: series.map((s, i) => ({ label: s.label, segments: s.segments, colorIndex: i, emphasis: spec.emphasiseFirst && i === 0 })),
    markers: spec.markers, limit: spec.limit, hover,
  };
  const legend = series.map(
    (s, i) => `<li><span class="swatch s${i % 10}${spec.emphasiseFirst && i === 0 ? ' emphasis' : ''}"></span>${escapeHtml(s.label)}</li>`,
  );
  if (spec.markers?.length && spec.markerLabel) legend.push(`<li><span class="swatch task-end"></span>${escapeHtml(spec.markerLabel)}</li>`);
  if (spec.limit) legend.push(`<li><span class="swatch limit"></span>${escapeHtml(spec.limit.label)}</li>`);
  for (const note of spec.legendNotes ?? []) legend.push(`<li class="muted">${escapeHtml(note)}</li>`);

  const rows: Row[] = spec.columns.map((column, i) => [
    column.label,
    ...series.map((s) => {
      const value = s.peaks[i]!;
      return value === null ? null : spec.formatValue(value);
    }),
  ]);
  const table = renderTable(
    [{ label: spec.columnTitle }, ...series.map((s) => ({ label: s.label, numeric: true }))],
    rows,
    'chart-data',
  );
  return `<figure class="chart-figure" aria-labelledby="${escapeHtml(spec.id)}-caption">
<figcaption id="${escapeHtml(spec.id)}-caption"><strong>${escapeHtml(spec.title)}</strong> <span class="muted">${escapeHtml(spec.caption)}</span></figcaption>
${renderChart(chart)}
<ul class="legend">${legend.join('')}</ul>
<details class="chart-values"><summary>Values behind this chart (highest reading per slice)</summary>${table}</details>
</figure>`;
}
