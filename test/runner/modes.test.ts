import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunk, modeEnv, parseModes, tasksPerProcess } from '../../src/runner/modes.js';

test('modes parse in order, with several recycle:N', () => {
  const modes = parseModes('in-process, isolated,recycle:10,recycle:50,fork');
  assert.deepEqual(modes.map((m) => m.label), ['in-process', 'isolated', 'recycle:10', 'recycle:50', 'fork']);
  assert.deepEqual(modes.map((m) => tasksPerProcess(m, 100)), [100, 1, 10, 50, 100]);
  assert.deepEqual(modeEnv(modes[4]!), { LEAKHUNT_ISOLATE: 'fork' });
  assert.deepEqual(modeEnv(modes[0]!), {});
});

test('bad modes are usage errors', () => {
  assert.throws(() => parseModes('in-proc'), /unknown mode "in-proc"/);
  assert.throws(() => parseModes('recycle:0'), /unknown mode/);
  assert.throws(() => parseModes('isolated,isolated'), /listed twice/);
  assert.throws(() => parseModes(' , '), /no mode/);
});

test('chunk splits the task stream for each process', () => {
  assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
  assert.deepEqual(chunk([1, 2], 5), [[1, 2]]);
});
