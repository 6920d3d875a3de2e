// Growth that comes with the first runs of task types: imports, per-type caches and registries
// that a worker keeps once a type has run. Such a worker grows for as long as new types keep
// arriving, which in production (many task types, rare ones among them) can be all day.
import type { NewTypesFigures } from '../model.js';
import { median } from './stats.js';

/**
 * New types still arrive late in the run when its last quarter sees at least half the window's
 * pace of first runs (and at least two of them): arrivals that merely slowed, as a
 * coupon collector's do, still count; a worker whose types have all been seen does not.
 */
export const STEADY_ARRIVAL_RATIO = 0.5;
const MIN_LATE_ARRIVALS = 2;
/**
 * A run has clearly grown when its lower envelope ends at least 10% above where it started: the
 * seed's worker grew 50% in 100 tasks, and at 10% no warm-up wobble or page rounding is in doubt.
 * Then a short run is judged, not called `insufficient`.
 */
export const CLEAR_GROWTH_SHARE = 0.1;

/** How many first runs lie at or before `position` (firstRuns sorted ascending). */
export function typesSeenAt(firstRuns: ArrayLike<number>, position: number): number {
  let low = 0;
  let high = firstRuns.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (firstRuns[middle]! <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}

const countBetween = (firstRuns: ArrayLike<number>, from: number, to: number): number => typesSeenAt(firstRuns, to) - typesSeenAt(firstRuns, from);

/**
 * The figures of the new-types explanation, from the run's points (task numbers and memory) and
 * the task numbers of first runs. `windowStart` is the index of the window's first point.
 * Changes are read between consecutive tasks only, so a decimated series' gaps count for neither.
 */
export function newTypesFigures(positions: ArrayLike<number>, values: ArrayLike<number>, firstRuns: ArrayLike<number>, windowStart: number): NewTypesFigures {
  const n = values.length;
  const firsts = new Set<number>();
  for (let i = 0; i < firstRuns.length; i++) firsts.add(firstRuns[i]!);
  let atFirstRuns = 0;
  let total = 0;
  const repeats: number[] = [];
  for (let i = 1; i < n; i++) {
    if (positions[i]! - positions[i - 1]! !== 1) continue;
    const change = values[i]! - values[i - 1]!;
    total += change;
    if (firsts.has(positions[i]!)) atFirstRuns += change;
    else if (i >= windowStart) repeats.push(change);
  }
  const first = positions[0]!;
  const last = positions[n - 1]!;
  const windowFrom = positions[Math.min(windowStart, n - 1)]!;
  const lateFrom = first + 0.75 * (last - first);
  const windowPace = countBetween(firstRuns, windowFrom - 1, last) / Math.max(1, last - windowFrom + 1);
  const lateArrivals = countBetween(firstRuns, lateFrom, last);
  const latePace = lateArrivals / Math.max(1, last - lateFrom);
  const lateArrivalRatio = windowPace > 0 ? latePace / windowPace : 0;
  return {
    typesSeen: typesSeenAt(firstRuns, last),
    firstRunShare: total > 0 ? Math.min(1, Math.max(0, atFirstRuns / total)) : 0,
    bytesPerRepeat: repeats.length > 0 ? median(repeats) : 0,
    lateArrivalRatio,
    stillArriving: lateArrivals >= MIN_LATE_ARRIVALS && lateArrivalRatio >= STEADY_ARRIVAL_RATIO,
    lastNewTypeAt: firstRuns.length > 0 ? firstRuns[firstRuns.length - 1]! : first,
  };
}
