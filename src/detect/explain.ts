// Which explanation fits the memory held after each task best: a steady rise (per-run leak),
// rises at the first runs of task types (new task types), a rise that slows towards a cap, one
// or two level shifts (step), or no rise at all (flat; GC sawtooth when the raw series has a
// period of drops). Each candidate is fitted to the window's lower envelope and they are
// compared by BIC: the one with the lowest wins, whatever the order they are listed in.
import type { Explanation, ExplanationFit, ExplanationKind } from '../model.js';
import { bic, fitColumns } from './fit.js';

export interface ExplainInput {
  /** Envelope points of the window (block minima): positions and values. */
  x: readonly number[];
  y: readonly number[];
  /** Memory held in the window (its median), the yardstick of "large enough to matter". */
  level: number;
  /** Task types seen by each envelope position (null when tasks carry no names, or for time series). */
  typesSeen: readonly number[] | null;
  /**
   * The slowest bend tried (largest time constant, in positions): a cap further away than this
   * is, for the run at hand, a steady rise (see verdict.ts, HORIZON_RUNS).
   */
  slowestBend: number;
}

/** Faster than 1/20 of the window, a rise to a cap is a step; the grid of time constants starts there. */
const CAP_FASTEST_SHARE = 1 / 20;
const CAP_GRID = 24;
/**
 * A level shift or the growth from new types matters when it reaches 1% of the memory held:
 * below that, the memory is flat for any practical purpose (the same share as the stable rule).
 */
export const MATERIAL_SHARE = 0.01;
/** Each level of a step spans at least this many envelope points, so one odd block is no step. */
const MIN_SEGMENT = 2;
/**
 * The runner-up is named when its BIC is within 6 of the best: a difference of 6 or more is
 * "strong" evidence on Kass and Raftery's scale (2·ln Bayes factor), below it the two are close.
 */
export const CLOSE_BIC = 6;
/**
 * Within 2 of the lowest BIC the evidence is "not worth more than a bare mention" (same scale):
 * there the simpler explanation wins.
 */
export const PARSIMONY_BIC = 2;

interface Candidate {
  kind: ExplanationKind;
  bic: number;
  parameters: number;
  detail: Partial<Explanation>;
}

const ones = (k: number): number[] => new Array<number>(k).fill(1);

function flatCandidate(y: readonly number[]): Candidate | null {
  const fit = fitColumns([ones(y.length)], y);
  return fit && { kind: 'flat', bic: bic(y.length, fit.sse, 1), parameters: 1, detail: {} };
}

function lineCandidate(x: readonly number[], y: readonly number[]): Candidate | null {
  const fit = fitColumns([ones(y.length), x], y);
  return fit && { kind: 'per-run-leak', bic: bic(y.length, fit.sse, 2), parameters: 2, detail: { slope: fit.coefficients[1]! } };
}

/**
 * The time constant that fits best, searched over a geometric grid from 1/20 of the window to
 * `slowest`, then refined twice around the best grid point: the bend's BIC must not lose to a
 * richer model for want of a finer grid.
 */
function bestTimeConstant(span: number, slowest: number, score: (tau: number) => number): number {
  let [low, high] = [span * CAP_FASTEST_SHARE, slowest];
  let best = low;
  for (let round = 0; round < 3; round++) {
    const grid = Array.from({ length: CAP_GRID }, (_, g) => low * (high / low) ** (g / (CAP_GRID - 1)));
    const scores = grid.map(score);
    const index = scores.indexOf(Math.min(...scores));
    best = grid[index]!;
    [low, high] = [grid[Math.max(0, index - 1)]!, grid[Math.min(grid.length - 1, index + 1)]!];
  }
  return best;
}

/**
 * y = c − A·e^(−(x−x₀)/τ), A > 0 (filling to a cap), or, with `leak`, y = c + b·x − A·e^(−(x−x₀)/τ)
 * (a steady rise behind the fading tail of a warm-up, which counts as a per-run leak with slope b).
 * τ counts as a parameter: it was chosen to fit. The two compete, so a cap is the explanation
 * only when the rise really stops, not merely when the window starts in a warm-up's tail.
 */
