import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PROBE = join(fileURLToPath(new URL('.', import.meta.url)), 'attribution-memory-probe.js');

function addedBytes(tasks: number, layout: 'one-process' | 'pid-per-task' = 'one-process'): number {
  const probe = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=1', PROBE, String(tasks), layout], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(probe.status, 0, probe.stderr);
  const result = JSON.parse(probe.stdout) as { leaking: string[]; addedBytes: number };
  assert.deepEqual(result.leaking, ['type-3'], `${tasks} tasks: the leaking type is named`);
  return result.addedBytes;
}

test('row 12: attribution memory does not grow with the task count past its budget', () => {
  // Both runs pass the 131,072 repeats that are kept exactly. Keeping every delta, 600,000 more
  // tasks cost ~8 B each plus the copies of a growing array: ~13 MiB more at the peak.
  const shorter = addedBytes(200_000);
  const longer = addedBytes(800_000);
  const MiB = 1024 * 1024;
  assert.ok(longer - shorter < 2 * MiB, `800,000 tasks peaked ${((longer - shorter) / MiB).toFixed(1)} MiB above 200,000`);
});

test('row 12: nor with a process per task (fork mode, RQ\'s work horses): what it keeps per process is bounded', () => {
  const shorter = addedBytes(200_000, 'pid-per-task');
  const longer = addedBytes(800_000, 'pid-per-task');
  const MiB = 1024 * 1024;
  assert.ok(longer - shorter < 2 * MiB, `800,000 tasks peaked ${((longer - shorter) / MiB).toFixed(1)} MiB above 200,000`);
});
