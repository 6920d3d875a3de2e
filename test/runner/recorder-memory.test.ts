// A long watch must not make leakhunt itself grow: the recorder keeps no object per sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ProcessReading } from '../../src/model.js';
import { Recorder } from '../../src/runner/recorder.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function reading(k: number): { processes: ProcessReading[]; vanished: number } {
  const processes = [10, 11, 12].map((pid) => ({
    pid, ppid: pid === 10 ? 1 : 10, startTime: 500 + pid, command: `python3 worker.py --id ${pid}`,
    rssBytes: 50_000_000 + ((k * 7919 + pid) % 900_000), vmsBytes: 400_000_000 + k, peakRssBytes: 51_000_000, fds: 9, threads: 2, state: 'S',
  }));
  return { processes, vanished: 0 };
}

test('recording 20,000 samples of a 3-process tree holds no per-sample objects on the heap', () => {
  const recorder = new Recorder(null);
  let k = 0;
  const record = (count: number): void => {
    for (const end = k + count; k < end; k++) recorder.record(reading(k), k * 50, 'tick', 0.05);
  };
  record(2000); // warm-up: code, the first growth of the totals
  gc();
  const before = process.memoryUsage().heapUsed;
  record(20_000);
  gc();
  const perSample = (process.memoryUsage().heapUsed - before) / 20_000;
  // Rows kept as objects cost ~1.7 KB a sample here (3 rows of ~570 B); totals live off-heap.
  assert.ok(perSample < 32, `${perSample.toFixed(1)} heap bytes per sample`);
  assert.equal(recorder.samples.length, 22_000 * 3);
  assert.equal(recorder.totals.length, 22_000);
  assert.equal(recorder.processSummaries().length, 3);
  assert.equal(recorder.processSummaries()[0]!.samples, 22_000);
});
