// The verdict on one series: leak, suspect, stable or insufficient, with the reason and the numbers.
import type { Explanation, VerdictStatus } from '../model.js';
import { describe, pointWord, unitOf, type SeriesData, type SeriesVerdict } from './series-verdict.js';
import { gcPeriod } from './envelope.js';
import { CLOSE_BIC, MATERIAL_SHARE, explainGrowth, type Explained } from './explain.js';
import { firstRunRises } from './first-run-rises.js';
import { judgeNewTypes } from './new-types-verdict.js';
import { typesSeenAt } from './new-types.js';
import { heldStep, heldStepReason } from './held-step.js';
import { shortRunShortfall } from './short-run.js';
import { median, normalQuantile } from './stats.js';
import { HOUR_MS, type Settings } from './thresholds.js';
import { formatDelta } from '../units.js';
import { analyseTrend, type Trend } from './trend.js';
import { mannKendall } from './mann-kendall.js';
import type { SeriesKind } from './types.js';

/** z-score of the fall in slope from the first half of the window to the second (from their intervals). */
function halvesSlowdownZ(trend: Trend, halfConfidence: number): number {
  const z = normalQuantile(1 - (1 - halfConfidence) / 2);
  const [first, second] = trend.halves;
  const error = Math.hypot(first.ci[1] - first.ci[0], second.ci[1] - second.ci[0]) / (2 * z);
  return error > 0 ? (first.slope - second.slope) / error : 0;
}

/** The top of the slope's interval, per task or (time series) per hour. */
function hiddenRate(perPoint: number, unit: 'task' | 'ms'): string {
  return unit === 'task' ? `${formatDelta(perPoint)}/task` : `${formatDelta(perPoint * HOUR_MS)}/h`;
}

/** A run whose largest plausible growth stays under 1% of the memory it holds reads stable. */
const STABLE_BOUND_SHARE = 0.01;

/**
 * The top of the growth rate the window allows. Under a GC sawtooth the troughs wander with where
 * each collection falls while the peaks before collections often hold to the page; a leak raises
 * both. When the peaks show no trend either, the tighter of the two intervals bounds the growth.
 */
function plausibleTopRate(trend: Trend, stableP: number): { rate: number; byPeaks: boolean } {
  const peaks = trend.peaks;
  if (!peaks || peaks.mannKendall.pValue < stableP || peaks.sen.ci[1] >= trend.sen.ci[1]) return { rate: trend.sen.ci[1], byPeaks: false };
  return { rate: peaks.sen.ci[1], byPeaks: true };
}

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

/**
 * A slowdown counts only when it is large enough to matter, as well as significant: extrapolated
 * (the rate falling by the same factor over each further stretch of the same length), the growth
 * still to come must be spent within HORIZON_RUNS lengths of the run so far. A cache filling with
 * τ = 300 tasks, seen over its first 100 (heap, halves 25 tasks apart, rate −9%), is spent within
 * 3 run lengths; a leak rounded to pages whose halves differ by 0.3% (100 tasks apart in a
 * 400-task run) would take 80 run lengths: a leak for any practical purpose, however "significant"
 * its near-noiseless z-score makes that 0.3%.
 */
export const HORIZON_RUNS = 10;

export function materialSlowdown(ratio: number, spacing: number, runLength: number): boolean {
  return ratio < 1 && spacing / (1 - ratio) <= HORIZON_RUNS * runLength;
}

