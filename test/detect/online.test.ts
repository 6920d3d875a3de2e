import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOnlineDetector, nextCheckAt } from '../../src/detect/index.js';
import type { VerdictStatus } from '../../src/model.js';
import { KB, MB, perTaskSeries, taskRun } from './synthetic.js';

test('checks are at least 10 points and 5% of the run apart', () => {
  assert.equal(nextCheckAt(0), 10);
  assert.equal(nextCheckAt(100), 110);
  assert.equal(nextCheckAt(1000), 1050);
  assert.equal(nextCheckAt(1001), 1052);
});

test('a new status is shown only after three checks in a row agree; then it is firm', () => {
  const values = perTaskSeries(200, (t) => t * MB, 50 * KB);
  const detector = createOnlineDetector();
  const shown: VerdictStatus[] = [];
  const raw: VerdictStatus[] = [];
  for (let n = 20; n <= 200; n = nextCheckAt(n)) {
    shown.push(detector.update(taskRun(values.slice(0, n))).status);
    raw.push(detector.latest!.status);
  }
  const firstLeak = raw.indexOf('leak');
  assert.ok(firstLeak > 0, `raw verdicts: ${raw.join(' ')}`);
  assert.deepEqual(raw.slice(firstLeak, firstLeak + 3), ['leak', 'leak', 'leak']);
  // shown: still the old status on the first two leak checks, leak from the third
  assert.notEqual(shown[firstLeak + 1], 'leak');
  assert.equal(shown[firstLeak + 2], 'leak');
  assert.equal(detector.firm, true);
  assert.equal(detector.checks, raw.length);
});

test('between checks the shown verdict is returned without judging again', () => {
  const values = perTaskSeries(60, () => 0, 50 * KB);
  const detector = createOnlineDetector();
  const first = detector.update(taskRun(values.slice(0, 40)));
  assert.equal(detector.update(taskRun(values.slice(0, 45))), first);
  assert.equal(detector.checks, 1);
  detector.update(taskRun(values.slice(0, 50)));
  assert.equal(detector.checks, 2);
});

test('isDue says from the counts alone when update would judge, so the series is built only then', () => {
  const values = perTaskSeries(60, () => 0, 50 * KB);
  const detector = createOnlineDetector();
  assert.equal(detector.isDue({ tasks: 0, samples: 0 }), true);
  detector.update(taskRun(values.slice(0, 40)));
  assert.equal(detector.isDue({ tasks: 45, samples: 500 }), false, 'tasks decide once there are 20: next check at 50');
  assert.equal(detector.isDue({ tasks: 50, samples: 500 }), true);
  // Fewer than 20 tasks: progress is counted in samples (a new unit, so a check is due at once).
  assert.equal(detector.isDue({ tasks: 5, samples: 30 }), true);
  // Whatever isDue said, update still decides: 45 tasks are not due.
  detector.update(taskRun(values.slice(0, 45)));
  assert.equal(detector.checks, 1);
});

test('a series of the latest part of a long run keeps being judged as the whole run advances', () => {
  const values = perTaskSeries(200, () => 0, 20 * KB);
  const detector = createOnlineDetector();
  const window = taskRun(values.slice(100, 200)); // always the latest 100 tasks
  for (const tasks of [1000, 1050, 1103]) {
    assert.equal(detector.isDue({ tasks, samples: 2 * tasks }), true, `due at ${tasks}`);
    detector.update(window, { tasks, samples: 2 * tasks });
  }
  assert.equal(detector.checks, 3);
  assert.equal(detector.isDue({ tasks: 1110, samples: 2220 }), false);
});

test('one odd check does not flip the shown status', () => {
  const detector = createOnlineDetector({ confirmations: 2 });
  const flat = perTaskSeries(400, () => 0, 20 * KB);
  const shown: VerdictStatus[] = [];
  for (let n = 20; n <= 400; n = nextCheckAt(n)) shown.push(detector.update(taskRun(flat.slice(0, n))).status);
  assert.equal(shown[shown.length - 1], 'stable');
  assert.ok(!shown.includes('leak'));
});
