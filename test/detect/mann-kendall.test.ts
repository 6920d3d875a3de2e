import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mannKendall, mannKendallS, mannKendallVariance, varianceInflation } from '../../src/detect/mann-kendall.js';

const close = (actual: number, expected: number, tolerance: number): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test('S counts rising minus falling pairs; ties count 0', () => {
  // pairs of 1 2 2 3 5: nine rise, the two 2s tie → S = 9
  assert.equal(mannKendallS([1, 2, 2, 3, 5]), 9);
  assert.equal(mannKendallS([3, 2, 1]), -3);
});

test('Var S with the tie correction, by hand', () => {
  // n = 5: 5·4·15 = 300; one tie group of 2: 2·1·9 = 18 → (300 − 18)/18
  close(mannKendallVariance([1, 2, 2, 3, 5]), 282 / 18, 1e-12);
  // no ties, n = 10: 10·9·25/18 = 125
  close(mannKendallVariance([2, 4, 3, 6, 5, 8, 7, 10, 9, 12]), 125, 1e-12);
  assert.equal(mannKendallVariance([4, 4, 4]), 0);
});

test('Z with continuity correction and its one-sided p-value', () => {
  const result = mannKendall([1, 2, 2, 3, 5]);
  // (9 − 1)/√15.667 = 2.02116; P(Z > 2.02116) = 0.021631
  close(result.z, 2.0211646105596457, 1e-12);
  close(result.pValue, 0.021631363903455325, 1e-7);
  const falling = mannKendall([5, 3, 3, 2, 1]);
  assert.ok(falling.z < 0 && falling.pValue > 0.9);
  // a constant series has no variance: Z = 0, p = 0.5
  assert.equal(mannKendall([1, 1, 1]).z, 0);
  close(mannKendall([1, 1, 1]).pValue, 0.5, 1e-7);
});

test('serial correlation inflates the variance by (1 + r)/(1 − r), never shrinks it', () => {
  close(varianceInflation(0.5), 3, 1e-12);
  assert.equal(varianceInflation(-0.4), 1);
  close(varianceInflation(0.99), 1.95 / 0.05, 1e-9);
  const inflated = mannKendall([2, 4, 3, 6, 5, 8, 7, 10, 9, 12], 3);
  // S = 37, Var = 125·3 → Z = 36/√375
  close(inflated.z, 36 / Math.sqrt(375), 1e-12);
});
