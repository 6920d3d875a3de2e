// Every decision threshold of the detector, with the reason for its value. Values were set with
// the evaluation (npm run eval, EVAL.md), whose generator documents its assumptions.
import type { DetectorOptions, Thresholds } from './types.js';

export const DEFAULT_THRESHOLDS: Thresholds = {
  // Below 20 points not even a flat series can be told from noise: insufficient.
  minPoints: 20,
  // `leak` needs ≥ 50 points (tasks or samples): fewer cannot tell a leak from a warm-up.
  minLeakPoints: 50,
  // Analyse the later half of the run: warm-up (imports, JIT, pools priming) lives in the first.
  windowFraction: 0.5,
  // Mann-Kendall on the window's block minima must reach p < 0.001 for a leak…
  leakP: 1e-3,
  // …and each half of the window must rise on its own at p < 0.05: growth sustained in both
  // halves. Without it, warm-up tails were the main source of false alarms.
  halfP: 0.05,
  // A window without a trend at p ≥ 0.05 and with a slope below the minimum is stable.
  stableP: 0.05,
  // Slowing down: the second half's slope is below 0.65 of the first half's (RSS). RSS warm-ups
  // last up to ~150 tasks, so a leak's window may still hold their tail: only a large fall counts.
  // 0.65 keeps caches filling with τ ≤ 300 tasks from firm alarms (eval: cache-fill) while a
  // 10 KB/task leak behind a 40 MB warm-up is still called within 1,000 tasks.
  sustainedRatio: { 'rss-task': 0.65, 'heap-task': 0.5, time: 0.65 },
  // …or, for the heap after GC, whose warm-up is over after a few dozen tasks, any significant
  // fall (z > 2.33, one-sided 1%): its low noise shows a filling cache's slowdown early.
  halvesSlowdownZ: { 'rss-task': Infinity, 'heap-task': 2.33, time: Infinity },
  // The halves' slope intervals are 80% intervals (used as standard errors, not as tests).
  halfConfidence: 0.8,
  // …and the low end of the second half's interval must reach 0.4 of the first half's slope:
  // a noisy second half can equal the first by chance, rarely with a tight interval.
  sustainedLowRatio: 0.4,
  // …or the slope still falls from the window's third quarter to its fourth with z > 3 (the
  // z-scores of linear leaks run slightly wider than normal; 3 keeps their final recall).
  saturationZ: 3,
  // Runs shorter than this must also pass the short-run evidence rule (short-run.ts). RSS
  // warm-ups last hundreds of tasks; the heap after GC settles once each task type has run.
  fullEvidencePoints: { 'rss-task': 400, 'heap-task': 100, time: 400 },
  // Short run: the second half of the whole run grows at ≥ 0.9 of the first half's rate (the low
  // end of its 80% interval). A warm-up in progress cannot; a leak much larger than it can.
  shortRunRatio: 0.9,
  // …or, within the window, the low end of the second half's 99% interval is ≥ 0.95 of the top of
  // the first half's: a steady growth far above the noise, even behind a large warm-up.
  shortWindowRatio: 0.95,
  shortWindowConfidence: 0.99,
  // Short run: growth over the window ≥ 8× the noise (robust σ of the raw points around the
  // trend), so the evidence scales with effect size against noise, not with a fixed task count.
  shortGrowthOverNoise: 8,
  // Short run: no fall anywhere larger than 10% of the growth — a GC gave memory back, so the
  // rise may be the rising edge of a sawtooth.
  shortDrawdownShare: 0.1,
  // A process is judged on its own when it lived through at least 80% of the run.
  longProcessFraction: 0.8,
};

/** Growth below 256 B per task (a 16th of a page) is not worth calling a leak. */
export const DEFAULT_MIN_BYTES_PER_TASK = 256;
/** Without tasks: growth below 1 MB per hour (24 MB a day) is not worth calling a leak. */
export const DEFAULT_MIN_BYTES_PER_HOUR = 1024 * 1024;
export const HOUR_MS = 3_600_000;

export interface Settings {
  thresholds: Thresholds;
  minBytesPerTask: number;
  /** The same minimum per millisecond, for time series. */
  minBytesPerMs: number;
  confidence: number;
}

export function resolveSettings(options: DetectorOptions = {}): Settings {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  return {
    thresholds,
    minBytesPerTask: options.minBytesPerTask ?? DEFAULT_MIN_BYTES_PER_TASK,
    minBytesPerMs: (options.minBytesPerHour ?? DEFAULT_MIN_BYTES_PER_HOUR) / HOUR_MS,
    confidence: options.confidence ?? 0.95,
  };
}
