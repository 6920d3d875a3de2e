// Fault matrix row 10, the signalling side: a pid the tree once had, now reused by a stranger,
// is never signalled. The fake-/proc unit tests (test/sampler/linux-fake.test.ts) cover the
// reading side — EACCES on smaps_rollup gives a missing figure, not 0; a reused pid is never
// adopted; a comm of `x) Z 1 1 ` still parses its ppid. Here the real sampler's identity check
// (pid + start time) stands between terminate.ts and a real stranger process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createLinuxProcSampler } from '../../src/sampler/linux-proc.js';
import type { Sampler } from '../../src/sampler/types.js';
import { signalTree, terminateTree } from '../../src/runner/terminate.js';
import { alive, killAll, waitUntil } from './support.js';

const skip = process.platform !== 'linux' ? 'needs Linux /proc' : false;

/** The real sampler's identity check, with the member list of a tree that once had `pid`. */
function rememberingSampler(pid: number, startTime: number): Sampler {
  const real = createLinuxProcSampler({ rootPid: pid, children: false, metric: 'rss' });
  return {
    name: 'remembering',
    read: () => ({ processes: [], vanished: 0 }),
    members: () => [{ pid, startTime }],
    isSame: (p, s) => real.isSame(p, s),
    close: () => real.close(),
  };
}

test('row 10: a stranger on a pid the tree once had is never signalled; the real owner is', { skip, timeout: 10_000 }, async () => {
  const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
  const pid = stranger.pid!;
  try {
    const probe = createLinuxProcSampler({ rootPid: pid, children: false, metric: 'rss' });
    assert.ok(await waitUntil(() => probe.read().processes.length === 1, 2000), 'the stranger is up');
    const startTime = probe.read().processes[0]!.startTime;
    probe.close();

    // The tree's member started earlier than the process that now holds its pid: a reuse.
    const stale = rememberingSampler(pid, startTime - 1);
    signalTree({ pgid: null, sampler: stale }, 'SIGKILL');
    assert.equal(await terminateTree({ pgid: null, sampler: stale }, 100), 'exited', 'nothing of the tree is alive');
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(alive(pid), 'the stranger was signalled');
    stale.close();

    // Control: with the true start time it is the same process, and it is signalled.
    const same = rememberingSampler(pid, startTime);
    signalTree({ pgid: null, sampler: same }, 'SIGKILL');
    assert.ok(await waitUntil(() => !alive(pid), 2000), 'the real member is signalled');
    same.close();
  } finally {
    killAll([pid]);
  }
});
