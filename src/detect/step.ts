// Step test: is the growth better explained by one or two jumps between flat levels than by a
// steady slope? Heap fragmentation and allocator arenas add memory in a few large steps that
// then stay flat; a leak adds memory all the time.
import { leastSquares } from './stats.js';

export interface StepFit {
  /** true when one or two level shifts explain the points better than a line (by BIC). */
  stepLike: boolean;
  /** Positions where the level shifts in the best step model (empty when a line wins). */
  changes: number[];
}

/** Each flat level must span at least this many points, so one odd point is not a "step". */
const MIN_SEGMENT = 2;

/**
 * BIC of a fit of k points with this SSE (floored) and number of parameters. A module function,
 * not a closure in fitStep: a closure is new at each call and V8 holds its optimised code only
 * weakly, so each of leakhunt's periodic full collections made it compile again.
 */
function bic(k: number, sse: number, floor: number, parameters: number): number {
  return k * Math.log(Math.max(sse, floor) / k) + parameters * Math.log(k);
}

function segmentCost(sum: Float64Array, sumSquares: Float64Array, from: number, to: number): number {
  const count = to - from;
  const total = sum[to]! - sum[from]!;
  return sumSquares[to]! - sumSquares[from]! - (total * total) / count;
}

/**
 * Compares, by the Bayesian information criterion k·ln(SSE/k) + p·ln(k), a line (2 parameters)
 * with piecewise-constant fits with one change (3 parameters) or two changes (5 parameters).
 * BIC charges each extra parameter ln(k), so noise alone rarely buys a step; a staircase of
 * three or more regular steps (a leak quantised in arenas) fits a line better than two jumps.
 */
export function fitStep(positions: readonly number[], values: readonly number[]): StepFit {
  const k = values.length;
  if (k < 2 * MIN_SEGMENT + 1) return { stepLike: false, changes: [] };
  const offset = values[0]!;
  const sum = new Float64Array(k + 1);
  const sumSquares = new Float64Array(k + 1);
  for (let i = 0; i < k; i++) {
    const value = values[i]! - offset;
    sum[i + 1] = sum[i]! + value;
    sumSquares[i + 1] = sumSquares[i]! + value * value;
  }
  // A floor on SSE so a perfect fit (synthetic data) does not take ln(0).
  const floor = 1e-9 * (1 + sumSquares[k]!);
  const line = bic(k, leastSquares(positions, values).sse, floor, 2);
  let bestStep = Infinity;
  let changes: number[] = [];
  for (let c = MIN_SEGMENT; c <= k - MIN_SEGMENT; c++) {
    const score = bic(k, segmentCost(sum, sumSquares, 0, c) + segmentCost(sum, sumSquares, c, k), floor, 3);
    if (score < bestStep) [bestStep, changes] = [score, [c]];
  }
  for (let c1 = MIN_SEGMENT; c1 <= k - 2 * MIN_SEGMENT; c1++) {
    const head = segmentCost(sum, sumSquares, 0, c1);
    for (let c2 = c1 + MIN_SEGMENT; c2 <= k - MIN_SEGMENT; c2++) {
      const sse = head + segmentCost(sum, sumSquares, c1, c2) + segmentCost(sum, sumSquares, c2, k);
      const score = bic(k, sse, floor, 5);
      if (score < bestStep) [bestStep, changes] = [score, [c1, c2]];
    }
  }
  if (bestStep >= line) return { stepLike: false, changes: [] };
  return { stepLike: true, changes: changes.map((index) => positions[index]!) };
}
