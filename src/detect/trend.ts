// The trend of one window: lower envelope → Mann-Kendall (ties, serial correlation) → Theil-Sen
// slope with its interval → the same on each half → step test.
import { chooseBlockSize, lowerEnvelope, upperEnvelope, type Envelope } from './envelope.js';
import { mannKendall, varianceInflation, type MannKendall } from './mann-kendall.js';
import { lateSlowdown } from './saturation.js';
import { fitStep, type StepFit } from './step.js';
import { lag1Autocorrelation, quadraticResiduals } from './stats.js';
import { theilSen, type SenSlope } from './theil-sen.js';

export interface HalfTrend {
  slope: number;
  /** Interval of the half's slope at the confidence given to analyseTrend's `halfConfidence`. */
  ci: [number, number];
  pValue: number;
}

export interface Trend {
  envelope: Envelope;
  mannKendall: MannKendall;
  /** Lag-1 autocorrelation of the envelope around a parabola; it inflates Var S only when significant. */
  lag1: number;
  sen: SenSlope;
  halves: [HalfTrend, HalfTrend];
  /** How significantly the slope still falls from the third quarter to the fourth (saturation.ts). */
  lateSlowdownZ: number;
  /** The fourth quarter's slope over the third's: how large that fall is. */
  lateSlowdownRatio: number;
  step: StepFit;
  /**
   * Under a GC period only: the trend of the block maxima (the peaks before collections). The
   * troughs wander with where each collection falls; the peaks often hold to the page. A leak
   * raises both, so where neither rises the flatter one bounds the growth (verdict.ts).
   */
  peaks: PeakTrend | null;
  /** First and last position of the window. */
  from: number;
  to: number;
}

export interface PeakTrend {
  mannKendall: MannKendall;
  sen: SenSlope;
}

function halfTrend(positions: number[], values: number[], inflation: number, confidence: number): HalfTrend {
  const mk = mannKendall(values, inflation);
  const sen = theilSen(positions, values, mk.varianceS, confidence);
  return { slope: sen.slope, ci: sen.ci, pValue: mk.pValue };
}

export interface TrendOptions {
  /** Confidence level of the window's slope interval. */
  confidence: number;
  /** Confidence level of each half's slope interval (the sustained-growth check). */
  halfConfidence: number;
  /** Spacing of GC drops in points (0: none), so blocks can span whole GC cycles. */
  gcPeriod: number;
}

/**
 * Root mean square of the parabola's residuals (3 fitted parameters). Not a robust σ: block minima
 * are skewed, and a robust σ understates how much a slope through a few of them varies.
 */
function residualRms(residuals: number[]): number {
  const dof = Math.max(1, residuals.length - 3);
  return Math.sqrt(residuals.reduce((sum, r) => sum + r * r, 0) / dof);
}

/**
 * Serial correlation is measured around a parabola, so neither the trend nor the bend of a
 * warm-up tail counts as correlated noise. Like Hamed-Rao, it is used only when significant:
 * r₁ above 1.645/√k (one-sided 5%); below that it is indistinguishable from chance.
 */
function serialCorrelation(x: number[], y: number[]): { lag1: number; inflation: number; rms: number } {
  const residuals = quadraticResiduals(x, y);
  const rms = residualRms(residuals);
  // Memory figures are whole bytes: residuals below a byte are rounding, whose correlation means nothing.
  const lag1 = rms >= 1 ? lag1Autocorrelation(residuals) : 0;
  return { lag1, inflation: lag1 > 1.645 / Math.sqrt(y.length) ? varianceInflation(lag1) : 1, rms };
}

function peakTrend(positions: ArrayLike<number>, values: ArrayLike<number>, blockSize: number, confidence: number): PeakTrend {
  const { positions: x, values: y } = upperEnvelope(positions, values, blockSize);
  const mk = mannKendall(y, serialCorrelation(x, y).inflation);
  return { mannKendall: mk, sen: theilSen(x, y, mk.varianceS, confidence) };
}

export function analyseTrend(positions: ArrayLike<number>, values: ArrayLike<number>, options: TrendOptions): Trend {
  const { confidence, halfConfidence } = options;
  const envelope = lowerEnvelope(positions, values, chooseBlockSize(values.length, options.gcPeriod));
  const { positions: x, values: y } = envelope;
  const { lag1, inflation, rms } = serialCorrelation(x, y);
  const mk = mannKendall(y, inflation);
  const sen = theilSen(x, y, mk.varianceS, confidence);

  const middle = Math.floor(y.length / 2);
  const halves: [HalfTrend, HalfTrend] = [
    halfTrend(x.slice(0, middle), y.slice(0, middle), inflation, halfConfidence),
    halfTrend(x.slice(middle), y.slice(middle), inflation, halfConfidence),
  ];
  const late = lateSlowdown(x, y, rms, inflation);
  return {
    envelope,
    mannKendall: mk,
    lag1,
    sen,
    halves,
    lateSlowdownZ: late.z,
    lateSlowdownRatio: late.ratio,
    step: fitStep(x, y),
    peaks: options.gcPeriod > 0 ? peakTrend(positions, values, envelope.blockSize, confidence) : null,
    from: positions[0] ?? 0,
    to: positions[positions.length - 1] ?? 0,
  };
}
