import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adviseSpares, type SpareStart } from '../../src/commands/compare-spares.js';

/**
 * A run of `count` workers handed out every `turnMs`, each booting in `bootMs` and answering its
 * line in 1 ms once booted; spares are started `aheadMs` before they are handed out.
 */
function run(count: number, turnMs: number, bootMs: number, aheadMs: number): SpareStart[] {
  return Array.from({ length: count }, (_, i) => {
    const takenAtMs = 100 + i * turnMs;
    const warm = i > 0;
    const startedAtMs = warm ? takenAtMs - aheadMs : takenAtMs;
    const readyAtMs = startedAtMs + bootMs;
    return { warm, startedAtMs, takenAtMs, firstTaskStartMs: Math.max(takenAtMs, readyAtMs) + 1 };
  });
}

test('tasks that waited for a spare still booting point to one spare more', () => {
  // Boot 50 ms, a turn of 20 ms, spares started one turn ahead: each task waits 30 ms (31 with its answer).
  const advice = adviseSpares(run(12, 20, 50, 20), 1, 4);
  assert.deepEqual(advice && { ...advice, medianMs: Math.round(advice.medianMs) }, { kept: 1, better: 2, reason: 'waited', medianMs: 31, cycleMs: 20 });
});

test('spares that sat ready longer than a turn point to one spare fewer', () => {
  // Boot 10 ms, a turn of 20 ms, spares started three turns (60 ms) ahead: each sat ready 50 ms.
  const advice = adviseSpares(run(12, 20, 10, 60), 3, 4);
  assert.deepEqual(advice && { ...advice, medianMs: Math.round(advice.medianMs) }, { kept: 3, better: 2, reason: 'idle', medianMs: 50, cycleMs: 20 });
});

test('no advice when the spares were ready just in time, at the ceiling, or on thin evidence', () => {
  // Boot 30 ms, spares two turns (40 ms) ahead: ready 10 ms before use, less than a turn.
  assert.equal(adviseSpares(run(12, 20, 30, 40), 2, 4), null);
  // Waiting, but already at the most spares leakhunt keeps.
  assert.equal(adviseSpares(run(12, 20, 200, 80), 4, 4), null);
  // Idle, but one spare is the least there is.
  assert.equal(adviseSpares(run(12, 20, 10, 60), 1, 4), null);
  // Two warm workers say too little.
  assert.equal(adviseSpares(run(3, 20, 50, 20), 1, 4), null);
  assert.equal(adviseSpares([], 0, 4), null);
});
