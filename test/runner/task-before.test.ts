// Which sample a task's "before" figures come from (Recorder.taskStarted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessReading } from '../../src/model.js';
import { Recorder } from '../../src/runner/recorder.js';

const MB = 1024 * 1024;

function tree(rssMb: number): { processes: ProcessReading[]; vanished: number } {
  const root: ProcessReading = {
    pid: 10, ppid: 1, startTime: 500, command: 'python3 worker.py',
    rssBytes: rssMb * MB, vmsBytes: 4 * rssMb * MB, peakRssBytes: rssMb * MB, fds: 4, threads: 1, state: 'S',
  };
  return { processes: [root], vanished: 0 };
}

function startTask(recorder: Recorder, task: string, rssMb: number, at: number): void {
  const snapshot = recorder.record(tree(rssMb), at, 'task-start', 0.1, { task });
  recorder.taskStarted({ event: 'start', task, name: 'job' }, snapshot, 10);
}

function endTask(recorder: Recorder, task: string, rssMb: number, at: number): void {
  const snapshot = recorder.record(tree(rssMb), at, 'task-end', 0.1, { task });
  recorder.taskEnded({ event: 'end', task, ok: true }, snapshot, 10);
}

/** A recorder whose worker has started at this RSS. */
function startedRecorder(rssMb: number): Recorder {
  const recorder = new Recorder(null);
  recorder.record(tree(rssMb), 0, 'start', 0.1);
  return recorder;
}

test('the first task is measured from its own start boundary, not from a worker still starting up', () => {
  const recorder = startedRecorder(0.2); // the bare fork, before exec
  recorder.record(tree(3), 5, 'tick', 0.1); // the interpreter half loaded
  startTask(recorder, '1', 13, 40);
  endTask(recorder, '1', 19, 60);
  const [first] = recorder.tasks;
  assert.equal(first!.rssBeforeBytes, 13 * MB);
  assert.equal(first!.deltaBytes, 6 * MB);
  assert.equal(first!.treeDeltaBytes, 6 * MB);
});

test('later tasks are measured from the sample before their start: the idle worker after the last end', () => {
  const recorder = startedRecorder(10);
  startTask(recorder, '1', 12, 10);
  endTask(recorder, '1', 20, 20);
  // Task 2's boundary sample already holds 1 MB of its own allocations.
  startTask(recorder, '2', 21, 30);
  endTask(recorder, '2', 25, 40);
  assert.equal([...recorder.tasks][1]!.rssBeforeBytes, 20 * MB);
  assert.equal([...recorder.tasks][1]!.deltaBytes, 5 * MB);
  // An idle tick between the two is just as good a "before".
  recorder.record(tree(24), 45, 'tick', 0.1);
  startTask(recorder, '3', 26, 50);
  endTask(recorder, '3', 26, 60);
  assert.equal([...recorder.tasks][2]!.rssBeforeBytes, 24 * MB);
});

test('a task that starts while another is open is measured from its own boundary', () => {
  const recorder = startedRecorder(10);
  startTask(recorder, '1', 10, 10);
  endTask(recorder, '1', 11, 20);
  startTask(recorder, '2', 11, 30);
  startTask(recorder, '3', 15, 35);
  assert.equal([...recorder.tasks][2]!.rssBeforeBytes, 15 * MB);
});
