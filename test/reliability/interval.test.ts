// Fault matrix row 18: a 100 ms interval holds on a loaded machine — the mean interval within
// 5%, and no drift (each tick is due at start + k·interval, so lateness does not add up, as it
// does in samplers that sleep after each sample). npm test runs 3 s with every core kept busy;
// the soak (npm run soak) runs the 30 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';
import { node, readCsv, startLeakhunt } from './support.js';
import { tickTiming } from './tick-timing.js';

const skip = process.platform !== 'linux' ? 'the fault matrix runs on Linux' : false;
const INTERVAL_MS = 100;

test('row 18: a 100 ms interval for 3 s with every core busy: mean interval within 5%, no drift', { skip, timeout: 30_000 }, async (t) => {
  const tmp = tempDir();
  // One busy loop per core, for a little longer than the run.
  const burners = Array.from({ length: availableParallelism() }, () => spawn(node, [fixture('faults', 'burn.js'), '6000'], { stdio: 'ignore' }));
  try {
    const run = await startLeakhunt(['watch', '-q', '--interval', `${INTERVAL_MS}ms`, '--duration', '3s', '--csv', tmp.path('s.csv'), '--', node, fixture('steady.js'), '60000']).finished;
    assert.equal(run.code, 0, run.stderr);
    const timing = tickTiming(readCsv(tmp.path('s.csv')), INTERVAL_MS);
    t.diagnostic(JSON.stringify(timing));
    assert.ok(timing.ticks >= 25, `${timing.ticks} ticks in 3 s`);
    assert.ok(Math.abs(timing.meanIntervalMs - INTERVAL_MS) <= INTERVAL_MS * 0.05, `mean interval ${timing.meanIntervalMs} ms`);
    // Drift: how much later than due the ticks fell over the run (a robust slope, see tick-timing.ts).
    assert.ok(Math.abs(timing.driftMs) < INTERVAL_MS * 0.1, `drift ${timing.driftMs} ms`);
  } finally {
    for (const burner of burners) burner.kill('SIGKILL');
    tmp.cleanup();
  }
});
