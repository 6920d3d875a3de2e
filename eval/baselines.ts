// The two naive detectors leakhunt must beat. Each takes the per-task series so far and says
// whether it reads as a leak.
import { leastSquares } from '../src/detect/stats.js';

export interface Baseline {
  name: string;
  isLeak(values: readonly number[]): boolean;
}

const indices = (count: number, from = 0): number[] => Array.from({ length: count }, (_, i) => from + i);

/** mprof `plot -s`: least-squares slope over the whole run; "> 0 might mean a memory leak". */
export const mprofSlope: Baseline = {
  name: 'mprof slope > 0',
  isLeak: (values) => values.length >= 2 && leastSquares(indices(values.length), values).slope > 0,
};

/** Centred moving average, the trend a seasonal decomposition would extract. */
function movingAverage(values: readonly number[], width: number): number[] {
  const half = Math.floor(width / 2);
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= width) sum -= values[i - width]!;
    if (i >= width - 1) out.push(sum / width);
  }
  return out.length > 0 ? out : [...values].slice(half, half + 1);
}

/**
 * LBR-style (Jindal et al.): tail windows grown backwards from 20% of the run to all of it, in
 * 10% steps; the trend is a 25-point moving average; a leak when any window's linear fit has
 * R² ≥ 0.8 and a positive slope.
 */
export const rSquaredSlope: Baseline = {
  name: 'R² ≥ 0.8 and slope > 0',
  isLeak(values) {
    if (values.length < 30) return false;
    for (let share = 0.2; share <= 1.0001; share += 0.1) {
      const tail = values.slice(values.length - Math.floor(share * values.length));
      const trend = movingAverage(tail, Math.min(25, tail.length));
      if (trend.length < 3) continue;
      const fit = leastSquares(indices(trend.length), trend);
      if (fit.rSquared >= 0.8 && fit.slope > 0) return true;
    }
    return false;
  },
};

export const BASELINES: Baseline[] = [mprofSlope, rSquaredSlope];
