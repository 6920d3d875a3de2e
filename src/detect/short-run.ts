// The extra evidence a short run needs before it may say `leak`. Over a few dozen tasks a warm-up
// still in progress, or the rising edge of a GC sawtooth, grows as steadily as a leak; only a
// leak that is large against both the noise and the warm-up can be called that early.
import { chooseBlockSize, lowerEnvelope } from './envelope.js';
import { mannKendallVariance } from './mann-kendall.js';
import { maxDrawdown, robustSigma } from './stats.js';
import { senSlope, theilSen } from './theil-sen.js';
import type { Thresholds } from './types.js';
import type { Trend } from './trend.js';

export interface ShortRun {
  positions: ArrayLike<number>;
  values: ArrayLike<number>;
  /** How many of the last points form the analysed window. */
  windowLength: number;
  /** 'tasks' or 'samples', for the reasons. */
  words: string;
}

/** Theil-Sen slope of envelope points [from, to) with its interval at `confidence`. */
function halfSlope(trend: Trend['envelope'], from: number, to: number | undefined, confidence: number) {
  const values = trend.values.slice(from, to);
  return theilSen(trend.positions.slice(from, to), values, mannKendallVariance(values), confidence);
}

/**
 * The two halves of the window grow at the same pace beyond doubt: the low end of the second
 * half's interval reaches shortWindowRatio of the top of the first half's. Only a steady growth
 * far above the noise passes, so a big leak behind a big warm-up need not wait for the whole
 * run to look steady.
 */
function windowSteady(trend: Trend, t: Thresholds): boolean {
  const middle = Math.floor(trend.envelope.values.length / 2);
  const first = halfSlope(trend.envelope, 0, middle, t.shortWindowConfidence);
  const second = halfSlope(trend.envelope, middle, undefined, t.shortWindowConfidence);
  return second.ci[0] >= t.shortWindowRatio * first.ci[1];
}

/** The run's second half grows at least shortRunRatio as fast as its first (low end of its interval). */
function runSteady(run: ShortRun, t: Thresholds): boolean {
  const whole = lowerEnvelope(run.positions, run.values, chooseBlockSize(run.values.length));
  const middle = Math.floor(whole.values.length / 2);
  const early = senSlope(whole.positions.slice(0, middle), whole.values.slice(0, middle));
  return halfSlope(whole, middle, undefined, t.halfConfidence).ci[0] >= t.shortRunRatio * early;
}

/** null when a short run's growth is strong enough for `leak`, else the reason it is not (yet). */
export function shortRunShortfall(run: ShortRun, trend: Trend, t: Thresholds): string | null {
  const n = run.values.length;
  if (n < t.minLeakPoints) return `growing, but ${n} ${run.words} are too few to tell a leak from warm-up (need ${t.minLeakPoints})`;
  // Noise: robust σ of the raw window around the trend, so noise, sawtooth and spikes all count.
  const start = n - run.windowLength;
  const { slope, intercept } = trend.sen;
  const residuals: number[] = [];
  for (let i = start; i < n; i++) residuals.push(run.values[i]! - intercept - slope * run.positions[i]!);
  const noise = robustSigma(residuals);
  const growth = slope * (trend.to - trend.from);
  if (growth < t.shortGrowthOverNoise * noise) {
    // The window is half the run, so the run must be (G·noise / growth) times longer.
    const needed = Math.ceil((n * t.shortGrowthOverNoise * noise) / Math.max(growth, 1));
    return `growing, but not yet clear of the noise; about ${needed} ${run.words} would tell`;
  }
  const runGrowth = slope * (run.positions[n - 1]! - run.positions[0]!);
  if (maxDrawdown(run.values) > t.shortDrawdownShare * runGrowth) {
    return 'growing, but memory also dropped (GC?); a longer run would tell';
  }
  if (!runSteady(run, t) && !windowSteady(trend, t)) return 'growing but slowing down (warm-up?); a longer run would tell';
  return null;
}
