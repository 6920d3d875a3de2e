// Order statistics for repeated timings: the bench reports medians (robust to the odd slow run
// on a shared machine) and a high quantile where the tail matters.

/** The q-quantile (0..1) by linear interpolation between the closest ranks; NaN for no data. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Half the interquartile range relative to the median: how far apart repeated runs were. */
export function relativeSpread(values: readonly number[]): number {
  return (quantile(values, 0.75) - quantile(values, 0.25)) / 2 / median(values);
}

/** Milliseconds on the monotonic clock, which every process of the machine shares on Linux. */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Runs fn and returns how long it took in milliseconds. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const start = monotonicMs();
  await fn();
  return monotonicMs() - start;
}

/** A number with a few significant digits, for tables: 0.0123 → "0.0123", 1234.5 → "1,235". */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toString();
}

/** "+1.2%" / "-0.4%". */
export const pct = (ratio: number): string => `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`;

/** A share of a whole, unsigned: 0.038 → "3.8%". */
export const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;

export const mib = (bytes: number): string => `${fmt(bytes / 1024 / 1024)} MiB`;