function bendCandidate(x: readonly number[], y: readonly number[], slowest: number, leak: boolean): Candidate | null {
  const k = y.length;
  const span = x[k - 1]! - x[0]!;
  if (!(span > 0) || !(slowest > span * CAP_FASTEST_SHARE)) return null;
  const parameters = leak ? 4 : 3;
  const fitAt = (tau: number) => {
    const decay = x.map((v) => Math.exp(-(v - x[0]!) / tau));
    const fit = fitColumns(leak ? [ones(k), decay, x] : [ones(k), decay], y);
    const rising = fit !== null && fit.coefficients[1]! < 0 && (!leak || fit.coefficients[2]! > 0);
    return { decay, fit: rising ? fit : null };
  };
  const score = (tau: number): number => {
    const { fit } = fitAt(tau);
    return fit ? bic(k, fit.sse, parameters) : Infinity;
  };
  const tau = bestTimeConstant(span, slowest, score);
  const { decay, fit } = fitAt(tau);
  if (!fit) return null;
  const [c, a] = fit.coefficients as [number, number];
  const bicValue = bic(k, fit.sse, parameters);
  if (leak) return { kind: 'per-run-leak', bic: bicValue, parameters, detail: { slope: fit.coefficients[2]! } };
  const cap = { capBytes: c, bytesToCap: -a * decay[k - 1]!, timeConstant: tau, slowdownRatio: Math.exp(-span / tau) };
  return { kind: 'filling-to-cap', bic: bicValue, parameters, detail: { cap } };
}

/**
 * One or two level shifts between flat levels, each shift at least MATERIAL_SHARE of the memory
 * held. A flat level's fit is its mean, so every split is scored from prefix sums in O(1): the
 * live verdict fits all ~400 two-change splits of a 30-block envelope at every check.
 */
function stepCandidate(x: readonly number[], y: readonly number[], level: number): Candidate | null {
  const k = y.length;
  const offset = y[0]!;
  const sum = new Float64Array(k + 1);
  const squares = new Float64Array(k + 1);
  for (let i = 0; i < k; i++) {
    sum[i + 1] = sum[i]! + (y[i]! - offset);
    squares[i + 1] = squares[i]! + (y[i]! - offset) ** 2;
  }
  const mean = (from: number, to: number): number => (sum[to]! - sum[from]!) / (to - from);
  const cost = (from: number, to: number): number => Math.max(0, squares[to]! - squares[from]! - (sum[to]! - sum[from]!) ** 2 / (to - from));
  let best: Candidate | null = null;
  const consider = (changes: number[]): void => {
    const bounds = [0, ...changes, k];
    const means = bounds.slice(1).map((to, i) => mean(bounds[i]!, to));
    const jumps = means.slice(1).map((m, i) => m - means[i]!);
    // A shift too small to matter is no explanation of growth, however well it fits.
    if (Math.max(...jumps.map(Math.abs)) < MATERIAL_SHARE * level) return;
    const sse = bounds.slice(1).reduce((total, to, i) => total + cost(bounds[i]!, to), 0);
    // Each change costs its jump and its position: 3 parameters for one, 5 for two.
    const parameters = 1 + 2 * changes.length;
    const score = bic(k, sse, parameters);
    if (best && score >= best.bic) return;
    best = { kind: 'step', bic: score, parameters, detail: { steps: changes.map((c, i) => ({ at: x[c]!, bytes: jumps[i]! })) } };
  };
  for (let c = MIN_SEGMENT; c <= k - MIN_SEGMENT; c++) consider([c]);
  for (let c1 = MIN_SEGMENT; c1 <= k - 2 * MIN_SEGMENT; c1++) {
    for (let c2 = c1 + MIN_SEGMENT; c2 <= k - MIN_SEGMENT; c2++) consider([c1, c2]);
  }
  return best;
}

