// The timing of the interval samples in a samples CSV: how many, their mean spacing, and the
// drift: how much later than due the ticks fall as the run goes on, over the whole run. Drift is
// the Theil-Sen slope of each tick's lateness against its due time (the median of every pair's
// slope), times the run's length: load spikes delay single ticks at random and move the median
// little, while a sampler that sleeps after each sample falls behind by its read time at every
// tick, which every pair's slope shows. (The least late tick of each third of the run, used
// before, rested on two single ticks, and a busy second core could delay every tick of a third.)
// Shared by the interval test and the soak.
import { senSlope } from '../../src/detect/theil-sen.js';
import type { CsvRow } from './support.js';

export interface TickTiming {
  ticks: number;
  meanIntervalMs: number;
  /** How much later than due the ticks fell from the run's first tick to its last, in ms (robust slope × span). */
  driftMs: number;
  /** The largest gap between two ticks, in ms. */
  maxGapMs: number;
}

export function tickTiming(rows: CsvRow[], intervalMs: number): TickTiming {
  // One time per tick (a tick has one row per process).
  const times = [...new Map(rows.filter((r) => r.event === 'tick').map((r) => [r.seq, Number(r.elapsed_ms)])).values()];
  const first = times[0]!;
  // Each tick's due time is the nearest slot of the schedule: a tick skipped because it fell a
  // whole interval behind must not shift the slots of every tick after it.
  const due = times.map((ms) => first + Math.round((ms - first) / intervalMs) * intervalMs);
  const lateness = times.map((ms, k) => ms - due[k]!);
  const round = (value: number): number => Math.round(value * 100) / 100;
  return {
    ticks: times.length,
    // From the second tick: the first one also waits for leakhunt's own start-up (module
    // loading, the first /proc scan), 20–80 ms on a loaded machine, which is not the interval.
    meanIntervalMs: round((times.at(-1)! - times[1]!) / (times.length - 2)),
    driftMs: round(senSlope(due, lateness) * (due.at(-1)! - due[0]!)),
    maxGapMs: round(Math.max(...times.slice(1).map((ms, i) => ms - times[i]!))),
  };
}
