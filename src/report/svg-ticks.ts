// Axis ticks at values people read without effort: 1-2-5 steps, byte steps in binary units
// (as formatBytes prints them), time steps on the clock (15 s, 1 min, 6 h).
import { formatBytes, formatDuration } from '../units.js';

export interface Axis {
  min: number;
  max: number;
  ticks: number[];
  format: (value: number) => string;
}

/** About this many ticks per axis: enough to read a value, few enough that labels never touch. */
const TARGET_TICKS = 6;

/** The smallest 1-2-5 × 10^n step that gives at most `TARGET_TICKS` intervals over `span`. */
export function niceStep(span: number, factors: number[] = [1, 2, 2.5, 5, 10]): number {
  if (!(span > 0)) return 1;
  const raw = span / TARGET_TICKS;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of factors) {
    if (factor * power >= raw) return factor * power;
  }
  return 10 * power;
}

function ticksFor(min: number, max: number, step: number): number[] {
  const ticks: number[] = [];
  const first = Math.ceil(min / step - 1e-9) * step;
  for (let value = first; value <= max + step * 1e-9; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

/** Widens [min, max] to whole steps so the data never touches the frame. */
function niceRange(min: number, max: number, step: number): [number, number] {
  return [Math.floor(min / step + 1e-9) * step, Math.ceil(max / step - 1e-9) * step];
}

const BYTE_UNITS = [1, 1024, 1024 ** 2, 1024 ** 3, 1024 ** 4];
const BYTE_NAMES = ['B', 'KB', 'MB', 'GB', 'TB'];

/** A memory axis: starts at 0 unless the data sits high above it (then growth would look flat). */
export function bytesAxis(dataMin: number, dataMax: number): Axis {
  // Below a quarter of the peak, showing the zero line costs little and keeps proportions honest.
  let low = dataMin < dataMax * 0.25 ? 0 : dataMin;
  let high = dataMax;
  if (!(high > low)) {
    const pad = Math.max(Math.abs(high) * 0.1, 1024 * 1024);
    low = Math.max(0, low - pad);
    high += pad;
  }
  let unitIndex = 0;
  while (unitIndex < BYTE_UNITS.length - 1 && high >= BYTE_UNITS[unitIndex + 1]!) unitIndex++;
  const unit = BYTE_UNITS[unitIndex]!;
  const step = niceStep((high - low) / unit) * unit;
  const [min, max] = niceRange(low, high, step);
  const decimals = Math.max(0, -Math.floor(Math.log10(step / unit) + 1e-9));
  const format = (value: number): string => {
    if (decimals === 0) return formatBytes(value).replace('.0 ', ' ');
    if (decimals === 1) return formatBytes(value);
    return `${(value / unit).toFixed(decimals)} ${BYTE_NAMES[unitIndex]}`;
  };
  return { min, max, ticks: ticksFor(min, max, step), format };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const CLOCK_STEPS = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR,
];

/** An elapsed-time axis from `dataMin` ms: milliseconds in 1-2-5 steps, then clock-face steps. */
export function timeAxis(dataMin: number, dataMax: number): Axis {
  const low = Math.max(0, dataMin);
  const high = dataMax > low ? dataMax : low + SECOND;
  const span = high - low;
  // Clock steps are coarse (15 s, then 30 s), so allow one interval more than the target before moving up.
  let step = span / TARGET_TICKS < SECOND ? niceStep(span) : CLOCK_STEPS.find((s) => span / s <= TARGET_TICKS + 1);
  step ??= Math.ceil(span / TARGET_TICKS / (24 * HOUR)) * 24 * HOUR;
  const format = (value: number): string => (value === 0 ? '0' : formatDuration(value));
  return { min: low, max: high, ticks: ticksFor(low, high, step), format };
}

/** A task-number axis: whole numbers only. */
export function countAxis(dataMin: number, dataMax: number): Axis {
  const high = dataMax > dataMin ? dataMax : dataMin + 1;
  // No 2.5 steps here: task 2.5 does not exist.
  const step = Math.max(1, niceStep(high - dataMin, [1, 2, 5, 10]));
  const format = (value: number): string => value.toLocaleString('en-US');
  return { min: dataMin, max: high, ticks: ticksFor(dataMin, high, step), format };
}
