// The drift measure itself: a sampler that sleeps after each sample shows its accumulated
// lateness; random delays of single ticks, and a skipped tick, do not read as drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from '../../src/seeded-random.js';
import type { CsvRow } from './support.js';
import { tickTiming } from './tick-timing.js';

const rows = (times: number[]): CsvRow[] => times.map((ms, seq) => ({ event: 'tick', seq: String(seq), elapsed_ms: String(ms) }));

test('a sampler that falls 1 ms further behind at every tick drifts by about the run\'s tick count in ms', () => {
  const times = Array.from({ length: 30 }, (_, k) => 50 + k * 101);
  assert.equal(Math.round(tickTiming(rows(times), 100).driftMs), 29);
});

test('ticks delayed at random by up to 40 ms (seeded), and one skipped tick, read as no drift', () => {
  const random = mulberry32(7);
  const times = Array.from({ length: 31 }, (_, k) => 50 + k * 100 + (random() < 0.3 ? random() * 40 : random() * 2)).filter((_, k) => k !== 17);
  const timing = tickTiming(rows(times), 100);
  assert.ok(Math.abs(timing.driftMs) < 10, `drift ${timing.driftMs} ms`);
  assert.equal(timing.ticks, 30);
});
