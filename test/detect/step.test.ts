import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitStep } from '../../src/detect/step.js';

const positions = Array.from({ length: 30 }, (_, i) => i + 1);
// small deterministic noise, ±2
const wobble = (i: number): number => ((i * 37) % 5) - 2;

test('one jump between flat levels is a step', () => {
  const values = positions.map((p, i) => (p > 12 ? 1000 : 0) + wobble(i));
  const fit = fitStep(positions, values);
  assert.equal(fit.stepLike, true);
  assert.deepEqual(fit.changes, [13]);
});

test('two jumps are a step too', () => {
  const values = positions.map((p, i) => (p > 8 ? 500 : 0) + (p > 20 ? 700 : 0) + wobble(i));
  assert.deepEqual(fitStep(positions, values), { stepLike: true, changes: [9, 21] });
});

test('a steady slope is not a step', () => {
  assert.equal(fitStep(positions, positions.map((p, i) => 40 * p + wobble(i))).stepLike, false);
});

test('a staircase of six regular steps (a leak in arenas) fits a line better', () => {
  const values = positions.map((p, i) => Math.floor(p / 5) * 200 + wobble(i));
  assert.equal(fitStep(positions, values).stepLike, false);
});
