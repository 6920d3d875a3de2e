// A forked child per task (compare's fork mode): the tasks' tree figures are the worker's alone,
// whether or not the boundary sample still caught the child of the moment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessReading } from '../../src/model.js';
import { Recorder } from '../../src/runner/recorder.js';

const MB = 1024 * 1024;

function proc(pid: number, rssMb: number): ProcessReading {
  return { pid, ppid: pid === 10 ? 1 : 10, startTime: 500 + pid, command: 'python3 worker.py', rssBytes: rssMb * MB, vmsBytes: 4 * rssMb * MB, peakRssBytes: rssMb * MB, fds: 4, threads: 1, state: 'S' };
}

/** Tasks 1..n, each in child 100+k; `alive` says whether the end sample still saw the child. */
function run(oneProcessPerTask: boolean, alive: boolean[]): number[] {
  const recorder = new Recorder(null);
  recorder.oneProcessPerTask = oneProcessPerTask;
  recorder.record({ processes: [proc(10, 14)], vanished: 0 }, 0, 'start', 0.1);
  alive.forEach((stillThere, k) => {
    const child = 101 + k;
    const task = String(k + 1);
    const started = recorder.record({ processes: [proc(10, 14), proc(child, 13)], vanished: 0 }, 10 * k + 1, 'task-start', 0.1, { task });
    recorder.taskStarted({ event: 'start', task, name: 'job', pid: child }, started, 10);
    const ended = recorder.record({ processes: stillThere ? [proc(10, 14), proc(child, 15)] : [proc(10, 14)], vanished: 0 }, 10 * k + 5, 'task-end', 0.1, { task });
    recorder.taskEnded({ event: 'end', task, ok: true, pid: child }, ended, 10);
  });
  return [...recorder.tasks].map((t) => t.treeRssAfterBytes! / MB);
}

test('the figure after each task is the worker without the child, caught alive or not', () => {
  const alive = [false, true, true, false, true, false];
  assert.deepEqual(run(true, alive), [14, 14, 14, 14, 14, 14]);
  // Without the mode's word, each child is born for its task and gone at the next sample: left
  // out just the same. Counted, it made the figures flip with timing alone (14, 29, 29, 14, …).
  assert.deepEqual(run(false, alive), [14, 14, 14, 14, 14, 14]);
});

test('the worker\'s own growth still shows, and a task\'s tree delta is the worker\'s change', () => {
  const recorder = new Recorder(null);
  recorder.oneProcessPerTask = true;
  recorder.record({ processes: [proc(10, 14)], vanished: 0 }, 0, 'start', 0.1);
  const started = recorder.record({ processes: [proc(10, 14), proc(101, 13)], vanished: 0 }, 1, 'task-start', 0.1, { task: '1' });
  recorder.taskStarted({ event: 'start', task: '1', name: 'job', pid: 101 }, started, 10);
  const ended = recorder.record({ processes: [proc(10, 16), proc(101, 20)], vanished: 0 }, 5, 'task-end', 0.1, { task: '1' });
  recorder.taskEnded({ event: 'end', task: '1', ok: true, pid: 101 }, ended, 10);
  const [task] = recorder.tasks;
  assert.equal(task!.treeRssAfterBytes, 16 * MB);
  assert.equal(task!.treeDeltaBytes, 2 * MB);
  assert.equal(task!.deltaBytes, 7 * MB, 'the child\'s own figure is still its own');
});
