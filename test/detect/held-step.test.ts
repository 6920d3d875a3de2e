// A level shift whose new level holds reads stable, however short the run; a staircase, or a
// leak that keeps rising behind its step, does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeRun } from '../../src/detect/index.js';
import { heldStep } from '../../src/detect/held-step.js';
import { KB, MB, perTaskSeries, taskRun } from './synthetic.js';

test('a 4 MB step in the window, flat since over half the window: stable, the reason names the step', () => {
  // 300 tasks (a short run): a warm-up to task 100, then flat, then +4 MB at task 170.
  const values = perTaskSeries(300, (t) => 1.5 * MB * Math.min(1, t / 100) + (t >= 170 ? 4 * MB : 0), 2 * KB, 3);
  const verdict = judgeRun(taskRun(values));
  assert.equal(verdict.status, 'stable');
  assert.match(verdict.reason, /^a step of \+4\.0 MB at task 1(69|70|71|72|73|74|75), flat since$/);
  assert.equal(verdict.explanation?.kind, 'step');
});

test('a step whose level then holds less than half the window stays undecided in a short run', () => {
  const values = perTaskSeries(300, (t) => (t >= 250 ? 4 * MB : 0), 2 * KB, 4);
  const verdict = judgeRun(taskRun(values));
  assert.equal(verdict.status, 'insufficient');
  assert.match(verdict.reason, /step/);
});

test('a leak behind its step keeps rising: not held, and never stable', () => {
  // +4 MB at task 170, and 4 KB a task all along: the level after the step keeps rising.
  const values = perTaskSeries(300, (t) => 4 * KB * t + (t >= 170 ? 4 * MB : 0), 2 * KB, 5);
  const verdict = judgeRun(taskRun(values));
  assert.notEqual(verdict.status, 'stable');
});

test('a staircase that keeps stepping is a line, not a held step', () => {
  // +1 MB every 30 tasks: five stairs in the 150-task window.
  const values = perTaskSeries(300, (t) => Math.floor(t / 30) * MB, 2 * KB, 6);
  const verdict = judgeRun(taskRun(values));
  assert.notEqual(verdict.status, 'stable');
  assert.equal(verdict.explanation?.kind, 'per-run-leak');
});

test('heldStep: the last material step decides; an immaterial sub-step on the level is no rise', () => {
  const positions = Array.from({ length: 30 }, (_, i) => 151 + 5 * i);
  const level = 50 * MB;
  // +4 MB at 166, then +130 KB (0.25% of the level) at 251: flat since 166 for the purpose.
  const values = positions.map((p) => level + (p >= 166 ? 4 * MB : 0) + (p >= 251 ? 130 * KB : 0) + (p % 3) * 4096);
  const envelope = { positions, values, blockSize: 5 };
  const steps = [{ at: 166, bytes: 4 * MB }, { at: 251, bytes: 130 * KB }];
  const input = { envelope, steps, level, from: 151, to: 296, minSlope: 256, leakP: 1e-3 };
  assert.deepEqual(heldStep(input)?.steps, [{ at: 166, bytes: 4 * MB }]);
  // The same level rising 4 KB a task after the step (580 KB by the end: over 1% of the level): not held.
  const rising = positions.map((p, i) => values[i]! + (p >= 166 ? 4 * KB * (p - 166) : 0));
  assert.equal(heldStep({ ...input, envelope: { ...envelope, values: rising } }), null);
  // A step past the window's middle: not held yet.
  assert.equal(heldStep({ ...input, steps: [{ at: 236, bytes: 4 * MB }] }), null);
});
