import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ProcessReading } from '../../src/model.js';
import { ProcessLedger } from '../../src/runner/process-ledger.js';

function proc(pid: number, rssBytes: number, startTime = 1): ProcessReading {
  return { pid, ppid: 1, startTime, command: `p${pid}`, rssBytes, vmsBytes: 2 * rssBytes, peakRssBytes: null, fds: 3, threads: 1 };
}

test('a summary follows its process: first, last, peak, growth, sample count', () => {
  const ledger = new ProcessLedger();
  ledger.observe([proc(10, 1000)], 0);
  ledger.observe([proc(10, 5000)], 50);
  ledger.observe([{ ...proc(10, 3000), peakRssBytes: 7000 }], 100);
  const [summary] = ledger.list();
  assert.deepEqual(
    { first: summary!.firstRssBytes, last: summary!.lastRssBytes, peak: summary!.peakRssBytes, growth: summary!.growthBytes, samples: summary!.samples, lastMs: summary!.lastMs },
    { first: 1000, last: 3000, peak: 7000, growth: 2000, samples: 3, lastMs: 100 },
  );
});

test('a reused pid with a new start time is another process', () => {
  const ledger = new ProcessLedger();
  ledger.observe([proc(10, 1000, 1)], 0);
  ledger.observe([proc(10, 9000, 2)], 50);
  assert.deepEqual(ledger.list().map((s) => [s.pid, s.startTime, s.lastRssBytes]), [[10, 1, 1000], [10, 2, 9000]]);
});

test('past the cap the oldest exited summary makes room; live ones are never dropped', () => {
  const ledger = new ProcessLedger(3);
  // pid 1 lives throughout; pids 100.. each live for one sample.
  for (let i = 0; i < 10; i++) ledger.observe([proc(1, 500), proc(100 + i, 10)], i * 10);
  assert.equal(ledger.omitted, 8);
  assert.deepEqual(ledger.list().map((s) => s.pid), [1, 108, 109]);
  assert.equal(ledger.list()[0]!.samples, 10);
});

test('when every summary is of a live process, the cap bends rather than drop one', () => {
  const ledger = new ProcessLedger(2);
  ledger.observe([proc(1, 1), proc(2, 1), proc(3, 1)], 0);
  assert.equal(ledger.list().length, 3);
  assert.equal(ledger.omitted, 0);
  assert.deepEqual(ledger.markLeftovers([{ pid: 3, startTime: 1 }, { pid: 9, startTime: 1 }]).map((s) => s.pid), [3]);
  assert.equal(ledger.list()[2]!.leftover, true);
});

test('a leftover no sample caught while the worker lived is named from the orphans read at the end', () => {
  const ledger = new ProcessLedger();
  ledger.observe([proc(1, 500)], 0);
  const orphans = [proc(7, 300), proc(8, 400, 9)];
  const found = ledger.markLeftovers([{ pid: 7, startTime: 1 }, { pid: 8, startTime: 1 }], orphans, 60);
  // pid 8's orphan is another process (start time 9): never adopted.
  assert.deepEqual(found.map((s) => [s.pid, s.command, s.firstMs, s.lastRssBytes, s.leftover]), [[7, 'p7', 60, 300, true]]);
  assert.deepEqual(ledger.list().map((s) => s.pid), [1, 7]);
});

test('children forked with one command line share its text: a summary costs under 400 heap bytes', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Each child's command line is its own string, as the sampler decodes it from /proc/<pid>/cmdline.
  const child = (i: number): ProcessReading => ({
    ...proc(100_000 + i, 30_000_000 + i, 5_000_000 + i * 37),
    command: Buffer.from(`/usr/bin/node /srv/app/worker-child.js --queue default ${'--flag '.repeat(40)}`).toString('latin1'),
  });
  const ledger = new ProcessLedger();
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 4000; i++) {
    ledger.observe([child(i)], 1000.5 + i * 1000.25);
    ledger.observe([{ ...child(i), rssBytes: 30_004_096 + i }], 1050.75 + i * 1000.25);
  }
  gc();
  const perProcess = (process.memoryUsage().heapUsed - before) / 4000;
  // A 335-character command line: each summary held its own copy before (~600 B a summary);
  // shared, a summary is ~240 B. The margin absorbs other garbage the heap figure sees.
  assert.ok(perProcess < 400, `${perProcess.toFixed(0)} heap bytes per process`);
  assert.equal(ledger.list().length, 4000); // also keeps the ledger alive until the figure is read
});