/** The window's explanations; a flat envelope over a raw series with a period of drops is a GC sawtooth. */
function explainWindow(data: SeriesData, trend: Trend, level: number, period: number, runLength: number): Explained | null {
  const { positions: x, values: y } = trend.envelope;
  const typesSeen = data.firstRuns && data.kind !== 'time' ? x.map((p) => typesSeenAt(data.firstRuns!, p)) : null;
  const explained = explainGrowth({ x, y, level, typesSeen, slowestBend: HORIZON_RUNS * runLength });
  if (explained?.best.kind === 'flat' && period > 0) explained.best = { ...explained.best, kind: 'gc-sawtooth', sawtooth: { period } };
  return explained;
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
  // The GC period is read in the window only: drops in a warm-up (a pool priming, a first big
  // collection) are no period of the settled worker, and blocks sized for them leave too few.
  const period = gcPeriod(data.values.subarray(start));
  const trend = analyseTrend(data.positions.subarray(start), data.values.subarray(start), {
    confidence: settings.confidence,
    halfConfidence: t.halfConfidence,
    gcPeriod: period,
  });
  const level = median(data.values.subarray(start));
  const explained = explainWindow(data, trend, level, period, data.positions[n - 1]! - data.positions[0]! + 1);
  const explanation = explained?.best ?? null;
  // Rises that land on first runs far more often than first runs occur (first-run-rises.ts) are
  // the new types' to explain, however unevenly sized: strong evidence (≥ CLOSE_BIC) of material
  // growth (≥ 1% of the memory held) makes new task types the explanation even where lumps fit
  // one or two level shifts best.
  const rises = data.firstRuns && data.kind !== 'time' ? firstRunRises(data.positions, data.values, data.firstRuns, start) : null;
  const followsFirstRuns = rises !== null && rises.deltaBic >= CLOSE_BIC && rises.bytesAtFirstRuns >= MATERIAL_SHARE * level ? rises : null;
  const asTypes = explanation?.kind === 'new-task-types' ? explanation : followsFirstRuns ? (explained?.as('new-task-types') ?? null) : null;
  if (asTypes) return judgeNewTypes(data, trend, asTypes, { start, shortRun: n < t.fullEvidencePoints[data.kind], rises: followsFirstRuns });
  // A shape that stops the rise (a cap's bend, a level shift) overrules a steady rise only when
  // it fits strongly better than the best per-run-leak fit (BIC lower by ≥ CLOSE_BIC): when the
  // two are close the data cannot tell them apart, and the growth tests below decide.
  const stronglyBetter = (kind: Explanation['kind']): boolean => explained !== null && explained.advantage(kind, 'per-run-leak') >= CLOSE_BIC;
  const minSlope = data.kind === 'time' ? settings.minBytesPerMs : settings.minBytesPerTask;
  const shortRun = n < t.fullEvidencePoints[data.kind];
  const verdict = (status: VerdictStatus, reason: string): SeriesVerdict => describe(data, trend, status, reason, explanation);

  const growing = trendPValue(trend) < t.leakP && trend.sen.ci[0] > minSlope;
  const [first, second] = trend.halves;
  const [firstP, secondP] = halfPValues(trend);
  const bothHalvesGrow = firstP < t.halfP && secondP < t.halfP && first.slope > minSlope && second.slope > minSlope;
  // Slowing down: a warm-up tail or a cache nearing its cap. A cap fits strongly better than a
  // steady rise, or the second half grows much slower than the first, or (material and
  // significant) slower where warm-ups are short (heap), or the slope still falls at the end of
  // the window by a material amount (saturation.ts).
  const runLength = data.positions[n - 1]! - data.positions[0]! + 1;
  const span = trend.to - trend.from;
  const materialHalves = first.slope > 0 && materialSlowdown(second.slope / first.slope, span / 2, runLength);
  const slowing =
    stronglyBetter('filling-to-cap') ||
    second.slope < t.sustainedRatio[data.kind] * first.slope ||
    (materialHalves && halvesSlowdownZ(trend, t.halfConfidence) > t.halvesSlowdownZ[data.kind]) ||
    (materialSlowdown(trend.lateSlowdownRatio, span / 4, runLength) && trend.lateSlowdownZ > t.saturationZ);
  // A noisy second half can match the first by chance: its interval's low end must not fall far below.
  const sustained = !slowing && second.ci[0] >= t.sustainedLowRatio * first.slope;
  const stepLike = stronglyBetter('step');

  if (growing && bothHalvesGrow && sustained && !stepLike) {
    const run = { positions: data.positions, values: data.values, windowLength: n - start, words: pointWord(data.kind) };
    const shortfall = shortRun ? shortRunShortfall(run, trend, t) : null;
    const asLeak = explained?.as('per-run-leak') ?? explanation;
    if (shortfall === null) return describe(data, trend, 'leak', 'per-run leak (sustained growth)', asLeak);
    return describe(data, trend, 'insufficient', shortfall, asLeak);
  }
  // A step strongly better than a steady rise, whose new level held: stable, however short the
  // run (held-step.ts). A level still moving after its step falls through to the rules below.
  const asStep = stepLike ? explained?.as('step') : null;
  const held = asStep?.steps ? heldStep({ envelope: trend.envelope, steps: asStep.steps, level, from: trend.from, to: trend.to, minSlope, leakP: t.leakP }) : null;
  if (held) return describe(data, trend, 'stable', heldStepReason(held, unit), asStep);
  if (trend.sen.ci[1] < minSlope) return verdict('stable', 'no growth');
  // No significant trend and a slope below the minimum: stable, however short the run (a short
  // run's caution is against calling a warm-up a leak, not against calling flat memory flat).
  // Also when even the top of the slope's interval, over the whole run, would add less than
  // STABLE_BOUND_SHARE of the memory held: whatever trend hides in the noise is too small to matter.
  const top = plausibleTopRate(trend, t.stableP);
  const boundedGrowth = top.rate * (data.positions[n - 1]! - data.positions[0]!) < STABLE_BOUND_SHARE * level;
  // Or when the window's lower envelope stays within that share of the memory held: flat, even
  // if a small shift makes the trend test significant (fresh processes differ by a few pages).
  const envelope = trend.envelope.values;
  const flat = Math.max(...envelope) - Math.min(...envelope) < STABLE_BOUND_SHARE * level;
  if (flat && !growing) return verdict('stable', 'flat within 1% of the memory held');
  if (trend.mannKendall.pValue >= t.stableP && (trend.sen.slope <= minSlope || boundedGrowth)) {
    const base = shortRun ? `no significant growth over ${n} ${pointWord(data.kind)}` : 'no significant growth';
    // The figures shown are the troughs' (wide); say what bounded the growth instead.
    const byPeaks = trend.sen.slope > minSlope && top.byPeaks;
    if (!byPeaks) return verdict('stable', base);
    // The troughs' wander can fit a small bend or shift best; with the peaks level and flat close
    // behind (< CLOSE_BIC), the story is the sawtooth's.
    const flatClose = explained !== null && explained.advantage(explained.best.kind, 'flat') < CLOSE_BIC;
    const story = flatClose ? { ...explained!.as('flat')!, kind: 'gc-sawtooth' as const, sawtooth: { period } } : explanation;
    return describe(data, trend, 'stable', `${base}; the peaks before each collection hold level (at most ${hiddenRate(top.rate, unit)})`, story);
  }
  // No significant trend, and noise too wide to bound one: nothing here points to growth, so it
  // is not `suspect` (which `--fail-on suspect` fails a build on), however long the run. A GC
  // sawtooth whose troughs wander by 7% of the memory held reads so until the run is long enough
  // to bound it. The reason says how much growth the noise could still hide.
  if (trend.mannKendall.pValue >= t.stableP) return verdict('insufficient', `no significant growth, but the noise could hide up to ${hiddenRate(trend.sen.ci[1], unit)}`);
  let reason = 'noisy';
  if (stepLike && trend.mannKendall.pValue < t.stableP) reason = 'step';
  else if (growing && slowing) reason = explanation?.kind === 'filling-to-cap' ? 'decelerating (filling to a cap)' : 'decelerating';
  else if (growing) reason = 'growth not sustained';
  if (shortRun) return verdict('insufficient', `too few ${pointWord(data.kind)} to tell (${reason})`);
  return verdict('suspect', reason);
}
