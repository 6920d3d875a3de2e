import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BYTES_PER_SAMPLE, TreeTotals } from '../../src/runner/tree-totals.js';

test('totals grow past their first chunk and keep every value', () => {
  const totals = new TreeTotals();
  for (let i = 0; i < 10_000; i++) totals.push(i * 10, 1e6 + i * 4096, 2, 'tick');
  assert.equal(totals.length, 10_000);
  const { ms, values } = totals.series('allButEmptyExit');
  assert.equal(ms.length, 10_000);
  assert.deepEqual(ms.slice(4094, 4098), [40_940, 40_950, 40_960, 40_970]);
  assert.equal(ms[9999], 99_990);
  assert.equal(values[1234], 1e6 + 1234 * 4096);
  assert.equal(values[8192], 1e6 + 8192 * 4096);
  assert.equal(totals.lastBytes(), 1e6 + 9999 * 4096);
  assert.equal(totals.peakBytes(), 1e6 + 9999 * 4096);
  assert.deepEqual(totals.series('allButEmptyExit', 9998).values, [1e6 + 9998 * 4096, 1e6 + 9999 * 4096]);
});

test('memory grows one chunk at a time, never by doubling', () => {
  const totals = new TreeTotals();
  const held: number[] = [];
  for (let i = 1; i <= 4096 * 5; i++) {
    totals.push(i, i, 1, 'tick');
    if (i % 4096 === 1) held.push(totals.heldBytes());
  }
  assert.deepEqual(held, [1, 2, 3, 4, 5].map((n) => n * 4096 * BYTES_PER_SAMPLE));
  assert.equal(totals.heldBytes(), 5 * 4096 * BYTES_PER_SAMPLE);
});

test('series leave out the empty exit sample, or every empty sample', () => {
  const totals = new TreeTotals();
  totals.push(0, 100, 1, 'start');
  totals.push(10, 0, 0, 'tick'); // a gap between two isolated workers
  totals.push(20, 300, 2, 'task-end');
  totals.push(30, 0, 0, 'exit');
  assert.deepEqual(totals.series('allButEmptyExit'), { ms: [0, 10, 20], values: [100, 0, 300] });
  assert.deepEqual(totals.series('withProcesses'), { ms: [0, 20], values: [100, 300] });
  assert.equal(totals.peakBytes(), 300);
});

test('a series can start at a sample index (a negative one reads from the start)', () => {
  const totals = new TreeTotals();
  for (let i = 0; i < 10; i++) totals.push(i * 10, 100 + i, 1, 'tick');
  assert.deepEqual(totals.series('allButEmptyExit', 7), { ms: [70, 80, 90], values: [107, 108, 109] });
  assert.equal(totals.series('allButEmptyExit', -5).ms.length, 10);
});

test('no sample with a process has no peak', () => {
  const totals = new TreeTotals();
  assert.equal(totals.peakBytes(), null);
  assert.equal(totals.lastBytes(), null);
  totals.push(5, 0, 0, 'exit');
  assert.equal(totals.peakBytes(), null);
});
