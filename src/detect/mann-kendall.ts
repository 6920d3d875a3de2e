// The Mann-Kendall trend test: does the series tend to rise? Rank-based, so a spike or a
// quantisation step moves it no more than any other point.
import { normalUpperTail } from './stats.js';

export interface MannKendall {
  /** S = Σ_{i<j} sign(x_j − x_i). */
  s: number;
  /** Var S with the tie correction, times the variance inflation factor. */
  varianceS: number;
  /** Continuity-corrected normal score: (S − 1)/√Var S for S > 0, (S + 1)/√Var S for S < 0. */
  z: number;
  /** One-sided p-value for an upward trend: P(Z ≥ z). */
  pValue: number;
}

/**
 * Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18, where t runs over the sizes of groups of equal
 * values. RSS moves in whole pages, so ties are common and ignoring them overstates significance.
 */
export function mannKendallVariance(values: readonly number[]): number {
  const n = values.length;
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of counts.values()) if (t > 1) tieTerm += t * (t - 1) * (2 * t + 5);
  return (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
}

export function mannKendallS(values: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < values.length - 1; i++) {
    const base = values[i]!;
    for (let j = i + 1; j < values.length; j++) s += Math.sign(values[j]! - base);
  }
  return s;
}

/**
 * Serial correlation makes S vary more than the independence formula says. For an AR(1)-like
 * series the variance grows by about (1 + r₁)/(1 − r₁) — a lag-1 shortcut of the Hamed-Rao
 * correction. Negative r₁ is not allowed to shrink the variance (it would only add false alarms),
 * and r₁ is capped at 0.95 so a near-perfect step cannot make the factor explode.
 */
export function varianceInflation(lag1: number): number {
  const r = Math.min(0.95, Math.max(0, lag1));
  return (1 + r) / (1 - r);
}

export function mannKendall(values: readonly number[], inflation = 1): MannKendall {
  const s = mannKendallS(values);
  const varianceS = mannKendallVariance(values) * inflation;
  let z = 0;
  if (varianceS > 0 && s > 0) z = (s - 1) / Math.sqrt(varianceS);
  else if (varianceS > 0 && s < 0) z = (s + 1) / Math.sqrt(varianceS);
  return { s, varianceS, z, pValue: normalUpperTail(z) };
}
