import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  lag1Autocorrelation, leastSquares, maxDrawdown, median, normalQuantile, normalUpperTail, quadraticResiduals, quantile, robustSigma,
} from '../../src/detect/stats.js';

const close = (actual: number, expected: number, tolerance: number): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test('median and type-7 quantiles', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  // sorted 1 2 3 4: position (4 − 1)·0.25 = 0.75 → 1 + 0.75·(2 − 1)
  assert.equal(quantile([4, 3, 2, 1], 0.25), 1.75);
  assert.equal(quantile([7, 7, 7], 0.9), 7);
  assert.ok(Number.isNaN(median([])));
});

test('robust sigma is 1.4826 × the median absolute deviation, unmoved by an outlier', () => {
  // median 3, absolute deviations 2 1 0 1 97 → MAD 1
  close(robustSigma([1, 2, 3, 4, 100]), 1.4826, 1e-12);
});

test('normal tail and quantile match tabulated values', () => {
  close(normalUpperTail(1.959963984540054), 0.025, 1e-8);
  close(normalUpperTail(3), 0.0013498980316301, 1e-9);
  close(normalUpperTail(-1), 0.8413447460685429, 1e-7);
  // Relative accuracy deep in the tail: P(Z > 6) = 9.8659e-10.
  close(normalUpperTail(6) / 9.865876450377e-10, 1, 1e-6);
  close(normalQuantile(0.975), 1.959963984540054, 1e-8);
  close(normalQuantile(0.1), -1.2815515655446004, 1e-8);
});

test('lag-1 autocorrelation by hand', () => {
  // mean 3; deviations −2 0 −1 1 0 2; Σ d_i·d_(i−1) = 0 + 0 − 1 + 0 + 0 = −1; Σ d² = 10
  close(lag1Autocorrelation([1, 3, 2, 4, 3, 5]), -0.1, 1e-12);
  assert.equal(lag1Autocorrelation([2, 2, 2, 2]), 0);
});

test('least squares by hand', () => {
  // x̄ = 1.5, ȳ = 4.25, Sxx = 5, Sxy = 11.5 → slope 2.3, intercept 0.8, SSE 0.3, R² = 1 − 0.3/26.75
  const fit = leastSquares([0, 1, 2, 3], [1, 3, 5, 8]);
  close(fit.slope, 2.3, 1e-12);
  close(fit.intercept, 0.8, 1e-12);
  close(fit.sse, 0.3, 1e-9);
  close(fit.rSquared, 1 - 0.3 / 26.75, 1e-9);
});

test('a parabola leaves no residuals; noise around it stays', () => {
  const x = [0, 1, 2, 3, 4, 5];
  for (const r of quadraticResiduals(x, x.map((v) => 3 - 2 * v + 0.5 * v * v))) close(r, 0, 1e-9);
  const residuals = quadraticResiduals(x, [0, 1, 0, 1, 0, 1]);
  close(residuals.reduce((a, b) => a + b, 0), 0, 1e-9);
  assert.ok(residuals.some((r) => Math.abs(r) > 0.3));
});

test('max drawdown ignores a one-point spike but sees a real fall', () => {
  assert.equal(maxDrawdown([10, 11, 50, 12, 13]), 0);
  // running 3-point minimum: 10 10 10 4 4 5 → from a peak of 10 down to 4
  assert.equal(maxDrawdown([10, 11, 10, 4, 5, 6]), 6);
});
