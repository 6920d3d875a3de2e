import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MinDecimator } from '../../src/series/decimate.js';
import { judgeRun } from '../../src/detect/index.js';
import type { TaskRecord } from '../../src/model.js';
import { perTaskSeries } from '../../src/runner/task-series.js';

/** Seeded noise in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

test('up to its capacity the decimator keeps every point as it came', () => {
  const kept = new MinDecimator(8);
  for (let i = 1; i <= 8; i++) kept.push(i, 100 - i, i * 10);
  const { positions, values, extra } = kept.view();
  assert.deepEqual([...positions], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual([...values], [99, 98, 97, 96, 95, 94, 93, 92]);
  assert.deepEqual([...extra], [10, 20, 30, 40, 50, 60, 70, 80]);
  assert.equal(kept.pointsPerKept, 1);
});

test('past its capacity each point is the lowest of its aligned group, with that point\'s position and column', () => {
  const next = random(7);
  const raw = Array.from({ length: 10_000 }, () => Math.round(next() * 1e6));
  const kept = new MinDecimator(256);
  raw.forEach((value, i) => kept.push(i + 1, value, 5 * i));
  const group = kept.pointsPerKept;
  assert.equal(group, 64, '10,000 points in at most 256: groups of 64');
  assert.equal(kept.length, Math.ceil(10_000 / 64));
  assert.equal(kept.rawLength, 10_000);
  assert.equal(kept.lastValue, raw[9_999]);
  const { positions, values, extra } = kept.view();
  for (let g = 0; g < kept.length; g++) {
    const members = raw.slice(g * group, (g + 1) * group);
    const lowest = Math.min(...members);
    const index: number = g * group + members.indexOf(lowest);
    assert.equal(values[g], lowest, `group ${g}`);
    assert.equal(positions[g], index + 1);
    assert.equal(extra[g], 5 * index);
  }
});

test('a capacity that cannot halve is refused', () => {
  assert.throws(() => new MinDecimator(3), RangeError);
});

/** Tasks ending every 2 ms with tree RSS 60 MB + slope·task + noise up to 256 KB (and a heap figure). */
function tasks(count: number, slope: number, seed: number): TaskRecord[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => ({
    task: String(i + 1), name: 't', startMs: 2 * i, endMs: 2 * i + 1, durationMs: 1, rssBeforeBytes: null, rssAfterBytes: null,
    deltaBytes: null, treeRssBeforeBytes: null, treeRssAfterBytes: 60e6 + slope * i + Math.round(next() * 262_144), treeDeltaBytes: null,
    metrics: { heapUsed: 8e6 + Math.round(next() * 8192) },
  }) as unknown as TaskRecord);
}

test('a decimated run reads the same verdict, slope and pace as the whole run', () => {
  for (const [slope, status] of [[1024, 'leak'], [0, 'stable']] as const) {
    const records = tasks(40_000, slope, 11);
    const whole = perTaskSeries(records, 65_536)!;
    const decimated = perTaskSeries(records, 4_096)!;
    assert.equal(whole.values.length, 40_000);
    assert.equal(decimated.values.length, 2_500, '40,000 tasks in groups of 16');
    assert.deepEqual([decimated.count, decimated.firstBytes, decimated.lastBytes], [whole.count, whole.firstBytes, whole.lastBytes]);
    assert.equal(decimated.heapPositions!.length, 2_500);
    const verdictOf = (series: typeof whole) => judgeRun({
      timeSeries: { ms: [], values: [] }, limit: null, currentBytes: null,
      perTask: { values: series.values, endMs: series.endMs, positions: series.positions! },
      heapPerTask: series.heapUsed!, heapPositions: series.heapPositions!,
    });
    const [a, b] = [verdictOf(whole), verdictOf(decimated)];
    assert.equal(a.status, status);
    assert.equal(b.status, status, `slope ${slope}: ${b.reason}`);
    if (slope > 0) {
      assert.ok(Math.abs(b.bytesPerTask! / a.bytesPerTask! - 1) < 0.02, `per task ${a.bytesPerTask} and ${b.bytesPerTask}`);
      // A task ends every 2 ms: 1.8 million tasks an hour, decimated or not.
      assert.ok(Math.abs(b.bytesPerHour! / (b.bytesPerTask! * 1.8e6) - 1) < 0.01, `per hour ${b.bytesPerHour}`);
    }
  }
});
