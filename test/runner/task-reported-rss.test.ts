// A task's tree figures count its own process at the RSS that process read at the boundary
// (metrics.rssBytes), not at leakhunt's later sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ProcessReading } from '../../src/model.js';
import { MB, WORKER, end, proc, start, startedRecorder } from './recorder-steps.js';

const HELPER = 11;
/** A line from `pid` that reports the RSS its process read. */
const said = (pid: number, rssMb: number) => ({ pid, metrics: { rssBytes: rssMb * MB } });

test('a late end sample does not hold later tasks: the process counts at the RSS it reported', () => {
  const recorder = startedRecorder([proc(WORKER, 20), proc(HELPER, 5)]);
  start(recorder, '1', said(WORKER, 20), 10, [proc(WORKER, 20), proc(HELPER, 5)]);
  // The worker ran on: by the time the end line was read it had reached 23 MB.
  const record = end(recorder, '1', said(WORKER, 21), 20, [proc(WORKER, 23), proc(HELPER, 5)]);
  assert.equal(record.rssAfterBytes, 21 * MB);
  assert.equal(record.treeRssBeforeBytes, 25 * MB);
  assert.equal(record.treeRssAfterBytes, 26 * MB);
  assert.equal(record.treeDeltaBytes, 1 * MB);
});

test('a process gone or tearing down at the end sample still counts at what it reported', () => {
  const recorder = startedRecorder([proc(WORKER, 20), proc(HELPER, 5)]);
  start(recorder, '1', said(WORKER, 20), 10, [proc(WORKER, 20), proc(HELPER, 5)]);
  assert.equal(end(recorder, '1', said(WORKER, 20.5), 20, [proc(WORKER, 14), proc(HELPER, 5)]).treeRssAfterBytes, 25.5 * MB);
  start(recorder, '2', said(WORKER, 20.5), 30, [proc(HELPER, 5)]);
  assert.equal(end(recorder, '2', said(WORKER, 21), 40, [proc(HELPER, 5)]).treeRssAfterBytes, 26 * MB);
});

test('a child gone at its end sample is not counted at what it reported: its memory went with it', () => {
  const recorder = startedRecorder([proc(WORKER, 20), proc(HELPER, 5)]);
  start(recorder, '1', said(HELPER, 5), 10, [proc(WORKER, 20), proc(HELPER, 5)]);
  const record = end(recorder, '1', said(HELPER, 6), 20, [proc(WORKER, 20)]);
  assert.equal(record.treeRssAfterBytes, 20 * MB);
  assert.equal(record.treeDeltaBytes, null, 'its process is gone: no figure for the task');
});

test('without a reported figure, or for a line that speaks for another process, the sample counts', () => {
  const recorder = startedRecorder([proc(WORKER, 20), proc(HELPER, 5)]);
  start(recorder, '1', { pid: WORKER }, 10, [proc(WORKER, 20), proc(HELPER, 5)]);
  assert.equal(end(recorder, '1', { pid: WORKER }, 20, [proc(WORKER, 23), proc(HELPER, 5)]).treeRssAfterBytes, 28 * MB);
  // No pid: the line was written on behalf of another process, whose RSS it is not.
  start(recorder, '2', {}, 30, [proc(WORKER, 23), proc(HELPER, 5)]);
  assert.equal(end(recorder, '2', { metrics: { rssBytes: 1 * MB } }, 40, [proc(WORKER, 24), proc(HELPER, 5)]).treeRssAfterBytes, 29 * MB);
});

test('under --metric pss the judged figure stays the sample\'s; only the tree RSS takes the reported figure', () => {
  const pss = (p: ProcessReading, mb: number): ProcessReading => ({ ...p, pssBytes: mb * MB });
  const recorder = startedRecorder([pss(proc(WORKER, 20), 12)], (r) => {
    r.metric = 'pss';
  });
  start(recorder, '1', said(WORKER, 20), 10, [pss(proc(WORKER, 20), 12)]);
  const record = end(recorder, '1', said(WORKER, 21), 20, [pss(proc(WORKER, 23), 15)]);
  assert.equal(record.treeRssAfterBytes, 21 * MB);
  assert.equal(record.treePssAfterBytes, 15 * MB);
});
