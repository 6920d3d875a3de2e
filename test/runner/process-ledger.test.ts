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

test('a process one reading missed and the next found again keeps its one summary', () => {
  const ledger = new ProcessLedger();
  ledger.observe([proc(1, 500), proc(2, 100)], 0);
  ledger.observe([proc(1, 500)], 10);
  ledger.observe([proc(1, 500)], 20);
  ledger.observe([proc(1, 500), proc(2, 300)], 30);
  for (let i = 4; i < 10; i++) ledger.observe([proc(1, 500)], i * 10);
  assert.deepEqual(ledger.list().map((s) => [s.pid, s.samples, s.firstRssBytes, s.lastRssBytes, s.lastMs]), [[1, 10, 500, 500, 90], [2, 2, 100, 300, 30]]);
  assert.equal(ledger.omitted, 0);
});

test('summaries of exited processes read back from disk equal those held in memory', () => {
  const onDisk = new ProcessLedger(50);
  const inMemory = new ProcessLedger(50, null);
  for (let i = 0; i < 200; i++) {
    // Three children at a time, each living three samples, one with a null figure and odd text.
    const processes = [proc(1, 1000 + i)];
    for (let k = Math.max(0, i - 2); k <= i; k++) {
      processes.push({ ...proc(100 + k, 10_000 + k * 7 + i, k), command: `child ${k} "quoted" \\ é`, rssBytes: k % 5 === 0 ? null : 10_000 + i });
    }
    onDisk.observe(processes, i * 50);
    inMemory.observe(processes, i * 50);
  }
  assert.deepEqual(onDisk.list(), inMemory.list());
  assert.equal(onDisk.list().length, 50);
  // The root first, the three children alive last, the latest 46 of the 197 that exited between.
  assert.deepEqual(onDisk.list().map((s) => s.pid), [1, ...Array.from({ length: 49 }, (_, k) => 251 + k)]);
  assert.equal(onDisk.omitted, 197 - 46);
  assert.equal(inMemory.omitted, onDisk.omitted);
});

test('a leftover whose summary already moved to disk is taken back, flagged, and listed once', () => {
  const ledger = new ProcessLedger();
  ledger.observe([proc(1, 500), proc(5, 50)], 0);
  for (let i = 1; i < 8; i++) ledger.observe([proc(1, 500)], i * 10); // 5 is missed long enough to retire
  const found = ledger.markLeftovers([{ pid: 5, startTime: 1 }], [], 80);
  assert.deepEqual(found.map((s) => [s.pid, s.leftover, s.lastRssBytes]), [[5, true, 50]]);
  assert.deepEqual(ledger.list().map((s) => [s.pid, s.leftover ?? false]), [[1, false], [5, true]]);
  assert.equal(ledger.omitted, 0);
});

test('forked children cost the heap almost nothing once they exit: their summaries are on disk', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Each child's command line is its own string, as the sampler decodes it from /proc/<pid>/cmdline.
  const child = (i: number): ProcessReading => ({
    ...proc(100_000 + i, 30_000_000 + i, 5_000_000 + i * 37),
    command: Buffer.from(`/usr/bin/node /srv/app/worker-child.js --queue default ${'--flag '.repeat(40)}`).toString('latin1'),
  });
  // A cap above the children seen: what is measured is the cost of summaries kept, not of those dropped.
  const ledger = new ProcessLedger(20_000);
  const root = proc(1, 50_000_000);
  ledger.observe([root], 0);
  const fork = (i: number): void => {
    ledger.observe([root, child(i)], 1000.5 + i * 1000.25);
    ledger.observe([root, { ...child(i), rssBytes: 30_004_096 + i }], 1050.75 + i * 1000.25);
  };
  // A first 500 children before measuring: the optimised code V8 compiles for this loop counts
  // in heapUsed too, and when it lands (later on a loaded machine) is no property of the ledger.
  for (let i = 0; i < 500; i++) fork(i);
  gc();
  const before = process.memoryUsage().heapUsed;
  // Enough children that the heap's own jitter (±300 KB between two readings here) is a few bytes each.
  for (let i = 500; i < 16_500; i++) fork(i);
  gc();
  const perProcess = (process.memoryUsage().heapUsed - before) / 16_000;
  // Held in memory, a summary with its shared command line was ~240 B; on disk, nothing stays
  // but the few children seen in the latest samples. The margin absorbs other garbage the heap sees.
  assert.ok(perProcess < 40, `${perProcess.toFixed(0)} heap bytes per process`);
  const listed = ledger.list(); // also keeps the ledger alive until the figure is read
  assert.equal(listed.length, 16_501);
  assert.deepEqual([listed[16_500]!.pid, listed[16_500]!.samples, listed[16_500]!.growthBytes], [116_499, 2, 4096]);
});
