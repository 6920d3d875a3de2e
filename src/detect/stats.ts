// Small numeric helpers the detector is built from. Pure functions on plain arrays.

/** Median of a copy; NaN for an empty array. */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** The k-th smallest value (0-based) of `data`, reordering it in place (Hoare's selection, O(n)). */
function select(data: Float64Array, k: number): number {
  let low = 0;
  let high = data.length - 1;
  while (low < high) {
    const pivot = data[(low + high) >> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (data[i]! < pivot) i++;
      while (data[j]! > pivot) j--;
      if (i <= j) {
        const swap = data[i]!;
        data[i++] = data[j]!;
        data[j--] = swap;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return data[k]!;
  }
  return data[k]!;
}

/** Linear-interpolated quantile (type 7, as R and numpy default) of a copy. NaN for an empty array. */
export function quantile(values: ArrayLike<number>, q: number): number {
  // Selection instead of a full sort: the detector takes medians of thousands of points per check.
  return quantileInPlace(Float64Array.from(values), q);
}

/**
 * quantile() of `data` itself, which it reorders: for scratch arrays, so a median over a whole
 * run's series costs no second copy of it.
 */
export function quantileInPlace(data: Float64Array, q: number): number {
  if (data.length === 0) return Number.NaN;
  const position = (data.length - 1) * Math.min(1, Math.max(0, q));
  const below = Math.floor(position);
  const low = select(data, below);
  if (position === below) return low;
  // After selection everything right of `below` is ≥ low; the next order statistic is their minimum.
  let next = Infinity;
  for (let i = below + 1; i < data.length; i++) if (data[i]! < next) next = data[i]!;
  return low + (next - low) * (position - below);
}

/** Standard deviation estimated from the median absolute deviation (consistent for normal data). */
export function robustSigma(values: ArrayLike<number>): number {
  return robustSigmaInPlace(Float64Array.from(values));
}

/** robustSigma() of `data` itself, which it overwrites with the absolute deviations. */
export function robustSigmaInPlace(data: Float64Array): number {
  if (data.length === 0) return Number.NaN;
  const centre = quantileInPlace(data, 0.5);
  // The deviations replace the values in place: one array, however long the run (a 10^6-task
  // run's final verdict takes this over every task-to-task change). A loop, not a map(callback):
  // the detector runs at every live check over up to 100,000 points, and a callback is a new
  // closure each call whose optimised code V8 holds only weakly. After each of leakhunt's
  // periodic full collections every such callback was compiled again, and those compile jobs
  // kept raising the high-water mark of malloc's arenas.
  for (let i = 0; i < data.length; i++) data[i] = Math.abs(data[i]! - centre);
  // 1.4826 = 1 / Φ⁻¹(0.75): makes the MAD estimate σ when the data are normal.
  return 1.4826 * quantileInPlace(data, 0.5);
}

/**
 * Complementary error function, Chebyshev fit with fractional error below 1.2e-7 everywhere
 * (Numerical Recipes' erfcc). Relative accuracy in the tail keeps tiny p-values meaningful.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const tail = t * Math.exp(-z * z + poly);
  return x >= 0 ? tail : 2 - tail;
}

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Φ⁻¹(p), Acklam's rational approximation (relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p <= 0 ? -Infinity : Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tailCut = 0.02425;
  if (p < tailCut || p > 1 - tailCut) {
    const q = Math.sqrt(-2 * Math.log(p < tailCut ? p : 1 - p));
    const value =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
    return p < tailCut ? value : -value;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Lag-1 autocorrelation; 0 when the series is too short or constant. */
export function lag1Autocorrelation(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return 0;
  let total = 0;
  for (const value of values) total += value;
  const mean = total / n;
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < n; i++) {
    const deviation = values[i]! - mean;
    denominator += deviation * deviation;
    if (i > 0) numerator += deviation * (values[i - 1]! - mean);
  }
  return denominator > 0 ? numerator / denominator : 0;
}

export interface LineFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination; 0 when y is constant. */
  rSquared: number;
  /** Sum of squared residuals. */
  sse: number;
}

/** Ordinary least squares y = intercept + slope·x. */
export function leastSquares(x: readonly number[], y: readonly number[]): LineFit {
  const n = Math.min(x.length, y.length);
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += x[i]!;
    sumY += y[i]!;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const sse = Math.max(0, syy - slope * sxy);
  return { slope, intercept: meanY - slope * meanX, rSquared: syy > 0 ? 1 - sse / syy : 0, sse };
}

/**
 * The largest fall from an earlier high to a later low, after a 3-point running minimum so a
 * single spike (a transient allocation) does not count as a high.
 */
export function maxDrawdown(values: ArrayLike<number>): number {
  let peak = -Infinity;
  let drawdown = 0;
  for (let i = 0; i < values.length; i++) {
    const floor = Math.min(values[i]!, values[i - 1] ?? Infinity, values[i + 1] ?? Infinity);
    peak = Math.max(peak, floor);
    drawdown = Math.max(drawdown, peak - floor);
  }
  return drawdown;
}

/**
 * Residuals of the least-squares parabola through (x, y). Removing the curvature as well as the
 * slope leaves the noise, so a curved trend is not mistaken for serially correlated noise.
 */
export function quadraticResiduals(x: readonly number[], y: readonly number[]): number[] {
  const n = Math.min(x.length, y.length);
  if (n < 4) return y.slice(0, n).map(() => 0);
  const mid = (x[0]! + x[n - 1]!) / 2;
  const half = (x[n - 1]! - x[0]!) / 2 || 1;
  const u = x.slice(0, n).map((value) => (value - mid) / half);
  // Normal equations for y = a + b·u + c·u², solved by Cramer's rule on the 3×3 system.
  const s = [0, 0, 0, 0, 0];
  const t = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    let power = 1;
    for (let k = 0; k < 5; k++) {
      s[k]! += power;
      if (k < 3) t[k]! += power * y[i]!;
      power *= u[i]!;
    }
  }
  const det3 = (m: number[][]): number =>
    m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
    m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
    m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const matrix = [
    [s[0]!, s[1]!, s[2]!],
    [s[1]!, s[2]!, s[3]!],
    [s[2]!, s[3]!, s[4]!],
  ];
  const det = det3(matrix);
  if (Math.abs(det) < 1e-12) return y.slice(0, n).map(() => 0);
  const solve = (column: number): number => det3(matrix.map((row, r) => row.map((value, c) => (c === column ? t[r]! : value)))) / det;
  const [a, b, c] = [solve(0), solve(1), solve(2)];
  return u.map((value, i) => y[i]! - a - b * value - c * value * value);
}
