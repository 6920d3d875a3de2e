// The heap plus external (Node's Buffers) per task, beside heapUsed: summed where a task sent both,
// absent as soon as one did not, decimated at the heap's positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskRecord } from '../../src/model.js';
import { RecentTaskSeries, perTaskSeries } from '../../src/runner/task-series.js';

function task(i: number, metrics: Record<string, number>): TaskRecord {
  return {
    task: String(i), name: 'tile', pid: 10, startMs: 2 * i, endMs: 2 * i + 1, durationMs: 1, ok: true,
    rssBeforeBytes: null, rssAfterBytes: null, deltaBytes: null, treeRssBeforeBytes: null,
    treeRssAfterBytes: 50e6 + i, treeDeltaBytes: null, metrics,
  };
}

const both = (n: number): TaskRecord[] => Array.from({ length: n }, (_, i) => task(i + 1, { heapUsed: 4e6 + i, external: 2e6 + 10 * i }));

test('heapWithExternal sums heapUsed and external, task by task', () => {
  const series = perTaskSeries(both(5))!;
  assert.deepEqual([...series.heapWithExternal!], [6e6, 6e6 + 11, 6e6 + 22, 6e6 + 33, 6e6 + 44]);
  const ring = new RecentTaskSeries(3);
  for (const t of both(5)) ring.push(t);
  assert.deepEqual([...ring.series()!.heapWithExternal!], [6e6 + 22, 6e6 + 33, 6e6 + 44]);
});

test('a task without external (or without heapUsed) leaves no such series', () => {
  const tasks = both(5);
  tasks[2] = task(3, { heapUsed: 4e6 });
  assert.equal(perTaskSeries(tasks)!.heapWithExternal, null);
  assert.notEqual(perTaskSeries(tasks)!.heapUsed, null);
  const ring = new RecentTaskSeries(8);
  for (const t of tasks) ring.push(t);
  assert.equal(ring.series()!.heapWithExternal, null);
});

test('decimated, it keeps the heap\'s positions', () => {
  const series = perTaskSeries(both(10_000), 1_024)!;
  assert.equal(series.heapWithExternal!.length, series.heapPositions!.length);
  assert.equal(series.heapWithExternal![0], 6e6, 'the lowest of the first group');
});
