// --metric pss|uss: the recorder's tree totals and the tasks' judged figures sum that metric (what
// the verdict reads), while RSS stays in every RSS field and the peak of tree RSS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessReading } from '../../src/model.js';
import { Recorder } from '../../src/runner/recorder.js';
import { perTaskSeries } from '../../src/runner/task-series.js';
import { samplesAs, treeAfterBytes } from '../../src/series/metric.js';
import { judgeRun } from '../../src/detect/index.js';
import { seriesOf } from '../../src/commands/result.js';

const MB = 1024 * 1024;
/** A parent and its forked children: 40 MB each of RSS, nearly all of it shared, so PSS splits it. */
function pool(children: number): ProcessReading[] {
  const members = children + 1;
  return Array.from({ length: members }, (_, i) => ({
    pid: 100 + i, ppid: i === 0 ? 1 : 100, startTime: 1000 + i, command: 'python3 pool.py', rssBytes: 40 * MB,
    vmsBytes: 80 * MB, peakRssBytes: 40 * MB, fds: 5, threads: 1, pssBytes: (40 * MB) / members + MB, ussBytes: MB,
  }));
}

function runPool(metric: 'rss' | 'pss' | 'uss', tasks: number): Recorder {
  const recorder = new Recorder(null);
  recorder.metric = metric;
  for (let i = 1; i <= tasks; i++) {
    // The pool grows by one child a task, the way a recycled or scaling pool does.
    const reading = { processes: pool(i), vanished: 0 };
    const task = String(i);
    recorder.taskStarted({ event: 'start', task, name: 'job' }, recorder.record(reading, i * 10, 'task-start', 0.01, { task }), 100);
    recorder.taskEnded({ event: 'end', task }, recorder.record(reading, i * 10 + 5, 'task-end', 0.01, { task }), 100);
  }
  return recorder;
}

test('with pss the totals and the tasks\' judged figures are PSS sums; RSS fields stay RSS', () => {
  const recorder = runPool('pss', 3);
  const [first, , third] = [...recorder.tasks];
  assert.equal(first!.treeRssAfterBytes, 2 * 40 * MB);
  assert.equal(first!.treePssAfterBytes, 40 * MB + 2 * MB);
  assert.equal(third!.treePssAfterBytes, 40 * MB + 4 * MB);
  assert.equal(treeAfterBytes(third!), 40 * MB + 4 * MB);
  assert.equal(third!.treeUssAfterBytes, undefined);
  assert.equal(recorder.totals.lastBytes(), 40 * MB + 4 * MB);
  assert.equal(recorder.peakTreeRssBytes, 4 * 40 * MB);
  assert.deepEqual([...perTaskSeries(recorder.tasks)!.values], [42, 43, 44].map((m) => m * MB));
  // The charts read rssBytes: the PSS view swaps the figure in, the rows stay as recorded.
  const rows = [...samplesAs(recorder.samples, 'pss')];
  assert.equal(rows[0]!.rssBytes, 40 * MB / 2 + MB);
  assert.equal([...recorder.samples][0]!.rssBytes, 40 * MB);
});

test('a pool that only forks reads as growth on summed RSS and not on PSS', () => {
  const judge = (metric: 'rss' | 'pss') => {
    const recorder = runPool(metric, 60);
    return judgeRun(seriesOf(recorder.totals.series('allButEmptyExit'), perTaskSeries(recorder.tasks), null, false, metric));
  };
  const rss = judge('rss');
  const pss = judge('pss');
  assert.equal(rss.series, 'tree-rss');
  assert.equal(rss.status, 'leak');
  assert.equal(rss.bytesPerTask, 40 * MB);
  assert.equal(pss.series, 'tree-pss');
  // 1 MB a child of its own is real growth too (each child's private pages): PSS shows that much, not 40.
  assert.equal(pss.bytesPerTask, MB);
});

test('uss sums each process\'s private pages; rss recorders add no judged fields', () => {
  const uss = [...runPool('uss', 2).tasks];
  assert.equal(uss[1]!.treeUssAfterBytes, 3 * MB);
  assert.equal(uss[1]!.treePssAfterBytes, undefined);
  const rss = [...runPool('rss', 2).tasks];
  assert.equal('treePssAfterBytes' in rss[1]!, false);
  assert.equal(treeAfterBytes(rss[1]!), 3 * 40 * MB);
});
