// The timing of the interval samples in a samples CSV: how many, their mean spacing, and the
// drift: how much later than due the last third of the ticks are, against the first third.
// Each third is represented by its least late tick: load spikes only ever delay a tick, so the
// least late one shows the schedule itself, while a sampler that sleeps after each sample falls
// behind by its read time at every tick, its least late ticks included.
// Shared by the interval test and the soak.
import type { CsvRow } from './support.js';

export interface TickTiming {
  ticks: number;
  meanIntervalMs: number;
  /** Least lateness in the last third of the ticks minus that in the first third, in ms. */
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
  const round = (value: number): number => Math.round(value * 100) / 100;
  return {
    ticks: times.length,
    // From the second tick: the first one also waits for leakhunt's own start-up (module
    // loading, the first /proc scan), 20–80 ms on a loaded machine, which is not the interval.
    meanIntervalMs: round((times.at(-1)! - times[1]!) / (times.length - 2)),
    driftMs: round(Math.min(...lateness.slice(-third)) - Math.min(...lateness.slice(0, third))),
    maxGapMs: round(Math.max(...times.slice(1).map((ms, i) => ms - times[i]!))),
  };
}
