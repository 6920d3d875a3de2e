import { test } from 'node:test';
import assert from 'node:assert/strict';
import { childReuse } from '../../src/detect/task-processes.js';
import type { ProcessSummary, TaskRecord } from '../../src/model.js';

const MB = 1024 * 1024;

function proc(pid: number, ppid: number, first: number, peak: number, last: number): ProcessSummary {
  return {
    pid, ppid, startTime: pid, command: 'worker', firstMs: 0, lastMs: 1000,
    firstRssBytes: first, lastRssBytes: last, peakRssBytes: peak, lastVmsBytes: null, growthBytes: last - first, samples: 10,
  };
}

function task(id: number, pid: number): TaskRecord {
  return {
    task: String(id), name: 'job', pid, startMs: id, endMs: id + 1, durationMs: 1, ok: true,
    rssBeforeBytes: null, rssAfterBytes: null, deltaBytes: null, treeRssBeforeBytes: null, treeRssAfterBytes: null, treeDeltaBytes: null,
  } as TaskRecord;
}

test('a reused child is measured to its peak, not to a last reading taken while it tore down', () => {
  const processes = [proc(10, 1, 40 * MB, 45 * MB, 44 * MB), proc(11, 10, 30 * MB, 150 * MB, 20 * MB)];
  const tasks = Array.from({ length: 6 }, (_, i) => task(i + 1, 11));
  const reuse = childReuse(tasks, processes);
  assert.deepEqual(reuse, { pid: 11, tasks: 6, children: 1, growthBytes: 120 * MB });
});

test('tasks in the worker itself, or one per child, are not reuse', () => {
  const processes = [proc(10, 1, 40 * MB, 45 * MB, 44 * MB), proc(11, 10, 30 * MB, 31 * MB, 31 * MB), proc(12, 10, 30 * MB, 31 * MB, 31 * MB)];
  assert.equal(childReuse([task(1, 10), task(2, 10)], processes), null);
  assert.equal(childReuse([task(1, 11), task(2, 12)], processes), null);
});
