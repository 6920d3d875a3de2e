import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PROBE = join(fileURLToPath(new URL('.', import.meta.url)), 'judge-memory-probe.js');

/**
 * Row 12: the final verdict reads every task of the run. Its working memory is a typed copy of
 * the series (16 B a task), the task-to-task changes (8 B) and the window's median (4 B): 28 B a
 * task measured. With plain arrays and a copy per step it was 113-125 B a task.
 */
const MAX_BYTES_PER_TASK = 48;

test('row 12: the final verdict over 200,000 tasks needs under 48 B a task of working memory', () => {
  const tasks = 200_000;
  const probe = spawnSync(process.execPath, ['--expose-gc', PROBE, String(tasks)], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(probe.status, 0, probe.stderr);
  const { status, addedBytes } = JSON.parse(probe.stdout) as { status: string; addedBytes: number };
  assert.equal(status, 'stable', 'a flat sawtooth reads stable');
  assert.ok(addedBytes / tasks < MAX_BYTES_PER_TASK, `the verdict added ${(addedBytes / tasks).toFixed(1)} B a task`);
});
