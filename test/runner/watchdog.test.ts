// The watchdog's shell makes the boundary channel's FIFO: private (0600), a FIFO indeed, and a
// failure is an error rather than a silently missing channel. That the shell kills the worker's
// group when leakhunt is SIGKILLed is test/reliability/leakhunt-killed.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { tempDir } from '../helpers/exec.js';
import { makeFifo } from '../../src/runner/watchdog.js';

const skip = process.platform === 'win32' ? 'no /bin/sh' : false;

test('makeFifo makes a FIFO only its owner can open, two in turn through one shell', { skip }, async () => {
  const tmp = tempDir();
  try {
    const first = await makeFifo(tmp.path('a channel'));
    const second = await makeFifo(tmp.path('b\\channel'));
    for (const name of ['a channel', 'b\\channel']) {
      const info = statSync(tmp.path(name));
      assert.ok(info.isFIFO(), `${name} is a FIFO`);
      assert.equal(info.mode & 0o777, 0o600);
    }
    first.release();
    second.release();
  } finally {
    tmp.cleanup();
  }
});

test('makeFifo rejects when mkfifo fails, and the shell answers the next request', { skip }, async () => {
  const tmp = tempDir();
  try {
    await assert.rejects(makeFifo(tmp.path('missing/channel')), /mkfifo .* failed/);
    const hold = await makeFifo(tmp.path('channel'));
    assert.ok(statSync(tmp.path('channel')).isFIFO());
    hold.release();
  } finally {
    tmp.cleanup();
  }
});
