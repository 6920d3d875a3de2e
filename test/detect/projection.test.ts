import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectToLimit } from '../../src/detect/index.js';

const MB = 1024 * 1024;

test('tasks and seconds to the limit span the interval, soonest first', () => {
  // 100 MB left; 1–2 MB per task → 50 to 100 tasks; 36–72 MB per hour → 5,000 to 10,000 s
  const projection = projectToLimit({
    limitBytes: 612 * MB,
    currentBytes: 512 * MB,
    bytesPerTaskCI: [MB, 2 * MB],
    bytesPerHourCI: [36 * MB, 72 * MB],
  });
  assert.deepEqual(projection, { tasksToLimit: [50, 100], secondsToLimit: [5000, 10000] });
});

test('a bound at or below zero never reaches the limit', () => {
  const projection = projectToLimit({ limitBytes: 300, currentBytes: 100, bytesPerTaskCI: [-5, 3], bytesPerHourCI: [-1, 0] });
  // 200 bytes left at up to 3 per task: ceil(66.7) = 67 at the soonest, never at the slowest
  assert.deepEqual(projection, { tasksToLimit: [67, null], secondsToLimit: [null, null] });
});

test('already at the limit: zero; no interval: no projection', () => {
  const projection = projectToLimit({ limitBytes: 100, currentBytes: 120, bytesPerTaskCI: [1, 2], bytesPerHourCI: null });
  assert.deepEqual(projection, { tasksToLimit: [0, 0], secondsToLimit: null });
});
