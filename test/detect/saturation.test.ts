import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lateSlowdownZ } from '../../src/detect/saturation.js';

const close = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

const x = Array.from({ length: 12 }, (_, i) => i + 1);

test('z of the fall in slope from the third quarter to the fourth, by hand', () => {
  // quarters 3 and 4 are points 7–9 (0, 2, 4: slope 2) and 10–12 (5, 6, 7: slope 1). A slope
  // through 3 evenly spaced points with σ = 1 has SE √(12/(3·8)) = √0.5, so the difference has
  // SE 1 and z = (2 − 1)/1.
  const y = [0, 0, 0, 0, 0, 0, 0, 2, 4, 5, 6, 7];
  close(lateSlowdownZ(x, y, 1, 1), 1);
  // serial correlation widens the error by √inflation: z = 1/√4
  close(lateSlowdownZ(x, y, 1, 4), 0.5);
});

test('a steady slope does not slow down; too few points say nothing', () => {
  assert.equal(lateSlowdownZ(x, x.map((v) => 3 * v), 1, 1), 0);
  assert.equal(lateSlowdownZ([1, 2, 3, 4, 5], [0, 5, 6, 6, 6], 1, 1), 0);
});
