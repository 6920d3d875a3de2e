// The timing of the interval samples in a samples CSV: how many, their mean spacing, and the
// drift (how much later than due the last third of the ticks are, against the first third).
// Shared by the interval test and the soak.
import type { CsvRow } from './support.js';

export interface TickTiming {
  ticks: number;
  meanIntervalMs: number;
  /** Mean lateness of the last third of the ticks minus that of the first third, in ms. */
  driftMs: number;
  /** The largest gap between two ticks, in ms. */
  maxGapMs: number;
}

export function tickTiming(rows: CsvRow[], intervalMs: number): TickTiming {
  // One time per tick (a tick has one row per process).
  const times = [...new Map(rows.filter((r) => r.event === 'tick').map((r) => [r.seq, Number(r.elapsed_ms)])).values()];
  const first = times[0]!;
  const lateness = times.map((ms, k) => ms - (first + k * intervalMs));
  const third = Math.max(1, Math.floor(times.length / 3));
  const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
  const round = (value: number): number => Math.round(value * 100) / 100;
  return {
    ticks: times.length,
    meanIntervalMs: round((times.at(-1)! - first) / (times.length - 1)),
    driftMs: round(mean(lateness.slice(-third)) - mean(lateness.slice(0, third))),
    maxGapMs: round(Math.max(...times.slice(1).map((ms, i) => ms - times[i]!))),
  };
}
