// The recorder's task records: spilled to disk as each task ends, so a run of 10^6 tasks holds
// none of them in the heap (fault matrix row 12), and read back whole, in the order they ended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ProcessReading } from '../../src/model.js';
import { Recorder } from '../../src/runner/recorder.js';
import { MemoryRows } from '../../src/runner/spill-rows.js';

const root: ProcessReading = {
  pid: 10, ppid: 1, startTime: 500, command: 'node worker.js', rssBytes: 50e6, vmsBytes: 4e8, peakRssBytes: 50e6, fds: 4, threads: 1,
};
const MB = 1024 * 1024;

function runTask(recorder: Recorder, id: number, options: { end?: boolean; heapUsed?: number } = {}): void {
  const reading = { processes: [{ ...root, rssBytes: 50e6 + id * 4096 }], vanished: 0 };
  const task = String(id);
  recorder.taskStarted({ event: 'start', task, name: `type-${id % 7}` }, recorder.record(reading, id * 2, 'task-start', 0.01, { task }), 10);
  if (options.end === false) return;
  const metrics = options.heapUsed === undefined ? {} : { metrics: { heapUsed: options.heapUsed } };
  recorder.taskEnded({ event: 'end', task, ...metrics }, recorder.record(reading, id * 2 + 1, 'task-end', 0.01, { task }), 10);
}

/** V8's full collection, reached the way the CLI's heap keeper reaches it. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

test('tasks read back whole: ended ones in the order they ended, then the ones still running', () => {
  const recorder = new Recorder(null);
  runTask(recorder, 1);
  runTask(recorder, 2, { end: false });
  runTask(recorder, 3);
  const tasks = [...recorder.tasks];
  assert.equal(recorder.tasks.length, 3);
  assert.deepEqual(tasks.map((t) => t.task), ['1', '3', '2']);
  assert.equal(tasks[0]!.treeRssAfterBytes, 50e6 + 4096);
  assert.equal(tasks[0]!.name, 'type-1');
  assert.equal(tasks[2]!.endMs, null, 'the running task is there, unfinished');
  assert.deepEqual(JSON.parse(JSON.stringify({ tasks: recorder.tasks })).tasks, tasks, 'JSON.stringify writes them out');
});

test('a task id reused while its first run is still open keeps both runs', () => {
  const recorder = new Recorder(null);
  runTask(recorder, 1, { end: false });
  runTask(recorder, 1);
  const tasks = [...recorder.tasks];
  assert.deepEqual(tasks.map((t) => [t.task, t.endMs]), [['1', null], ['1', 3]]);
});

test('the live window keeps the latest ended tasks and their pace, with the heap only when every task sent it', () => {
  const recorder = new Recorder(null);
  for (let id = 1; id <= 5; id++) runTask(recorder, id, { heapUsed: id * 1000 });
  assert.deepEqual(recorder.recentTasks.series(), {
    values: Float64Array.from([1, 2, 3, 4, 5], (id) => 50e6 + id * 4096),
    endMs: Float64Array.of(3, 5, 7, 9, 11),
    positions: null,
    heapUsed: Float64Array.of(1000, 2000, 3000, 4000, 5000),
    heapPositions: null,
    heapWithExternal: null,
    firstRuns: Float64Array.of(1, 2, 3, 4, 5),
    count: 5,
    firstBytes: 50e6 + 4096,
    lastBytes: 50e6 + 5 * 4096,
  });
  runTask(recorder, 6);
  assert.equal(recorder.recentTasks.series()!.heapUsed, null);
  assert.equal(recorder.recentTasks.medianDurationMs(20), 1);
});

test('row 12: 200,000 more tasks add no task records to the heap (they are on disk)', () => {
  const gc = collector();
  const recorder = new Recorder(null);
  let id = 0;
  while (id < 20_000) runTask(recorder, ++id);
  gc();
  const before = getHeapStatistics().used_heap_size;
  while (id < 220_000) runTask(recorder, ++id);
  gc();
  const grown = getHeapStatistics().used_heap_size - before;
  // Held as objects, 200,000 records were ~40 MB (~205 B each). What remains is the capped set of
  // names and the window's typed arrays, which live outside the heap.
  assert.ok(grown < 4 * MB, `the heap grew ${(grown / MB).toFixed(1)} MiB over 200,000 tasks`);
  assert.equal(recorder.tasks.length, 220_000);
  let count = 0;
  let last = '';
  for (const task of recorder.tasks) {
    count++;
    last = task.task;
  }
  assert.deepEqual([count, last], [220_000, '220000']);
});

test('where no temp file can be made, the tasks stay in memory and read back the same', () => {
  const recorder = new Recorder(null, undefined, 0, new MemoryRows(), new MemoryRows());
  runTask(recorder, 1);
  runTask(recorder, 2);
  assert.deepEqual([...recorder.tasks].map((t) => t.task), ['1', '2']);
});
