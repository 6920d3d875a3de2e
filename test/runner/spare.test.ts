import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { createSparePool, MAX_SPARES, spareDepth } from '../../src/runner/spare.js';

const skip = process.platform === 'win32' ? 'the pool starts `cat` as its worker' : false;
const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

test('the depth follows start-up over task time, between 1 and MAX_SPARES', () => {
  assert.equal(spareDepth(0, 10), 1);
  assert.equal(spareDepth(25, 10), 3);
  assert.equal(spareDepth(500, 10), MAX_SPARES);
  assert.equal(spareDepth(5, 0), MAX_SPARES);
});

test('spares start only when asked, up to the depth and the processes still needed', { skip, timeout: 10_000 }, async () => {
  const pool = createSparePool({ command: 'cat', args: [], env: process.env, stdin: 'pipe', output: 'inherit' }, true);
  const started: ChildProcess[] = [];
  try {
    const first = pool.take();
    assert.equal(first.warm, false, 'nothing was waiting: started on the spot');
    started.push(await first.child);
    assert.equal(pool.most, 0, 'taking starts no spare');
    pool.replenish(5);
    assert.equal(pool.most, 1, 'depth 1 until a start-up is observed');
    pool.observe(30, 10);
    pool.replenish(2);
    assert.equal(pool.most, 2, 'depth 3, but only 2 processes are still needed');
    const second = pool.take();
    assert.equal(second.warm, true);
    assert.ok(second.startedAtMs <= performance.now());
    started.push(await second.child);
    const third = pool.take();
    assert.equal(third.warm, true);
    const spare = await third.child;
    started.push(spare);
    pool.replenish(0);
    const extra = pool.take();
    assert.equal(extra.warm, false, 'no spare was started for processes not needed');
    started.push(await extra.child);
    pool.dispose();
  } finally {
    for (const child of started) child.stdin?.end();
    await Promise.all(started.map(exited));
  }
});
