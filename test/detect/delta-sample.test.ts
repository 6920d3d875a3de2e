import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DELTA_BUDGET, DeltaSampler, keptDeltas, MIN_PER_TYPE } from '../../src/detect/delta-sample.js';
import { quantile } from '../../src/detect/stats.js';

function offer(counts: number[]): Float64Array[] {
  const sampler = new DeltaSampler();
  const samples = counts.map(() => sampler.open());
  const longest = Math.max(...counts);
  // Interleaved, as task types come in a run: the n-th delta of type t is n.
  for (let n = 0; n < longest; n++) samples.forEach((sample, t) => n < counts[t]! && sampler.add(sample, n));
  return samples.map((sample) => Float64Array.from(keptDeltas(sample)));
}

test('within the budget every delta is kept, in order', () => {
  const [a, b] = offer([100_000, DELTA_BUDGET - 100_000]);
  assert.equal(a!.length, 100_000);
  assert.equal(b!.length, DELTA_BUDGET - 100_000);
  assert.ok(a!.every((value, i) => value === i));
});

test('past the budget a type keeps a uniform sample of all it was offered', () => {
  const offered = 4 * DELTA_BUDGET;
  const [kept] = offer([offered]);
  assert.ok(kept!.length <= DELTA_BUDGET && kept!.length >= DELTA_BUDGET / 2, `${kept!.length} kept`);
  assert.equal(new Set(kept).size, kept!.length, 'no delta is kept twice');
  assert.ok(kept!.every((value) => Number.isInteger(value) && value >= 0 && value < offered));
  // Each quarter of the run (early deltas and late ones alike) holds a quarter of the sample.
  for (let quarter = 0; quarter < 4; quarter++) {
    const share = kept!.filter((value) => Math.floor((4 * value) / offered) === quarter).length / kept!.length;
    assert.ok(Math.abs(share - 0.25) < 0.01, `quarter ${quarter}: ${(100 * share).toFixed(2)}%`);
  }
  const median = quantile(kept!, 0.5);
  assert.ok(Math.abs(median / offered - 0.5) < 0.005, `median at ${((100 * median) / offered).toFixed(2)}% of the run`);
});

test('1,001 types share the budget, each keeping at least its floor', () => {
  const kept = offer(Array.from({ length: 1001 }, (_, t) => (t === 0 ? 20_000 : 300)));
  const total = kept.reduce((sum, sample) => sum + sample.length, 0);
  assert.ok(total <= DELTA_BUDGET, `${total} kept`);
  assert.ok(kept.every((sample) => sample.length >= MIN_PER_TYPE));
});

test('the same run keeps the same sample', () => {
  assert.deepEqual(offer([300_000, 5_000]), offer([300_000, 5_000]));
});
