import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTicker } from '../../src/runner/ticker.js';

test('ticks are due at origin + k·interval, so a slow tick does not push the next ones back', async () => {
  const dues: number[] = [];
  const ticker = startTicker(20, (due) => {
    dues.push(due);
    const until = performance.now() + 12; // a tick that takes most of the interval
    while (performance.now() < until);
  });
  await new Promise((r) => setTimeout(r, 430));
  ticker.stop();
  const steps = dues.slice(1).map((d, i) => d - dues[i]!);
  // Due times are exact multiples of the interval (skips would show as 40, 60, ...).
  for (const step of steps) assert.equal(Math.round(step) % 20, 0);
  assert.ok(dues.length >= 15, `expected ~20 ticks in 430 ms, got ${dues.length}`);
});
