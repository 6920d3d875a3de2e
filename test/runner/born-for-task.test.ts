// A task's own process born for it (absent from the sample before its start): left out of the
// task's tree figures once gone at the next sample (an RQ work horse), kept when it stays (a
// pool's new child).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Recorder } from '../../src/runner/recorder.js';
import { MB, WORKER, end, proc, reading, start, startedRecorder } from './recorder-steps.js';

const figures = (recorder: Recorder, field: 'treeRssAfterBytes' | 'treeRssBeforeBytes'): number[] => [...recorder.tasks].map((t) => t[field]! / MB);

test('a work horse per job, alive at each end: every figure is the worker alone, the horse gone by the next job', () => {
  const recorder = startedRecorder([proc(WORKER, 28)]);
  for (let job = 1; job <= 4; job++) {
    const horse = 100 + job;
    // The worker reaped the previous horse before it forked this one, which then wrote `start`.
    start(recorder, String(job), { pid: horse, metrics: { rssBytes: 25 * MB } }, 10 * job, [proc(WORKER, 28), proc(horse, 25)]);
    const record = end(recorder, String(job), { pid: horse, metrics: { rssBytes: 26 * MB } }, 10 * job + 5, [proc(WORKER, 28), proc(horse, 26)]);
    // Until the next sample the horse may yet stay: the record is listed, with it counted.
    assert.equal(record.treeRssAfterBytes, 54 * MB);
    assert.equal([...recorder.tasks].length, job);
  }
  recorder.record(reading(proc(WORKER, 28)), 100, 'exit', 0.1);
  const tasks = [...recorder.tasks];
  assert.deepEqual(figures(recorder, 'treeRssAfterBytes'), [28, 28, 28, 28]);
  assert.deepEqual(figures(recorder, 'treeRssBeforeBytes'), [28, 28, 28, 28]);
  assert.deepEqual(tasks.map((t) => t.treeDeltaBytes), [0, 0, 0, 0]);
  assert.deepEqual(tasks.map((t) => t.deltaBytes! / MB), [1, 1, 1, 1], 'the horse\'s own change is still its own');
  assert.equal(recorder.recentTasks.length, 4);
});

test('a pool child forked just before its first task, and staying, stays counted', () => {
  const recorder = startedRecorder([proc(WORKER, 30)]);
  const child = { pid: 11 };
  start(recorder, '1', child, 5, [proc(WORKER, 30), proc(11, 30)]);
  end(recorder, '1', child, 10, [proc(WORKER, 30), proc(11, 31)]);
  start(recorder, '2', child, 15, [proc(WORKER, 30), proc(11, 31)]);
  end(recorder, '2', child, 20, [proc(WORKER, 30), proc(11, 32)]);
  assert.deepEqual(figures(recorder, 'treeRssAfterBytes'), [61, 62]);
  assert.deepEqual([...recorder.tasks].map((t) => t.treeDeltaBytes! / MB), [1, 1]);
});

test('the worker itself is never born for a task, even when its first task comes before any sample saw it', () => {
  const recorder = startedRecorder([]);
  start(recorder, '1', { pid: WORKER }, 5, [proc(WORKER, 12)]);
  end(recorder, '1', { pid: WORKER }, 10, [proc(WORKER, 13)]);
  recorder.record(reading(), 20, 'exit', 0.1);
  assert.deepEqual(figures(recorder, 'treeRssAfterBytes'), [13]);
});

test('a tick that catches the horse on its way out does not settle it; tasks stay in the order they ended', () => {
  const recorder = startedRecorder([proc(WORKER, 28)]);
  start(recorder, '1', { pid: 101 }, 10, [proc(WORKER, 28), proc(101, 25)]);
  end(recorder, '1', { pid: 101 }, 20, [proc(WORKER, 28), proc(101, 26)]);
  recorder.record(reading(proc(WORKER, 28), proc(101, 26)), 22, 'tick', 0.1);
  // The worker itself runs task 2 while horse 101 is still waiting to be settled.
  start(recorder, '2', { pid: WORKER }, 30, [proc(WORKER, 28)]);
  end(recorder, '2', { pid: WORKER }, 40, [proc(WORKER, 29)]);
  assert.deepEqual([...recorder.tasks].map((t) => [t.task, t.treeRssAfterBytes! / MB]), [['1', 28], ['2', 29]]);
});

test('a process born for a task and still there a second after its end stays counted', () => {
  const recorder = startedRecorder([proc(WORKER, 28)]);
  start(recorder, '1', { pid: 101 }, 10, [proc(WORKER, 28), proc(101, 25)]);
  end(recorder, '1', { pid: 101 }, 20, [proc(WORKER, 28), proc(101, 26)]);
  recorder.record(reading(proc(WORKER, 28), proc(101, 26)), 1100, 'tick', 0.1);
  recorder.record(reading(proc(WORKER, 28)), 2100, 'tick', 0.1);
  assert.deepEqual(figures(recorder, 'treeRssAfterBytes'), [54]);
  assert.equal(recorder.recentTasks.length, 1);
});

test('end lines read late, after the next horse was forked: neither horse counts', () => {
  const recorder = startedRecorder([proc(WORKER, 28)]);
  // Job 1's end is read only once horse 101 has exited and the worker has forked horse 102.
  start(recorder, '1', { pid: 101 }, 10, [proc(WORKER, 28), proc(101, 23)]);
  end(recorder, '1', { pid: 101 }, 40, [proc(WORKER, 28), proc(102, 24)]);
  start(recorder, '2', { pid: 102 }, 41, [proc(WORKER, 28), proc(102, 24)]);
  end(recorder, '2', { pid: 102 }, 60, [proc(WORKER, 28), proc(103, 20)]);
  recorder.record(reading(proc(WORKER, 28)), 80, 'exit', 0.1);
  assert.deepEqual(figures(recorder, 'treeRssAfterBytes'), [28, 28]);
  assert.deepEqual(figures(recorder, 'treeRssBeforeBytes'), [28, 28]);
});
