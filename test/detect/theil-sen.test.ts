import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mannKendallVariance } from '../../src/detect/mann-kendall.js';
import { senSlope, theilSen } from '../../src/detect/theil-sen.js';

const close = (actual: number, expected: number, tolerance: number): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test('slope is the median of the pairwise slopes', () => {
  // slopes of (1,1) (2,3) (3,2) (4,5): 2, 0.5, 4/3, −1, 1, 3 → sorted −1 0.5 1 4/3 2 3 → (1 + 4/3)/2
  close(senSlope([1, 2, 3, 4], [1, 3, 2, 5]), 7 / 6, 1e-12);
  const sen = theilSen([1, 2, 3, 4], [1, 3, 2, 5], 0);
  // intercept = median(y − 7/6·x) = median(−1/6, 2/3, −3/2, 1/3) = (−1/6 + 1/3)/2
  close(sen.intercept, 1 / 12, 1e-12);
  assert.equal(sen.pairs, 6);
});

test('rank confidence interval (Gilbert 1987) by hand', () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const y = [2, 4, 3, 6, 5, 8, 7, 10, 9, 12];
  const varianceS = mannKendallVariance(y); // 125
  const sen = theilSen(x, y, varianceS, 0.95);
  // 45 slopes, median 1. C = 1.96·√125 = 21.913; ranks round((45 − C)/2) = 12 and
  // round((45 + C)/2 + 1) = 34 of the sorted slopes: 0.75 and 9/7.
  assert.equal(sen.slope, 1);
  close(sen.ci[0], 0.75, 1e-12);
  close(sen.ci[1], 9 / 7, 1e-12);
});

test('pairs with equal x are skipped; one pair is its own interval', () => {
  const sen = theilSen([1, 1, 2], [0, 5, 2], 1);
  // usable pairs: (1,0)→(2,2) = 2 and (1,5)→(2,2) = −3 → median −0.5
  assert.equal(sen.pairs, 2);
  close(sen.slope, -0.5, 1e-12);
  assert.deepEqual(theilSen([1, 2], [3, 7], 0).ci, [4, 4]);
});
