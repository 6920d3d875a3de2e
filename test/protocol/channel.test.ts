import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { openChannel, type Channel } from '../../src/protocol/channel.js';
import type { BoundaryEvent } from '../../src/protocol/message.js';

function record(channel: Channel): BoundaryEvent[] {
  const events: BoundaryEvent[] = [];
  channel.onEvent((event) => events.push(event));
  return events;
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('timed out waiting');
    await delay(5);
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    }),
  );
}

test('a write from this process arrives at once, with a receive time', async () => {
  const channel = await openChannel();
  try {
    assert.equal(statSync(dirname(channel.path)).mode & 0o777, 0o700);
    assert.ok(statSync(channel.path).isFIFO());
    const times: number[] = [];
    const events = record(channel);
    channel.onEvent((_event, receivedAtMs) => times.push(receivedAtMs));
    const fd = openSync(channel.path, constants.O_WRONLY | constants.O_NONBLOCK);
    const sentAt = performance.now();
    writeSync(fd, '{"event":"start","task":1,"name":"a","pid":5}\n');
    closeSync(fd);
    await until(() => events.length === 1);
    assert.deepEqual(events, [{ event: 'start', task: '1', name: 'a', pid: 5 }]);
    assert.ok(times[0]! >= sentAt && times[0]! - sentAt < 1000);
  } finally {
    await channel.close();
  }
});

test('a POSIX shell can report boundaries with printf', async () => {
  const channel = await openChannel();
  try {
    const events = record(channel);
    const script = `printf '{"event":"start","task":"9","name":"sh"}\\n' > "$LEAKHUNT_CHANNEL"; printf '{"event":"end","task":"9","ok":true}\\n' > "$LEAKHUNT_CHANNEL"`;
    assert.equal(await run('sh', ['-c', script], { LEAKHUNT_CHANNEL: channel.path }), 0);
    await until(() => events.length === 2);
    assert.deepEqual(events, [
      { event: 'start', task: '9', name: 'sh' },
      { event: 'end', task: '9', ok: true },
    ]);
  } finally {
    await channel.close();
  }
});

test('two concurrent writers of near-4096-byte lines never interleave', async () => {
  const channel = await openChannel();
  try {
    const events = record(channel);
    const perWriter = 300;
    // Each line is padded to 4000 bytes, so torn writes would surely show as malformed lines.
    const writer = `
      const fs = require('node:fs');
      const fd = fs.openSync(process.env.LEAKHUNT_CHANNEL, 'a');
      for (let i = 0; i < ${perWriter}; i++) {
        const line = JSON.stringify({ event: 'end', task: process.env.W + '-' + i, name: 'x'.repeat(100), pad: 'p'.repeat(3800) });
        fs.writeSync(fd, line + '\\n');
      }`;
    const codes = await Promise.all(
      ['a', 'b'].map((w) => run(process.execPath, ['-e', writer], { LEAKHUNT_CHANNEL: channel.path, W: w })),
    );
    assert.deepEqual(codes, [0, 0]);
    await until(() => events.length === 2 * perWriter);
    assert.deepEqual(channel.stats(), { malformed: 0, oversized: 0 });
    for (const w of ['a', 'b']) {
      const mine = events.filter((e) => e.task.startsWith(`${w}-`)).map((e) => e.task);
      assert.deepEqual(mine, Array.from({ length: perWriter }, (_, i) => `${w}-${i}`));
    }
  } finally {
    await channel.close();
  }
});

test('garbage and oversized lines are counted, never fatal, and later lines still arrive', async () => {
  const channel = await openChannel();
  try {
    const events = record(channel);
    const fd = openSync(channel.path, constants.O_WRONLY | constants.O_NONBLOCK);
    writeSync(fd, 'garbage\n{"event":"nope","task":"1"}\n\n' + 'z'.repeat(5000) + '\n');
    // A 200 KB line in pieces, yielding so the reader drains the 64 KB pipe buffer.
    for (let i = 0; i < 50; i++) {
      writeSync(fd, 'q'.repeat(4000));
      await delay(1);
    }
    writeSync(fd, '\n{"event":"end","task":"ok"}\n');
    closeSync(fd);
    await until(() => events.length === 1);
    assert.deepEqual(events, [{ event: 'end', task: 'ok' }]);
    assert.deepEqual(channel.stats(), { malformed: 2, oversized: 2 });
  } finally {
    await channel.close();
  }
});

test('close delivers what is still buffered, then removes the FIFO and its directory', async () => {
  const channel = await openChannel();
  const events = record(channel);
  const fd = openSync(channel.path, constants.O_WRONLY | constants.O_NONBLOCK);
  writeSync(fd, '{"event":"end","task":"last"}\n');
  closeSync(fd);
  await channel.close(); // no await between the write and close: no 'data' event could run
  assert.deepEqual(events, [{ event: 'end', task: 'last' }]);
  assert.equal(existsSync(dirname(channel.path)), false);
  await channel.close();
});

test('the event loop keeps running while nothing is written', async () => {
  const channel = await openChannel();
  try {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    await delay(300);
    clearInterval(timer);
    // 30 ticks are due; a noisy machine may lose some, a blocked loop would give 0.
    assert.ok(ticks >= 10, `only ${ticks} ticks`);
  } finally {
    await channel.close();
  }
});
