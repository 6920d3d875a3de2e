// A task's tree figures count its own process at the RSS that process read at the boundary
// (metrics.rssBytes), not at leakhunt's later sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessReading } from '../../src/model.js';
import { Recorder } from '../../src/runner/recorder.js';

const MB = 1024 * 1024;
const WORKER = 10;
const HELPER = 11;

function proc(pid: number, rssMb: number): ProcessReading {
  return {
    pid, ppid: pid === WORKER ? 1 : WORKER, startTime: 500 + pid, command: 'python3 worker.py',
    rssBytes: rssMb * MB, vmsBytes: 4 * rssMb * MB, peakRssBytes: rssMb * MB, fds: 4, threads: 1, state: 'S',
  };
}

function sample(recorder: Recorder, at: number, procs: ProcessReading[], event: 'task-start' | 'task-end', task: string) {
  return recorder.record({ processes: procs, vanished: 0 }, at, event, 0.1, { task });
}

test('a late end sample does not hold later tasks: the process counts at the RSS it reported', () => {
  const recorder = new Recorder(null);
  recorder.record({ processes: [proc(WORKER, 20), proc(HELPER, 5)], vanished: 0 }, 0, 'start', 0.1);
  const start = sample(recorder, 10, [proc(WORKER, 20), proc(HELPER, 5)], 'task-start', '1');
  recorder.taskStarted({ event: 'start', task: '1', pid: WORKER, metrics: { rssBytes: 20 * MB } }, start, WORKER);
  // The worker ran on: by the time the end line was read it had reached 23 MB.
  const end = sample(recorder, 20, [proc(WORKER, 23), proc(HELPER, 5)], 'task-end', '1');
  const record = recorder.taskEnded({ event: 'end', task: '1', ok: true, pid: WORKER, metrics: { rssBytes: 21 * MB } }, end, WORKER);
  assert.equal(record.rssAfterBytes, 21 * MB);
  assert.equal(record.treeRssBeforeBytes, 25 * MB);
  assert.equal(record.treeRssAfterBytes, 26 * MB);
  assert.equal(record.treeDeltaBytes, 1 * MB);
});

test('a process gone or tearing down at the end sample still counts at what it reported', () => {
  const recorder = new Recorder(null);
  recorder.record({ processes: [proc(WORKER, 20), proc(HELPER, 5)], vanished: 0 }, 0, 'start', 0.1);
  const start = sample(recorder, 10, [proc(WORKER, 20), proc(HELPER, 5)], 'task-start', '1');
  recorder.taskStarted({ event: 'start', task: '1', pid: WORKER, metrics: { rssBytes: 20 * MB } }, start, WORKER);
  const exiting = sample(recorder, 20, [proc(WORKER, 14), proc(HELPER, 5)], 'task-end', '1');
  const record = recorder.taskEnded({ event: 'end', task: '1', ok: true, pid: WORKER, metrics: { rssBytes: 20.5 * MB } }, exiting, WORKER);
  assert.equal(record.treeRssAfterBytes, 25.5 * MB);

  const start2 = sample(recorder, 30, [proc(HELPER, 5)], 'task-start', '2');
  recorder.taskStarted({ event: 'start', task: '2', pid: WORKER, metrics: { rssBytes: 20.5 * MB } }, start2, WORKER);
  const gone = sample(recorder, 40, [proc(HELPER, 5)], 'task-end', '2');
  const second = recorder.taskEnded({ event: 'end', task: '2', ok: true, pid: WORKER, metrics: { rssBytes: 21 * MB } }, gone, WORKER);
  assert.equal(second.treeRssAfterBytes, 26 * MB);
});

test('a child gone at its end sample is not counted at what it reported: its memory went with it', () => {
  const recorder = new Recorder(null);
  recorder.record({ processes: [proc(WORKER, 20), proc(HELPER, 5)], vanished: 0 }, 0, 'start', 0.1);
  const start = sample(recorder, 10, [proc(WORKER, 20), proc(HELPER, 5)], 'task-start', '1');
  recorder.taskStarted({ event: 'start', task: '1', pid: HELPER, metrics: { rssBytes: 5 * MB } }, start, WORKER);
  const end = sample(recorder, 20, [proc(WORKER, 20)], 'task-end', '1');
  const record = recorder.taskEnded({ event: 'end', task: '1', ok: true, pid: HELPER, metrics: { rssBytes: 6 * MB } }, end, WORKER);
  assert.equal(record.treeRssAfterBytes, 20 * MB);
  assert.equal(record.treeDeltaBytes, null, 'its process is gone: no figure for the task');
});

test('without a reported figure, or for a line that speaks for another process, the sample counts', () => {
  const recorder = new Recorder(null);
  recorder.record({ processes: [proc(WORKER, 20), proc(HELPER, 5)], vanished: 0 }, 0, 'start', 0.1);
  const start = sample(recorder, 10, [proc(WORKER, 20), proc(HELPER, 5)], 'task-start', '1');
  recorder.taskStarted({ event: 'start', task: '1', pid: WORKER }, start, WORKER);
  const end = sample(recorder, 20, [proc(WORKER, 23), proc(HELPER, 5)], 'task-end', '1');
  assert.equal(recorder.taskEnded({ event: 'end', task: '1', ok: true, pid: WORKER }, end, WORKER).treeRssAfterBytes, 28 * MB);
  // No pid: the line was written on behalf of another process, whose RSS it is not.
  const start2 = sample(recorder, 30, [proc(WORKER, 23), proc(HELPER, 5)], 'task-start', '2');
  recorder.taskStarted({ event: 'start', task: '2' }, start2, WORKER);
  const end2 = sample(recorder, 40, [proc(WORKER, 24), proc(HELPER, 5)], 'task-end', '2');
  assert.equal(recorder.taskEnded({ event: 'end', task: '2', ok: true, metrics: { rssBytes: 1 * MB } }, end2, WORKER).treeRssAfterBytes, 29 * MB);
});

test('under --metric pss the judged figure stays the sample\'s; only the tree RSS takes the reported figure', () => {
  const recorder = new Recorder(null);
  recorder.metric = 'pss';
  const pss = (p: ProcessReading, mb: number): ProcessReading => ({ ...p, pssBytes: mb * MB });
  recorder.record({ processes: [pss(proc(WORKER, 20), 12)], vanished: 0 }, 0, 'start', 0.1);
  const start = sample(recorder, 10, [pss(proc(WORKER, 20), 12)], 'task-start', '1');
  recorder.taskStarted({ event: 'start', task: '1', pid: WORKER, metrics: { rssBytes: 20 * MB } }, start, WORKER);
  const end = sample(recorder, 20, [pss(proc(WORKER, 23), 15)], 'task-end', '1');
  const record = recorder.taskEnded({ event: 'end', task: '1', ok: true, pid: WORKER, metrics: { rssBytes: 21 * MB } }, end, WORKER);
  assert.equal(record.treeRssAfterBytes, 21 * MB);
  assert.equal(record.treePssAfterBytes, 15 * MB);
});
