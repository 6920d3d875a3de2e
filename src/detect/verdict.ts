// The verdict on one series: leak, suspect, stable or insufficient, with the reason and the numbers.
import type { Verdict, VerdictStatus } from '../model.js';
import { gcPeriod } from './envelope.js';
import { shortRunShortfall } from './short-run.js';
import { median, normalQuantile } from './stats.js';
import type { Settings } from './thresholds.js';
import { analyseTrend, type Trend } from './trend.js';
import { mannKendall } from './mann-kendall.js';
import type { SeriesKind } from './types.js';

export interface SeriesData {
  kind: SeriesKind;
  /** Reported as Verdict.series: 'tree-rss', 'heap' or 'process:<pid>'. */
  label: string;
  /**
   * Task number (1, 2, …) or milliseconds. Typed arrays: a 10^6-task run's final verdict holds
   * these two and takes its window as views of them, not copies.
   */
  positions: Float64Array;
  values: Float64Array;
}

export interface SeriesVerdict {
  status: VerdictStatus;
  reason: string;
  label: string;
  unit: 'task' | 'ms';
  /** Bytes per task or per ms, with the interval; null when nothing was estimated. */
  slope: number | null;
  ci: [number, number] | null;
  statistic?: Verdict['statistic'];
  window?: { from: number; to: number; unit: 'task' | 'ms' };
}

const unitOf = (kind: SeriesKind): 'task' | 'ms' => (kind === 'time' ? 'ms' : 'task');
const pointWord = (kind: SeriesKind): string => (kind === 'time' ? 'samples' : 'tasks');

function describe(data: SeriesData, trend: Trend, status: VerdictStatus, reason: string): SeriesVerdict {
  const unit = unitOf(data.kind);
  return {
    status,
    reason,
    label: data.label,
    unit,
    slope: trend.sen.slope,
    ci: trend.sen.ci,
    statistic: {
      mannKendallZ: trend.mannKendall.z,
      pValue: trend.mannKendall.pValue,
      lag1: trend.lag1,
      blocks: trend.envelope.values.length,
      blockSize: trend.envelope.blockSize,
    },
    window: { from: trend.from, to: trend.to, unit },
  };
}

/** z-score of the fall in slope from the first half of the window to the second (from their intervals). */
function halvesSlowdownZ(trend: Trend, halfConfidence: number): number {
  const z = normalQuantile(1 - (1 - halfConfidence) / 2);
  const [first, second] = trend.halves;
  const error = Math.hypot(first.ci[1] - first.ci[0], second.ci[1] - second.ci[0]) / (2 * z);
  return error > 0 ? (first.slope - second.slope) / error : 0;
}

/** A run whose largest plausible growth stays under 1% of the memory it holds reads stable. */
const STABLE_BOUND_SHARE = 0.01;

/** Fewest blocks for which a rise at every block is taken at face value (see trendPValue). */
const MONOTONE_MIN_BLOCKS = 10;

/**
 * The trend's p-value. The serial-correlation correction exists for noise that wanders; a lower
 * envelope that rises at every one of ≥ 10 blocks is not wandering noise, and there the
 * correction (inflated by the uneven pace of real growth: V8 and allocator lumps) only hides a
 * large leak in a short run. Then the uncorrected Mann-Kendall p counts. The other checks
 * (both halves, sustained pace, short-run evidence) still apply.
 */
function risesAtEveryBlock(trend: Trend): boolean {
  const y = trend.envelope.values;
  return y.length >= MONOTONE_MIN_BLOCKS && y.every((v, i) => i === 0 || v > y[i - 1]!);
}

function trendPValue(trend: Trend): number {
  return risesAtEveryBlock(trend) ? Math.min(trend.mannKendall.pValue, mannKendall(trend.envelope.values, 1).pValue) : trend.mannKendall.pValue;
}

/** The halves' p-values, on the same terms as trendPValue (the split is analyseTrend's). */
function halfPValues(trend: Trend): [number, number] {
  const [first, second] = trend.halves;
  if (!risesAtEveryBlock(trend)) return [first.pValue, second.pValue];
  const y = trend.envelope.values;
  const middle = Math.floor(y.length / 2);
  return [Math.min(first.pValue, mannKendall(y.slice(0, middle), 1).pValue), Math.min(second.pValue, mannKendall(y.slice(middle), 1).pValue)];
}

