// Least squares on a few columns and the Bayesian information criterion that compares the fits.
// The candidate explanations (explain.ts) are all linear in their coefficients once their shape
// parameter (a cap's time constant, a step's position) is fixed, so one small solver serves all.

export interface LinearFit {
  /** Coefficients in the order of the columns (the intercept is the first when a column of ones is given). */
  coefficients: number[];
  sse: number;
  /** Fitted values, one per point. */
  fitted: Float64Array;
}

/**
 * Ordinary least squares of y on the given columns, by modified Gram-Schmidt (stable where the
 * normal equations are not: memory in the tens of MB against task numbers up to 10^6). null when
 * the columns are dependent (a column of new-type counts that never changes in the window).
 */
export function fitColumns(columns: readonly ArrayLike<number>[], y: ArrayLike<number>): LinearFit | null {
  const k = y.length;
  const p = columns.length;
  const q: Float64Array[] = [];
  const r: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    const v = Float64Array.from(columns[j]!);
    const scale = Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let t = 0; t < k; t++) dot += q[i]![t]! * v[t]!;
      r[i]![j] = dot;
      for (let t = 0; t < k; t++) v[t]! -= dot * q[i]![t]!;
    }
    const norm = Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
    // What is left of the column is rounding: it adds nothing the others do not already span.
    if (!(norm > 1e-9 * Math.max(scale, 1e-300))) return null;
    r[j]![j] = norm;
    for (let t = 0; t < k; t++) v[t]! /= norm;
    q.push(v);
  }
  const qy = q.map((column) => {
    let dot = 0;
    for (let t = 0; t < k; t++) dot += column[t]! * y[t]!;
    return dot;
  });
  const coefficients = new Array<number>(p).fill(0);
  for (let j = p - 1; j >= 0; j--) {
    let sum = qy[j]!;
    for (let i = j + 1; i < p; i++) sum -= r[j]![i]! * coefficients[i]!;
    coefficients[j] = sum / r[j]![j]!;
  }
  const fitted = new Float64Array(k);
  let sse = 0;
  for (let t = 0; t < k; t++) {
    let value = 0;
    for (let j = 0; j < p; j++) value += coefficients[j]! * columns[j]![t]!;
    fitted[t] = value;
    sse += (y[t]! - value) ** 2;
  }
  return { coefficients, sse, fitted };
}

/** Memory moves in 4 KB pages. */
export const PAGE_BYTES = 4096;

/**
 * BIC of a fit of k points with this SSE and this many free parameters: k·ln(SSE/k) + p·ln(k),
 * which is −2·log-likelihood under Gaussian noise plus ln(k) per parameter. The SSE is floored
 * at the variance of rounding to whole pages (4096²/12 a point): two fits that differ only below
 * page rounding are equally good, so a near-noiseless series picks the simpler one instead of
 * the one that chases rounding.
 */
export function bic(k: number, sse: number, parameters: number): number {
  const floor = (k * PAGE_BYTES * PAGE_BYTES) / 12;
  return k * Math.log(Math.max(sse, floor) / k) + parameters * Math.log(k);
}
