import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lateSlowdownZ } from '../../src/detect/saturation.js';

const close = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

const x = Array.from({ length: 20 }, (_, i) => i + 1);

test('z of the fall in slope from the third quarter to the fourth, by hand', () => {
  // quarters 3 and 4 are points 11–15 (0, 2, 4, 6, 8: slope 2) and 16–20 (9 … 13: slope 1). A
  // slope through 5 evenly spaced points with σ = 1 has SE √(12/(5·24)) = √0.1, so the difference
  // has SE √0.2 and z = (2 − 1)/√0.2.
  const y = [...new Array<number>(10).fill(0), 0, 2, 4, 6, 8, 9, 10, 11, 12, 13];
  close(lateSlowdownZ(x, y, 1, 1), 1 / Math.sqrt(0.2));
  // serial correlation widens the error by √inflation: z = 1/√(0.2·4)
  close(lateSlowdownZ(x, y, 1, 4), 1 / Math.sqrt(0.8));
});

test('a steady slope does not slow down; quarters of fewer than 5 blocks say nothing', () => {
  assert.equal(lateSlowdownZ(x, x.map((v) => 3 * v), 1, 1), 0);
  // 16 blocks: quarters of 4, a fall from slope 2 to 1 is not compared.
  const sixteen = x.slice(0, 16);
  assert.equal(lateSlowdownZ(sixteen, [0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 6, 7, 8, 9, 10], 1, 1), 0);
});
