// What the live verdict reads during a watch: the latest LIVE_TASKS samples and tasks at most.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSeries } from '../../src/commands/watch-run.js';
import { LIVE_TASKS } from '../../src/runner/task-series.js';
import type { ProcessReading } from '../../src/model.js';
import { Recorder } from '../../src/runner/recorder.js';

const root: ProcessReading = {
  pid: 10, ppid: 1, startTime: 500, command: 'node worker.js', rssBytes: 50e6, vmsBytes: 4e8, peakRssBytes: 50e6, fds: 4, threads: 1,
};

function recorderWith(tasks: number): Recorder {
  const recorder = new Recorder(null);
  for (let i = 1; i <= tasks; i++) {
    const reading = { processes: [{ ...root, rssBytes: 50e6 + i }], vanished: 0 };
    recorder.taskStarted({ event: 'start', task: String(i) }, recorder.record(reading, i * 2, 'task-start', 0.01, { task: String(i) }), 10);
    recorder.taskEnded({ event: 'end', task: String(i) }, recorder.record(reading, i * 2 + 1, 'task-end', 0.01, { task: String(i) }), 10);
  }
  return recorder;
}

test('a short run is read whole', () => {
  const series = liveSeries(recorderWith(300), null);
  assert.equal(series.perTask!.values.length, 300);
  assert.equal(series.timeSeries.values.length, 600);
});

test('a long run is read from its latest samples and tasks only', () => {
  const tasks = LIVE_TASKS + 500;
  const series = liveSeries(recorderWith(tasks), null);
  assert.equal(series.perTask!.values.length, LIVE_TASKS);
  assert.equal(series.perTask!.values[0], 50e6 + 501, 'the first task read is task 501');
  assert.equal(series.timeSeries.values.length, LIVE_TASKS);
  const ms = series.timeSeries.ms;
  assert.equal(ms[ms.length - 1], tasks * 2 + 1);
});
