// Text charts of memory (asciichart), with byte units on the y axis and a caption for the x axis.
import asciichart from 'asciichart';

/** Ten rows read at a glance and leave the rest of the summary on screen; asciichart needs a
 * height anyway (without one it draws one row per unit of range: millions for bytes). */
export const CHART_HEIGHT = 10;
/** Wider than 70 columns a chart stops fitting beside a split pane or a CI log gutter. */
export const MAX_CHART_COLUMNS = 70;
/** y labels are padded to the widest label ("1023.99 MB"), so the axis stays straight. */
const LABEL_WIDTH = 10;
/** asciichart's offset: the label fills cell 0, the axis cell 1, data starts after. */
const AXIS_OFFSET = 2;

/** Fits a series into columns buckets, keeping the largest value of each (peaks must stay visible). */
export function downsampleMax(values: readonly number[], columns: number): number[] {
  if (values.length <= columns) return [...values];
  const out: number[] = [];
  for (let bucket = 0; bucket < columns; bucket++) {
    const from = Math.floor((bucket * values.length) / columns);
    const to = Math.floor(((bucket + 1) * values.length) / columns);
    let max = -Infinity;
    for (let i = from; i < to; i++) max = Math.max(max, values[i]!);
    out.push(max);
  }
  return out;
}

const UNITS: Array<[number, string]> = [[1024 ** 4, 'TB'], [1024 ** 3, 'GB'], [1024 ** 2, 'MB'], [1024, 'KB'], [1, 'B']];

/**
 * Labels for a y axis from min to max: one unit for the whole axis (the largest value's), with
 * as many decimals (0 to 2) as it takes for rows CHART_HEIGHT apart to read differently.
 */
export function axisLabel(min: number, max: number): (value: number) => string {
  const [divisor, unit] = UNITS.find(([size]) => Math.max(Math.abs(min), Math.abs(max)) >= size) ?? [1, 'B'];
  const step = (max - min) / CHART_HEIGHT / divisor;
  const decimals = divisor === 1 ? 0 : step >= 1 ? 1 : step > 0 ? Math.min(2, Math.ceil(-Math.log10(step)) + 1) : 1;
  return (value) => `${(value / divisor).toFixed(decimals)} ${unit}`;
}

/** How many data columns fit in a terminal of `width` next to the y labels. */
export function chartColumns(width: number | undefined): number {
  const available = (width ?? 80) - LABEL_WIDTH - AXIS_OFFSET - 1;
  return Math.max(10, Math.min(MAX_CHART_COLUMNS, available));
}

export interface ChartOptions {
  /** Terminal width; the plot takes at most 70 columns of it. */
  width?: number;
  /** ANSI colour per series (Style.seriesColor); none without colour. */
  colors?: Array<string | undefined>;
  /** The x axis, e.g. "elapsed: 0s … 1m33s", printed under the plot. */
  caption: string;
}

/**
 * Plots one or more series of bytes. Series longer than the plot are downsampled to the same
 * buckets (by the longest series) so points of different series stay aligned. Returns '' when
 * there is nothing to draw.
 */
export function plotBytes(series: ReadonlyArray<readonly number[]>, options: ChartOptions): string {
  const clean = series.map((values) => values.filter((v) => Number.isFinite(v))).filter((values) => values.length > 0);
  if (clean.length === 0) return '';
  const columns = chartColumns(options.width);
  const longest = Math.max(...clean.map((values) => values.length));
  const scaled = clean.map((values) => {
    if (longest <= columns) return [...values];
    // Same bucket boundaries for every series: bucket count scaled to the series' share of the longest.
    const buckets = Math.max(1, Math.round((values.length / longest) * columns));
    return downsampleMax(values, buckets);
  });
  // A single point draws nothing; repeat it so a flat line shows.
  const drawable = scaled.map((values) => (values.length === 1 ? [values[0]!, values[0]!] : values));
  let min = Infinity;
  let max = -Infinity;
  for (const values of drawable) for (const v of values) [min, max] = [Math.min(min, v), Math.max(max, v)];
  const label = axisLabel(min, max);
  const plot = asciichart.plot(drawable, {
    height: CHART_HEIGHT,
    offset: AXIS_OFFSET,
    format: (value: number) => label(value).padStart(LABEL_WIDTH),
    ...(options.colors && options.colors.some(Boolean) ? { colors: options.colors } : {}),
  });
  // The first value sits on the axis character, right after the label.
  const indent = ' '.repeat(LABEL_WIDTH + 1);
  return `${plot}\n${indent}${options.caption}`;
}
