import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTicker } from '../../src/runner/ticker.js';

test('ticks are due at origin + k·interval, so a slow tick does not push the next ones back', async () => {
  const dues: number[] = [];
  const started = performance.now();
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
  // On a loaded machine the event loop may fire late; a late tick is then skipped and counted,
  // never lost: fired plus skipped covers the elapsed intervals.
  const elapsed = performance.now() - started;
  assert.ok(dues.length >= 2, `ticks fired: ${dues.length}`);
  assert.ok(dues.length + ticker.skipped >= Math.floor(elapsed / 20) - 3, `fired ${dues.length} + skipped ${ticker.skipped} in ${elapsed.toFixed(0)} ms`);
});