export function judgeSeries(data: SeriesData, settings: Settings): SeriesVerdict {
  const t = settings.thresholds;
  const n = data.values.length;
  const unit = unitOf(data.kind);
  if (n < t.minPoints) {
    const reason = `too few ${pointWord(data.kind)}: ${n}, need at least ${t.minPoints}`;
    return { status: 'insufficient', reason, label: data.label, unit, slope: null, ci: null };
  }
  const start = Math.floor(n * (1 - t.windowFraction));
  const trend = analyseTrend(data.positions.subarray(start), data.values.subarray(start), {
    confidence: settings.confidence,
    halfConfidence: t.halfConfidence,
    gcPeriod: gcPeriod(data.values),
  });
  const minSlope = data.kind === 'time' ? settings.minBytesPerMs : settings.minBytesPerTask;
  const shortRun = n < t.fullEvidencePoints[data.kind];

  const growing = trendPValue(trend) < t.leakP && trend.sen.ci[0] > minSlope;
  const [first, second] = trend.halves;
  const [firstP, secondP] = halfPValues(trend);
  const bothHalvesGrow = firstP < t.halfP && secondP < t.halfP && first.slope > minSlope && second.slope > minSlope;
  // Slowing down: a warm-up tail or a cache nearing its cap. The second half grows much slower
  // than the first, or significantly slower (where warm-ups are short: heap), or the slope still
  // falls at the end of the window (saturation.ts).
  const slowing =
    second.slope < t.sustainedRatio[data.kind] * first.slope ||
    halvesSlowdownZ(trend, t.halfConfidence) > t.halvesSlowdownZ[data.kind] ||
    trend.lateSlowdownZ > t.saturationZ;
  // A noisy second half can match the first by chance: its interval's low end must not fall far below.
  const sustained = !slowing && second.ci[0] >= t.sustainedLowRatio * first.slope;

  if (growing && bothHalvesGrow && sustained && !trend.step.stepLike) {
    const run = { positions: data.positions, values: data.values, windowLength: n - start, words: pointWord(data.kind) };
    const shortfall = shortRun ? shortRunShortfall(run, trend, t) : null;
    if (shortfall === null) return describe(data, trend, 'leak', 'sustained growth');
    return describe(data, trend, 'insufficient', shortfall);
  }
  if (trend.sen.ci[1] < minSlope) return describe(data, trend, 'stable', 'no growth');
  // No significant trend and a slope below the minimum: stable, however short the run (a short
  // run's caution is against calling a warm-up a leak, not against calling flat memory flat).
  // Also when even the top of the slope's interval, over the whole run, would add less than
  // STABLE_BOUND_SHARE of the memory held: whatever trend hides in the noise is too small to matter.
  const level = median(data.values.subarray(start));
  const boundedGrowth = trend.sen.ci[1] * (data.positions[n - 1]! - data.positions[0]!) < STABLE_BOUND_SHARE * level;
  // Or when the window's lower envelope stays within that share of the memory held: flat, even
  // if a small shift makes the trend test significant (fresh processes differ by a few pages).
  const envelope = trend.envelope.values;
  const flat = Math.max(...envelope) - Math.min(...envelope) < STABLE_BOUND_SHARE * level;
  if (flat && !growing) return describe(data, trend, 'stable', 'flat within 1% of the memory held');
  if (trend.mannKendall.pValue >= t.stableP && (trend.sen.slope <= minSlope || boundedGrowth)) {
    return describe(data, trend, 'stable', shortRun ? `no significant growth over ${n} ${pointWord(data.kind)}` : 'no significant growth');
  }
  let reason = 'noisy';
  if (trend.step.stepLike && trend.mannKendall.pValue < t.stableP) reason = 'step';
  else if (growing && slowing) reason = 'decelerating';
  else if (growing) reason = 'growth not sustained';
  if (shortRun) return describe(data, trend, 'insufficient', `too few ${pointWord(data.kind)} to tell (${reason})`);
  return describe(data, trend, 'suspect', reason);
}
