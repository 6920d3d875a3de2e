// No significant trend under noise too wide to bound: `insufficient` with the growth the noise
// could hide, never `suspect`, however long the run; a trend the noise cannot hide still counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeRun } from '../../src/detect/index.js';
import { createRandom } from '../../eval/prng.js';
import { KB, MB, perTaskSeries, taskRun } from './synthetic.js';

/**
 * CPython's cyclic collector on 1 MB of cycles a task: 4 MB teeth every 12 tasks, each trough
 * somewhere in a 2 MB band (where the allocator's arenas fall), as measured on a real worker.
 */
function sawtooth(seed: number): (t: number) => number {
  const random = createRandom(seed);
  const troughs = Array.from({ length: 200 }, () => 2 * MB * random.next());
  return (t) => (t % 12) * ((4 * MB) / 12) + troughs[Math.floor(t / 12)]!;
}

test('a GC sawtooth whose troughs wander: no significant growth, and how much the noise could hide', () => {
  for (const [tasks, seed] of [[300, 31], [300, 35]] as const) {
    const verdict = judgeRun(taskRun(perTaskSeries(tasks, sawtooth(seed), 64 * KB, seed)));
    assert.equal(verdict.status, 'insufficient', `${tasks} tasks: ${verdict.reason}`);
    assert.match(verdict.reason, /^no significant growth, but the noise could hide up to \+\d+(\.\d)? KB\/task$/);
    const hidden = Number(/up to \+([\d.]+) KB/.exec(verdict.reason)![1]) * KB;
    assert.ok(Math.abs(hidden - verdict.bytesPerTaskCI![1]) <= 0.05 * KB, `${hidden} vs ${verdict.bytesPerTaskCI![1]}`);
  }
});

test('twice as long, the same noise bounds growth under 1% of the memory held: stable', () => {
  assert.equal(judgeRun(taskRun(perTaskSeries(600, sawtooth(32), 64 * KB, 32))).status, 'stable');
});

test('the same sawtooth over a 32 KB/task leak reads growth, not noise', () => {
  const verdict = judgeRun(taskRun(perTaskSeries(600, (t) => sawtooth(33)(t) + 32 * KB * t, 64 * KB, 33)));
  assert.equal(verdict.status, 'leak');
});

test('a time series without a trend tells the hidden growth per hour', () => {
  const teeth = sawtooth(34);
  const values = Array.from({ length: 200 }, (_, i) => 40 * MB + teeth(i));
  const verdict = judgeRun({ timeSeries: { ms: values.map((_, i) => i * 1000), values }, limit: null, currentBytes: values[199]! });
  assert.equal(verdict.status, 'insufficient');
  assert.match(verdict.reason, /could hide up to \+[\d.]+ [KM]B\/h$/);
});

/**
 * CPython's sawtooth as a real worker showed it: the peaks before each collection hold at the
 * allocator's high-water mark, while the troughs after it wander in a 3 MB band; a cycle that
 * starts higher reaches the peak sooner.
 */
function peakHeldSawtooth(seed: number, leakPerTask = 0): number[] {
  const random = createRandom(seed);
  const values: number[] = [];
  let level = 16 * MB;
  while (values.length < 300) {
    const peak = 22 * MB + leakPerTask * values.length;
    values.push(Math.floor(Math.min(level, peak) / 4096) * 4096);
    // The collection comes once the climb reaches the high-water mark.
    level = level >= peak ? peak - 6 * MB + 3 * MB * random.next() : level + 700 * KB;
  }
  return values;
}

test('a sawtooth whose peaks hold while its troughs wander: stable, told by the peaks', () => {
  const verdicts = [41, 42, 43, 44, 45, 46, 47, 48, 49, 50].map((seed) => judgeRun(taskRun(peakHeldSawtooth(seed))));
  // Random troughs show a chance trend at p < 0.05 in about 1 run in 20: those may stay undecided.
  const stable = verdicts.filter((verdict) => verdict.status === 'stable');
  assert.ok(stable.length >= 9, verdicts.map((verdict) => `${verdict.status}: ${verdict.reason}`).join(' | '));
  assert.ok(verdicts.every((verdict) => verdict.status !== 'leak' && verdict.status !== 'suspect'));
  // Where the troughs' own slope is small, they tell it; elsewhere the peaks do, and say so.
  assert.ok(stable.some((verdict) => /; the peaks before each collection hold level \(at most \S+ K?B\/task\)$/.test(verdict.reason)));
});

test('the same sawtooth with its peaks rising 16 KB a task is not stable', () => {
  for (const seed of [41, 42, 43, 44, 45, 46, 47, 48, 49, 50]) {
    const verdict = judgeRun(taskRun(peakHeldSawtooth(seed, 16 * KB)));
    assert.notEqual(verdict.status, 'stable', `seed ${seed}: ${verdict.reason}`);
  }
});
