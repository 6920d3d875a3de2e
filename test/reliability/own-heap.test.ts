// leakhunt never leaks itself: the CLI collects its own garbage every 10 s, right after a tick,
// so its RSS follows what is live rather than a sawtooth of promoted garbage (the 10-minute
// judgement of that RSS is `npm run soak`). Read here through V8's own GC trace: a forced
// collection is traced with the reason "testing".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, ROOT } from '../helpers/paths.js';

const FORCED_FULL_GC = /Mark-Compact.*testing/g;

test('a watch of 11 s runs exactly one forced full collection of its own heap', { timeout: 30_000 }, () => {
  const worker = [process.execPath, '-e', 'setTimeout(() => {}, 60_000)'];
  const run = spawnSync(process.execPath, ['--trace-gc', BIN, 'watch', '-q', '--interval', '20ms', '--duration', '11s', '--', ...worker], {
    cwd: ROOT, encoding: 'utf8', timeout: 25_000, env: { ...process.env, NO_COLOR: '1' },
  });
  assert.equal(run.signal, null, run.stderr);
  const forced = run.stdout.match(FORCED_FULL_GC) ?? [];
  assert.equal(forced.length, 1, run.stdout.slice(-2000));
});
