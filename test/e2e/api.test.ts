// The programmatic API returns the same RunResult the JSON report serialises.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, watch, REPORT_SCHEMA } from '../../src/index.js';
import { fixture } from '../helpers/paths.js';

test('watch() runs a worker and returns the run result', async () => {
  const result = await watch({ command: [process.execPath, '-e', 'setTimeout(() => process.exit(3), 300)'], interval: '50ms' });
  assert.equal(result.schema, REPORT_SCHEMA);
  assert.equal(result.exit.code, 3);
  assert.ok(result.samples.length >= 1);
  assert.match(result.processes[0]!.command, /process\.exit\(3\)/);
});

test('watch() with tasks records per-task memory', async () => {
  const tasks = [1, 2, 3, 4].map((n) => ({ task: String(n), name: n % 2 ? 'send_email' : 'build_report' }));
  const result = await watch({ command: [process.execPath, fixture('one-type-leaks.js')], tasks, interval: '100ms' });
  assert.equal(result.tasks.length, 4);
  assert.ok([...result.tasks].every((t) => t.ok === true && t.rssAfterBytes !== null));
  assert.deepEqual(result.attribution.map((a) => a.name).sort(), ['build_report', 'send_email']);
});

test('compare() returns one mode per requested mode, with gates', async () => {
  const result = await compare({ command: [process.execPath, fixture('one-type-leaks.js')], tasks: 4, modes: ['in-process', 'isolated'], interval: '100ms' });
  assert.deepEqual(result.modes!.map((m) => m.mode), ['in-process', 'isolated']);
  assert.ok(result.modes!.every((m) => m.tasks.length === 4));
  assert.ok(Array.isArray(result.gates));
});

test('watch() refuses both a command and a pid', async () => {
  await assert.rejects(() => watch({ command: ['true'], pid: process.pid }), /either command or pid/);
});

test('compare() with variants and a load: one mode per variant, named, the first the baseline', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const queue = mkdtempSync(join(tmpdir(), 'leakhunt-api-'));
  try {
    const worker = [process.execPath, fixture('queue-worker.js'), queue, 'inline'];
    const result = await compare({
      load: [process.execPath, fixture('queue-load.js'), queue, '3'],
      variants: [{ name: 'a', command: worker }, { name: 'b', command: worker, isolating: true }],
      interval: '100ms',
    });
    assert.deepEqual(result.modes!.map((m) => [m.mode, m.baseline, m.isolating, m.tasks.length, m.load?.exit.code]), [['a', true, false, 3, 0], ['b', false, true, 3, 0]]);
    await assert.rejects(compare({ variants: [{ name: 'a', command: worker }] }), /variants need load/);
  } finally {
    rmSync(queue, { recursive: true, force: true });
  }
});
