// What a chart keeps of one series: per pixel column its lowest and highest reading (the line),
// and per hover column its highest (the tooltips and the table of values). Readings come one at a
// time, so a day-long run's series are reduced while its samples stream past, never held whole.
import type { Axis } from './svg-ticks.js';
import { CHART_BUCKETS } from './svg-chart.js';
import { MinMaxBuckets, type DefinedPoint } from './svg-downsample.js';
import { columnIndex, type Column, type NamedSeries } from './html-series.js';

export interface ReducedSeries {
  label: string;
  /** Unbroken runs of the line, at most 2 points per pixel column. */
  segments: DefinedPoint[][];
  /** The highest reading per hover column; null where the series has none. */
  peaks: (number | null)[];
}

export class SeriesReducer {
  private readonly line: MinMaxBuckets;
  private readonly peaks: (number | null)[];

  constructor(
    private readonly label: string,
    x: Axis,
    private readonly columns: readonly Column[],
  ) {
    this.line = new MinMaxBuckets(x.min, x.max, CHART_BUCKETS);
    this.peaks = columns.map(() => null);
  }

  /** Readings must come in order of x. */
  push(x: number, y: number | null): void {
    this.line.push(x, y);
    if (y === null) return;
    const column = columnIndex(this.columns, x);
    if (column < 0) return;
    const current = this.peaks[column]!;
    if (current === null || y > current) this.peaks[column] = y;
  }

  finish(): ReducedSeries {
    return { label: this.label, segments: this.line.finish(), peaks: this.peaks };
  }
}

/** A series already held in columns (sorted by x), reduced at once. */
export function reduceSeries(series: NamedSeries, x: Axis, columns: readonly Column[]): ReducedSeries {
  const reducer = new SeriesReducer(series.label, x, columns);
  const { points } = series;
  for (let i = 0; i < points.length; i++) reducer.push(points.x(i), points.y(i));
  return reducer.finish();
}
