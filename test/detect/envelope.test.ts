import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseBlockSize, gcPeriod, lowerEnvelope, upperEnvelope } from '../../src/detect/envelope.js';

test('block minima, aligned to the end of the series', () => {
  // 7 points in blocks of 3: the oldest point is left out, then [9 2 8] and [7 5 6]
  const envelope = lowerEnvelope([1, 2, 3, 4, 5, 6, 7], [0, 9, 2, 8, 7, 5, 6], 3);
  assert.deepEqual(envelope.values, [2, 5]);
  assert.deepEqual(envelope.positions, [3, 6]);
  assert.equal(envelope.blockSize, 3);
});

test('block size: ~30 blocks for long windows, ≥ 12 for short ones', () => {
  assert.equal(chooseBlockSize(1500), 50);
  assert.equal(chooseBlockSize(120), 4);
  assert.equal(chooseBlockSize(25), 2);
  assert.equal(chooseBlockSize(8), 1);
});

test('with a GC period, blocks span 1.25 periods even at the cost of blocks', () => {
  // period 40 → 50 points per block, though 1500/30 would also give 50
  assert.equal(chooseBlockSize(1500, 40), 50);
  // period 60 over a 300-point window: 75 per block (4 blocks), not 25
  assert.equal(chooseBlockSize(300, 60), 75);
});

test('the GC period is the median spacing of large falls', () => {
  // a sawtooth of period 10 (rising 1 MB per point, dropping 9 MB) with a little noise
  const values = Array.from({ length: 100 }, (_, i) => 100e6 + (i % 10) * 1e6 + ((i * 7919) % 13) * 1e3);
  assert.equal(gcPeriod(values), 10);
  // a steady rise has no falls at all
  assert.equal(gcPeriod(Array.from({ length: 100 }, (_, i) => i * 1e6 + ((i * 7919) % 13) * 1e3)), 0);
  // one isolated spike falls back, but a spike is not a collection
  const spiky = Array.from({ length: 100 }, (_, i) => (i === 50 ? 5e6 : 0) + ((i * 7919) % 13) * 1e3);
  assert.equal(gcPeriod(spiky), 0);
});

test('block maxima, aligned as the minima are', () => {
  const envelope = upperEnvelope([1, 2, 3, 4, 5, 6, 7], [0, 9, 2, 8, 7, 5, 6], 3);
  assert.deepEqual(envelope.values, [9, 7]);
  assert.deepEqual(envelope.positions, [2, 5]);
});