/** y = a + b·(task types seen so far): memory comes with each new type and not with repeats. */
function newTypesCandidate(y: readonly number[], typesSeen: readonly number[] | null, level: number): Candidate | null {
  if (!typesSeen) return null;
  const fit = fitColumns([ones(y.length), typesSeen], y);
  if (!fit) return null;
  const perType = fit.coefficients[1]!;
  const added = perType * (typesSeen[typesSeen.length - 1]! - typesSeen[0]!);
  if (perType <= 0 || added < MATERIAL_SHARE * level) return null;
  return { kind: 'new-task-types', bic: bic(y.length, fit.sse, 2), parameters: 2, detail: { bytesPerNewType: perType } };
}

/**
 * Parsimony: of the candidates whose BIC is within PARSIMONY_BIC of the lowest, the one with the
 * fewest parameters wins: a richer shape that fits barely better is noise fitted.
 */
function choose(candidates: readonly Candidate[]): Candidate {
  const lowest = Math.min(...candidates.map((c) => c.bic));
  return candidates.filter((c) => c.bic - lowest < PARSIMONY_BIC).reduce((a, b) => (b.parameters < a.parameters || (b.parameters === a.parameters && b.bic < a.bic) ? b : a));
}

export interface Explained {
  /** The explanation that fits best. */
  best: Explanation;
  /** The same figures told as `kind` (its best fit, the runner-up measured against it); null when it could not be fitted. */
  as(kind: ExplanationKind): Explanation | null;
  /** How much lower the best fit of `kind` scores than the best fit of `other` (positive: `kind` fits better). */
  advantage(kind: ExplanationKind, over: ExplanationKind): number;
}

/** Fits every candidate to the window's envelope and compares them; null when there are too few points. */
export function explainGrowth(input: ExplainInput): Explained | null {
  const { x, y, level } = input;
  if (y.length < 2 * MIN_SEGMENT + 1) return null;
  const all = [
    flatCandidate(y),
    lineCandidate(x, y),
    bendCandidate(x, y, input.slowestBend, false),
    // A warm-up's tail fades within the window (it at least halves there); a slower bend under a
    // rise is the cap's to explain.
    bendCandidate(x, y, Math.min(input.slowestBend, (x[x.length - 1]! - x[0]!) / Math.LN2), true),
    stepCandidate(x, y, level),
    newTypesCandidate(y, input.typesSeen, level),
  ].filter((c): c is Candidate => c !== null);
  // One fit per explanation (a per-run leak is a line, or a line behind a warm-up's fading tail).
  const byKind = new Map<ExplanationKind, Candidate>();
  for (const kind of new Set(all.map((c) => c.kind))) byKind.set(kind, choose(all.filter((c) => c.kind === kind)));
  const candidates = [...byKind.values()].sort((a, b) => a.bic - b.bic);
  const fits: ExplanationFit[] = candidates.map((c) => ({ kind: c.kind, bic: round(c.bic) }));
  const tell = (chosen: Candidate): Explanation => {
    const second = candidates.find((c) => c !== chosen);
    const runnerUp = second && Math.abs(second.bic - chosen.bic) < CLOSE_BIC ? { kind: second.kind, deltaBic: round(second.bic - chosen.bic) } : null;
    return { kind: chosen.kind, fits, runnerUp, ...chosen.detail };
  };
  return {
    best: tell(choose(candidates)),
    as: (kind) => {
      const chosen = byKind.get(kind);
      return chosen ? tell(chosen) : null;
    },
    advantage: (kind, over) => {
      const [mine, theirs] = [byKind.get(kind)?.bic, byKind.get(over)?.bic];
      if (mine === undefined) return -Infinity;
      return theirs === undefined ? Infinity : theirs - mine;
    },
  };
}

/** BIC figures to 0.01: the comparison needs no more, and the JSON stays readable. */
const round = (value: number): number => Math.round(value * 100) / 100;

export type { Explanation, ExplanationKind };
