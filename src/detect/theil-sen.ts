// Theil-Sen slope: the median of all pairwise slopes, robust to spikes and steps in a few points.
import { median, normalQuantile } from './stats.js';

export interface SenSlope {
  slope: number;
  /** median(y − slope·x), so the line passes through the middle of the data. */
  intercept: number;
  /** Rank confidence interval of the slope; equal to [slope, slope] when it cannot be formed. */
  ci: [number, number];
  /** Number of pairwise slopes (pairs with distinct x). */
  pairs: number;
}

/** All pairwise slopes (y_j − y_i)/(x_j − x_i) over pairs with x_j ≠ x_i, sorted ascending. */
export function pairwiseSlopes(x: readonly number[], y: readonly number[]): Float64Array {
  const n = Math.min(x.length, y.length);
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[j]! - x[i]!;
      if (dx !== 0) slopes[count++] = (y[j]! - y[i]!) / dx;
    }
  }
  return slopes.subarray(0, count).sort();
}

function sortedMedian(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const middle = n >> 1;
  return n % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Slope with the rank confidence interval of Gilbert (1987, §16.5): with C = z_{1−α/2}·√Var S
 * and N pairwise slopes, the bounds are the round((N − C)/2)-th and round((N + C)/2 + 1)-th
 * smallest slopes (1-based). `varianceS` is the Mann-Kendall variance of the same points,
 * already inflated for serial correlation, so the interval widens when the points are not
 * independent.
 */
export function theilSen(
  x: readonly number[],
  y: readonly number[],
  varianceS: number,
  confidence = 0.95,
): SenSlope {
  const slopes = pairwiseSlopes(x, y);
  const slope = sortedMedian(slopes);
  const intercept = median(y.map((value, i) => value - slope * x[i]!));
  const pairs = slopes.length;
  if (pairs === 0) return { slope, intercept, ci: [slope, slope], pairs };
  const c = normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt(Math.max(0, varianceS));
  const lowerRank = Math.min(pairs, Math.max(1, Math.round((pairs - c) / 2)));
  const upperRank = Math.min(pairs, Math.max(1, Math.round((pairs + c) / 2 + 1)));
  return { slope, intercept, ci: [slopes[lowerRank - 1]!, slopes[upperRank - 1]!], pairs };
}

/** Only the slope, for the cheaper checks that need no interval. */
export function senSlope(x: readonly number[], y: readonly number[]): number {
  return sortedMedian(pairwiseSlopes(x, y));
}
