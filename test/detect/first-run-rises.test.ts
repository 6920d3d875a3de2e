// Rises that land on first runs of task types: uneven lumps (one import pulls in half a framework,
// the next a few KB) that a step fits best, told apart by where they land.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRandom } from '../../eval/prng.js';
import { judgeRun } from '../../src/detect/index.js';
import { firstRunRises } from '../../src/detect/first-run-rises.js';
import { KB, MB, taskRun } from './synthetic.js';

/**
 * 200 tasks, a new type every third task; memory rises at `riseAt` tasks by seeded, very uneven
 * lumps (a few 1-2 MB, most 8-40 KB), flat to the page otherwise.
 */
function lumpyRun(seed: number, riseAt: (task: number) => boolean): { values: number[]; firstRuns: number[] } {
  const random = createRandom(seed);
  const values: number[] = [];
  const firstRuns: number[] = [];
  let memory = 40 * MB;
  for (let task = 1; task <= 200; task++) {
    if (task % 3 === 1) firstRuns.push(task);
    if (riseAt(task) && random.next() < 0.4) memory += random.next() < 0.12 ? (1 + random.next()) * MB : (8 + 32 * random.next()) * KB;
    values.push(Math.ceil(memory / 4096) * 4096);
  }
  return { values, firstRuns };
}

test('uneven rises at first runs of types still arriving, +6% in 200 tasks: leak (new task types)', () => {
  for (const seed of [1, 2, 3]) {
    const { values, firstRuns } = lumpyRun(seed, (task) => task % 3 === 1);
    const run = taskRun(values);
    run.perTask!.firstRuns = firstRuns;
    const verdict = judgeRun(run);
    assert.equal(verdict.status, 'leak', `seed ${seed}: ${verdict.reason}`);
    assert.equal(verdict.reason, 'new task types (still arriving)');
    const rises = verdict.explanation?.newTypes?.rises;
    assert.ok(rises && rises.atFirstRuns === rises.count && rises.deltaBic >= 6, JSON.stringify(rises));
  }
});

test('the same lumps at repeats of types, not first runs, are not the new types\' to explain', () => {
  for (const seed of [1, 2, 3]) {
    const { values, firstRuns } = lumpyRun(seed, (task) => task % 3 === 2);
    const run = taskRun(values);
    run.perTask!.firstRuns = firstRuns;
    const verdict = judgeRun(run);
    assert.notEqual(verdict.explanation?.kind, 'new-task-types', `seed ${seed}`);
    assert.notEqual(verdict.status, 'leak', `seed ${seed}: ${verdict.reason}`);
  }
});

test('firstRunRises: counts rises above the noise, where they land, and the evidence', () => {
  const positions = Array.from({ length: 12 }, (_, i) => i + 1);
  //            1  2  3   4  5  6   7  8  9  10 11 12
  const kb = [0, 0, 0, 64, 64, 64, 96, 96, 96, 160, 160, 168];
  const values = kb.map((v) => 40 * MB + v * KB);
  const rises = firstRunRises(positions, values, [1, 4, 7, 10], 0)!;
  // Rises of 64, 32, 64 KB at tasks 4, 7, 10 (first runs) and 8 KB at 12 (a repeat).
  assert.deepEqual({ ...rises, deltaBic: Math.round(rises.deltaBic * 100) / 100 }, {
    // G = 2·[3·ln(3 / (4·3/11)) + 1·ln(1 / (4·8/11))] = 3.93, less ln 4 for the rate fitted.
    rises: 4, atFirstRuns: 3, chance: 3 / 11, bytesAtFirstRuns: 160 * KB, deltaBic: 2.55,
  });
  // Every task a new type: a rise at a first run is what chance gives, no evidence.
  assert.equal(firstRunRises(positions, values, positions, 0)!.deltaBic, 0);
  // No first run in the window: nothing to say.
  assert.equal(firstRunRises(positions, values, [1], 2), null);
});
