// RSS that an allocator moves while the heap after GC holds flat, as measured on a real Node
// worker (eval/corpus/node/churn-buffers.mjs), rebuilt seeded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeRun } from '../../src/detect/index.js';
import { KB, MB, perTaskSeries, taskRun } from './synthetic.js';

test('RSS moved 1.2% by the allocator while the heap after GC held flat: stable, told by the heap', () => {
  const rss = perTaskSeries(300, (t) => (t > 180 ? 0.3 * MB : 0) + (t > 280 ? 0.3 * MB : 0), 4 * KB, 26);
  const heap = perTaskSeries(300, () => -46 * MB, 2 * KB, 27);
  const verdict = judgeRun(taskRun(rss, 100, { heapPerTask: heap }));
  assert.equal(verdict.status, 'stable');
  assert.equal(verdict.series, 'heap');
  assert.match(verdict.reason, /RSS moved by 1\.\d% of the memory held \(the allocator\)$/);
});

test('a flat heap does not clear RSS that moved more than an allocator does', () => {
  const rss = perTaskSeries(300, (t) => (t > 180 ? 1.5 * MB : 0) + (t > 280 ? 1.5 * MB : 0), 4 * KB, 28);
  const heap = perTaskSeries(300, () => -46 * MB, 2 * KB, 29);
  const verdict = judgeRun(taskRun(rss, 100, { heapPerTask: heap }));
  assert.notEqual(verdict.status, 'stable');
  assert.equal(verdict.series, 'tree-rss');
});

test('a Buffer leak the heap does not see: with external reported, heap and external must hold flat too', () => {
  // 2 KB of Buffers a task under 64 KB of RSS noise: undecided on RSS, heapUsed flat, external rising.
  const rss = perTaskSeries(300, (t) => 2 * KB * t, 64 * KB, 30);
  const heap = perTaskSeries(300, () => -46 * MB, 2 * KB, 31);
  const leaking = heap.map((h, i) => h + 2 * MB + 2 * KB * (i + 1));
  assert.equal(judgeRun(taskRun(rss)).status, 'insufficient');
  assert.equal(judgeRun(taskRun(rss, 100, { heapPerTask: heap })).status, 'stable', 'heapUsed alone cannot see Buffers');
  const told = judgeRun(taskRun(rss, 100, { heapPerTask: heap, heapWithExternalPerTask: leaking }));
  assert.equal(told.status, 'insufficient', told.reason);
  assert.equal(told.series, 'tree-rss');
  // The same heap with a flat external: the allocator's move, as without external.
  const moved = perTaskSeries(300, (t) => (t > 180 ? 0.3 * MB : 0) + (t > 280 ? 0.3 * MB : 0), 4 * KB, 26);
  const flat = heap.map((h) => h + 2 * MB);
  assert.equal(judgeRun(taskRun(moved, 100, { heapPerTask: heap, heapWithExternalPerTask: flat })).status, 'stable');
});
