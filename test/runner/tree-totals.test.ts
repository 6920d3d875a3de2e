import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { BYTES_PER_SAMPLE, TreeTotals, type TimeSeries } from '../../src/runner/tree-totals.js';

const CHUNK_BYTES = 4096 * BYTES_PER_SAMPLE;

/** 10,000 samples (three chunks, two of them spilled when spilling) with values easy to check. */
/** A series' typed columns as plain arrays, to compare with literals. */
const plain = (series: TimeSeries) => ({ ms: [...series.ms], values: [...series.values] });

function filled(totals: TreeTotals): TreeTotals {
  for (let i = 0; i < 10_000; i++) totals.push(i * 10, 1e6 + i * 4096, 2, 'tick');
  return totals;
}

function assertEveryValueKept(totals: TreeTotals): void {
  assert.equal(totals.length, 10_000);
  const { ms, values } = totals.series('allButEmptyExit');
  assert.equal(ms.length, 10_000);
  assert.deepEqual([...ms.subarray(4094, 4098)], [40_940, 40_950, 40_960, 40_970]);
  assert.equal(ms[9999], 99_990);
  assert.equal(values[0], 1e6);
  assert.equal(values[1234], 1e6 + 1234 * 4096);
  assert.equal(values[8192], 1e6 + 8192 * 4096);
  assert.equal(totals.lastBytes(), 1e6 + 9999 * 4096);
  assert.equal(totals.peakBytes(), 1e6 + 9999 * 4096);
  assert.deepEqual([...totals.series('allButEmptyExit', 9998).values], [1e6 + 9998 * 4096, 1e6 + 9999 * 4096]);
  assert.deepEqual([...totals.series('allButEmptyExit', 4095).values.subarray(0, 2)], [1e6 + 4095 * 4096, 1e6 + 4096 * 4096]);
}

test('totals spilled to a temp file keep every value, read back in any order', () => {
  const totals = filled(new TreeTotals());
  assertEveryValueKept(totals);
  // Twice: the read-back chunk is reused, and a pass that starts in a later chunk reads an earlier one again.
  assertEveryValueKept(totals);
});

test('totals kept in memory keep every value', () => {
  assertEveryValueKept(filled(new TreeTotals({ spillDirectory: null })));
});

test('a directory that refuses a file leaves the totals in memory, every value kept', () => {
  const totals = filled(new TreeTotals({ spillDirectory: '/proc' }));
  assertEveryValueKept(totals);
  assert.equal(totals.heldBytes(), 3 * CHUNK_BYTES);
});

test('spilling, memory is three chunks from the start however long the run; in memory it grows a chunk at a time', () => {
  const spilled = new TreeTotals();
  const inMemory = new TreeTotals({ spillDirectory: null });
  const held: number[][] = [[], []];
  for (let i = 1; i <= 4096 * 6; i++) {
    spilled.push(i, i, 1, 'tick');
    inMemory.push(i, i, 1, 'tick');
    if (i % 4096 !== 1) continue;
    held[0]!.push(spilled.heldBytes() / CHUNK_BYTES);
    held[1]!.push(inMemory.heldBytes() / CHUNK_BYTES);
  }
  assert.deepEqual(held[0], [3, 3, 3, 3, 3, 3]);
  assert.deepEqual(held[1], [1, 2, 3, 4, 5, 6]);
  assert.equal(spilled.peakBytes(), 4096 * 6);
  assert.equal(spilled.heldBytes(), 3 * CHUNK_BYTES); // the two resident, and one read back for the peak
});

/** Where this process's descriptors point, for those that name a totals spill file. */
function spillTargets(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.includes('.leakhunt-totals-') ? [target] : [];
    } catch {
      return []; // the descriptor readdir itself used, closed since
    }
  });
}

test('the spill file is unlinked: no name in the temp directory, only a descriptor', { skip: process.platform !== 'linux' }, () => {
  const before = spillTargets().length;
  const totals = filled(new TreeTotals());
  const targets = spillTargets();
  assert.equal(targets.length, before + 1);
  assert.ok(targets.every((target) => target.endsWith(' (deleted)')), targets.join(', '));
  assert.equal(readdirSync(tmpdir()).filter((name) => name.startsWith('.leakhunt-totals-')).length, 0);
  assert.equal(totals.length, 10_000);
});

test('series leave out the empty exit sample, or every empty sample', () => {
  const totals = new TreeTotals();
  totals.push(0, 100, 1, 'start');
  totals.push(10, 0, 0, 'tick'); // a gap between two isolated workers
  totals.push(20, 300, 2, 'task-end');
  totals.push(30, 0, 0, 'exit');
  assert.deepEqual(plain(totals.series('allButEmptyExit')), { ms: [0, 10, 20], values: [100, 0, 300] });
  assert.deepEqual(plain(totals.series('withProcesses')), { ms: [0, 20], values: [100, 300] });
  assert.equal(totals.peakBytes(), 300);
});

test('a series can start at a sample index (a negative one reads from the start)', () => {
  const totals = new TreeTotals();
  for (let i = 0; i < 10; i++) totals.push(i * 10, 100 + i, 1, 'tick');
  assert.deepEqual(plain(totals.series('allButEmptyExit', 7)), { ms: [70, 80, 90], values: [107, 108, 109] });
  assert.equal(totals.series('allButEmptyExit', -5).ms.length, 10);
});

test('no sample with a process has no peak', () => {
  const totals = new TreeTotals();
  assert.equal(totals.peakBytes(), null);
  assert.equal(totals.lastBytes(), null);
  totals.push(5, 0, 0, 'exit');
  assert.equal(totals.peakBytes(), null);
});
