import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeRun } from '../../src/detect/index.js';
import { KB, MB, perTaskSeries, taskRun, timeRun } from './synthetic.js';

const warmUp = (amplitude: number, tau: number) => (t: number) => amplitude * (1 - Math.exp(-t / tau));

test('a short demo run with a 1 MB/task leak reads leak', () => {
  const values = perTaskSeries(80, (t) => warmUp(3 * MB, 5)(t) + t * MB, 50 * KB);
  const verdict = judgeRun(taskRun(values));
  assert.equal(verdict.status, 'leak');
  assert.equal(verdict.series, 'tree-rss');
  assert.ok(verdict.bytesPerTaskCI![0] <= MB && MB <= verdict.bytesPerTaskCI![1], `CI ${verdict.bytesPerTaskCI} misses 1 MB`);
  assert.deepEqual(verdict.window, { from: 41, to: 80, unit: 'task' });
});

test('the same short run with only a warm-up does not read leak', () => {
  const values = perTaskSeries(80, warmUp(30 * MB, 100), 100 * KB);
  assert.equal(judgeRun(taskRun(values)).status, 'insufficient');
});

test('a long flat run is stable', () => {
  const verdict = judgeRun(taskRun(perTaskSeries(1000, warmUp(20 * MB, 50), 100 * KB)));
  assert.equal(verdict.status, 'stable');
  assert.ok(verdict.bytesPerTaskCI![1] < 256);
});

test('too few tasks and samples: insufficient, with the minimum in the reason', () => {
  const verdict = judgeRun(taskRun(perTaskSeries(10, (t) => t * MB, 0)));
  assert.equal(verdict.status, 'insufficient');
  assert.match(verdict.reason, /too few samples: 10, need at least 20/);
  assert.equal(verdict.bytesPerTask, null);
});

test('time series only: 50 samples rising 1 MB each read leak, per hour; flat reads stable', () => {
  const rising = judgeRun(timeRun(Array.from({ length: 50 }, (_, i) => 40 * MB + i * MB)));
  assert.equal(rising.status, 'leak');
  assert.equal(rising.bytesPerTask, null);
  // 1 MB per 1-second sample = 3600 MB per hour
  assert.equal(rising.bytesPerHour, 3600 * MB);
  assert.equal(rising.window?.unit, 'ms');
  const flat = judgeRun(timeRun(Array.from({ length: 50 }, () => 40 * MB)));
  assert.equal(flat.status, 'stable');
});

test('bytes per hour is bytes per task times the tasks per hour observed', () => {
  const values = perTaskSeries(1000, (t) => warmUp(10 * MB, 50)(t) + 20 * KB * t, 100 * KB);
  const verdict = judgeRun(taskRun(values, 250)); // 4 tasks a second, 14,400 an hour
  assert.equal(verdict.status, 'leak');
  assert.ok(Math.abs(verdict.bytesPerHour! / verdict.bytesPerTask! - 14_400) < 1e-6);
  assert.ok(Math.abs(verdict.bytesPerHourCI![0] / verdict.bytesPerTaskCI![0] - 14_400) < 1e-6);
  assert.ok(verdict.statistic!.pValue < 1e-3 && verdict.statistic!.blocks >= 12);
});

test('the heap after GC decides sooner than noisy RSS, and says so', () => {
  const rss = perTaskSeries(150, (t) => KB * t, 300 * KB, 2);
  const heap = perTaskSeries(150, (t) => warmUp(MB, 5)(t) + KB * t, 4 * KB, 3);
  const verdict = judgeRun(taskRun(rss, 100, { heapPerTask: heap }));
  assert.equal(verdict.status, 'leak');
  assert.equal(verdict.series, 'heap');
  assert.ok(verdict.bytesPerTaskCI![0] < KB && KB < verdict.bytesPerTaskCI![1]);
  assert.equal(judgeRun(taskRun(rss)).status, 'insufficient');
});

test('one step in the window is suspect: step', () => {
  const values = perTaskSeries(1200, (t) => warmUp(10 * MB, 50)(t) + (t > 900 ? 8 * MB : 0), 100 * KB, 4);
  const verdict = judgeRun(taskRun(values));
  assert.equal(verdict.status, 'suspect');
  assert.equal(verdict.reason, 'step');
});

test('a leaking child hidden by a shrinking sibling is found in its own series', () => {
  const ms = Array.from({ length: 200 }, (_, i) => i * 1000);
  const child = ms.map((_, i) => 20 * MB + i * 200 * KB);
  const sibling = ms.map((_, i) => 80 * MB - i * 200 * KB);
  const tree = ms.map((_, i) => child[i]! + sibling[i]!);
  const verdict = judgeRun({
    timeSeries: { ms, values: tree },
    processes: [{ pid: 41, ms, values: sibling }, { pid: 42, ms, values: child }],
    limit: null,
    currentBytes: tree[199]!,
  });
  assert.equal(verdict.status, 'leak');
  assert.equal(verdict.series, 'process:42');
});

test('the projection to the limit spans the slope interval; incomplete runs say so', () => {
  const values = perTaskSeries(400, (t) => 100 * KB * t, 50 * KB, 5);
  const verdict = judgeRun(taskRun(values, 100, { limit: { bytes: 1024 * MB, source: 'flag' }, incomplete: true }));
  assert.equal(verdict.status, 'leak');
  assert.equal(verdict.incomplete, true);
  const [soonest, latest] = verdict.projection!.tasksToLimit!;
  const remaining = 1024 * MB - values[399]!;
  assert.equal(soonest, Math.ceil(remaining / verdict.bytesPerTaskCI![1]));
  assert.equal(latest, Math.ceil(remaining / verdict.bytesPerTaskCI![0]));
  assert.ok(verdict.projection!.secondsToLimit![0]! > 0);
});

test('missing points (NaN) are left out, not read as zero', () => {
  const values = perTaskSeries(200, (t) => 200 * KB * t, 20 * KB, 6);
  const holes = values.map((v, i) => (i % 7 === 3 ? Number.NaN : v));
  const verdict = judgeRun(taskRun(holes));
  assert.equal(verdict.status, 'leak');
  assert.ok(verdict.bytesPerTaskCI![0] < 200 * KB && 200 * KB < verdict.bytesPerTaskCI![1]);
});

test('a figure of 0 bytes is no reading: a leak whose last boundaries were read after the worker exited is not flat', () => {
  // 300 tasks of a clean 32 KB/task leak; the last 60 boundaries read an empty tree.
  const values = Array.from({ length: 300 }, (_, i) => (i < 240 ? Math.ceil((14 * MB + 32 * KB * i) / 4096) * 4096 : 0));
  const verdict = judgeRun(taskRun(values));
  assert.equal(verdict.status, 'leak');
  assert.ok(verdict.bytesPerTask! > 30 * KB && verdict.bytesPerTask! < 34 * KB, `${verdict.bytesPerTask}`);
});
