// A task's own process born for it (absent from the sample before its start): left out of the
// task's tree figures once gone at the next sample (an RQ work horse), kept when it stays (a
// pool's new child).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessReading } from '../../src/model.js';
import { Recorder } from '../../src/runner/recorder.js';

const MB = 1024 * 1024;
const WORKER = 10;

function proc(pid: number, rssMb: number): ProcessReading {
  return { pid, ppid: pid === WORKER ? 1 : WORKER, startTime: 500 + pid, command: 'rq worker', rssBytes: rssMb * MB, vmsBytes: 4 * rssMb * MB, peakRssBytes: rssMb * MB, fds: 4, threads: 1, state: 'S' };
}

const reading = (...processes: ProcessReading[]) => ({ processes, vanished: 0 });

test('a work horse per job, alive at each end: every figure is the worker alone, the horse gone by the next job', () => {
  const recorder = new Recorder(null);
  recorder.record(reading(proc(WORKER, 28)), 0, 'start', 0.1);
  for (let job = 1; job <= 4; job++) {
    const horse = 100 + job;
    // The worker reaped the previous horse before it forked this one, which then wrote `start`.
    const started = recorder.record(reading(proc(WORKER, 28), proc(horse, 25)), 10 * job, 'task-start', 0.1, { task: String(job) });
    recorder.taskStarted({ event: 'start', task: String(job), name: 'leaky', pid: horse, metrics: { rssBytes: 25 * MB } }, started, WORKER);
    const ended = recorder.record(reading(proc(WORKER, 28), proc(horse, 26)), 10 * job + 5, 'task-end', 0.1, { task: String(job) });
    const record = recorder.taskEnded({ event: 'end', task: String(job), ok: true, pid: horse, metrics: { rssBytes: 26 * MB } }, ended, WORKER);
    // Until the next sample the horse may yet stay: the record is listed, with it counted.
    assert.equal(record.treeRssAfterBytes, 54 * MB);
    assert.equal([...recorder.tasks].length, job);
  }
  recorder.record(reading(proc(WORKER, 28)), 100, 'exit', 0.1);
  const tasks = [...recorder.tasks];
  assert.deepEqual(tasks.map((t) => t.treeRssAfterBytes! / MB), [28, 28, 28, 28]);
  assert.deepEqual(tasks.map((t) => t.treeRssBeforeBytes! / MB), [28, 28, 28, 28]);
  assert.deepEqual(tasks.map((t) => t.treeDeltaBytes), [0, 0, 0, 0]);
  assert.deepEqual(tasks.map((t) => t.deltaBytes! / MB), [1, 1, 1, 1], 'the horse\'s own change is still its own');
  assert.equal(recorder.recentTasks.length, 4);
});

test('a pool child forked just before its first task, and staying, stays counted', () => {
  const recorder = new Recorder(null);
  recorder.record(reading(proc(WORKER, 30)), 0, 'start', 0.1);
  const child = 11;
  const started = recorder.record(reading(proc(WORKER, 30), proc(child, 30)), 5, 'task-start', 0.1, { task: '1' });
  recorder.taskStarted({ event: 'start', task: '1', name: 'job', pid: child }, started, WORKER);
  const ended = recorder.record(reading(proc(WORKER, 30), proc(child, 31)), 10, 'task-end', 0.1, { task: '1' });
  recorder.taskEnded({ event: 'end', task: '1', ok: true, pid: child }, ended, WORKER);
  const next = recorder.record(reading(proc(WORKER, 30), proc(child, 31)), 15, 'task-start', 0.1, { task: '2' });
  recorder.taskStarted({ event: 'start', task: '2', name: 'job', pid: child }, next, WORKER);
  const done = recorder.record(reading(proc(WORKER, 30), proc(child, 32)), 20, 'task-end', 0.1, { task: '2' });
  recorder.taskEnded({ event: 'end', task: '2', ok: true, pid: child }, done, WORKER);
  assert.deepEqual([...recorder.tasks].map((t) => t.treeRssAfterBytes! / MB), [61, 62]);
  assert.deepEqual([...recorder.tasks].map((t) => t.treeDeltaBytes! / MB), [1, 1]);
});

test('the worker itself is never born for a task, even when its first task comes before any sample saw it', () => {
  const recorder = new Recorder(null);
  recorder.record(reading(), 0, 'start', 0.1);
  const started = recorder.record(reading(proc(WORKER, 12)), 5, 'task-start', 0.1, { task: '1' });
  recorder.taskStarted({ event: 'start', task: '1', name: 'job', pid: WORKER }, started, WORKER);
  const ended = recorder.record(reading(proc(WORKER, 13)), 10, 'task-end', 0.1, { task: '1' });
  recorder.taskEnded({ event: 'end', task: '1', ok: true, pid: WORKER }, ended, WORKER);
  recorder.record(reading(), 20, 'exit', 0.1);
  assert.equal([...recorder.tasks][0]!.treeRssAfterBytes, 13 * MB);
});

test('a tick that catches the horse on its way out does not settle it; tasks stay in the order they ended', () => {
  const recorder = new Recorder(null);
  recorder.record(reading(proc(WORKER, 28)), 0, 'start', 0.1);
  const started = recorder.record(reading(proc(WORKER, 28), proc(101, 25)), 10, 'task-start', 0.1, { task: '1' });
  recorder.taskStarted({ event: 'start', task: '1', name: 'job', pid: 101 }, started, WORKER);
  const ended = recorder.record(reading(proc(WORKER, 28), proc(101, 26)), 20, 'task-end', 0.1, { task: '1' });
  recorder.taskEnded({ event: 'end', task: '1', ok: true, pid: 101 }, ended, WORKER);
  recorder.record(reading(proc(WORKER, 28), proc(101, 26)), 22, 'tick', 0.1);
  // The worker itself runs task 2 while horse 101 is still waiting to be settled.
  const second = recorder.record(reading(proc(WORKER, 28)), 30, 'task-start', 0.1, { task: '2' });
  recorder.taskStarted({ event: 'start', task: '2', name: 'job', pid: WORKER }, second, WORKER);
  const done = recorder.record(reading(proc(WORKER, 29)), 40, 'task-end', 0.1, { task: '2' });
  recorder.taskEnded({ event: 'end', task: '2', ok: true, pid: WORKER }, done, WORKER);
  assert.deepEqual([...recorder.tasks].map((t) => [t.task, t.treeRssAfterBytes! / MB]), [['1', 28], ['2', 29]]);
});

test('a process born for a task and still there a second after its end stays counted', () => {
  const recorder = new Recorder(null);
  recorder.record(reading(proc(WORKER, 28)), 0, 'start', 0.1);
  const started = recorder.record(reading(proc(WORKER, 28), proc(101, 25)), 10, 'task-start', 0.1, { task: '1' });
  recorder.taskStarted({ event: 'start', task: '1', name: 'job', pid: 101 }, started, WORKER);
  const ended = recorder.record(reading(proc(WORKER, 28), proc(101, 26)), 20, 'task-end', 0.1, { task: '1' });
  recorder.taskEnded({ event: 'end', task: '1', ok: true, pid: 101 }, ended, WORKER);
  recorder.record(reading(proc(WORKER, 28), proc(101, 26)), 1100, 'tick', 0.1);
  recorder.record(reading(proc(WORKER, 28)), 2100, 'tick', 0.1);
  assert.equal([...recorder.tasks][0]!.treeRssAfterBytes, 54 * MB);
  assert.equal(recorder.recentTasks.length, 1);
});

test('end lines read late, after the next horse was forked: neither horse counts', () => {
  const recorder = new Recorder(null);
  recorder.record(reading(proc(WORKER, 28)), 0, 'start', 0.1);
  // Job 1's end is read only once horse 101 has exited and the worker has forked horse 102.
  const started = recorder.record(reading(proc(WORKER, 28), proc(101, 23)), 10, 'task-start', 0.1, { task: '1' });
  recorder.taskStarted({ event: 'start', task: '1', name: 'job', pid: 101 }, started, WORKER);
  const ended = recorder.record(reading(proc(WORKER, 28), proc(102, 24)), 40, 'task-end', 0.1, { task: '1' });
  recorder.taskEnded({ event: 'end', task: '1', ok: true, pid: 101 }, ended, WORKER);
  const second = recorder.record(reading(proc(WORKER, 28), proc(102, 24)), 41, 'task-start', 0.1, { task: '2' });
  recorder.taskStarted({ event: 'start', task: '2', name: 'job', pid: 102 }, second, WORKER);
  const done = recorder.record(reading(proc(WORKER, 28), proc(103, 20)), 60, 'task-end', 0.1, { task: '2' });
  recorder.taskEnded({ event: 'end', task: '2', ok: true, pid: 102 }, done, WORKER);
  recorder.record(reading(proc(WORKER, 28)), 80, 'exit', 0.1);
  const tasks = [...recorder.tasks];
  assert.deepEqual(tasks.map((t) => t.treeRssAfterBytes! / MB), [28, 28]);
  assert.deepEqual(tasks.map((t) => t.treeRssBeforeBytes! / MB), [28, 28]);
});
