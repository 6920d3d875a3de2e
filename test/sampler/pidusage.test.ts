import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createPidusageSampler } from '../../src/sampler/pidusage.js';

test('pidusage: the root alone, RSS only, the rest missing; empty once the root is gone', { timeout: 10_000 }, async () => {
  const shell = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore', detached: true });
  const sampler = createPidusageSampler({ rootPid: shell.pid!, children: true, metric: 'pss' });
  try {
    const first = await sampler.read();
    assert.equal(first.processes.length, 1, 'children are not discovered by this backend');
    const root = first.processes[0]!;
    assert.equal(root.pid, shell.pid);
    assert.ok(root.rssBytes! > 0);
    assert.deepEqual([root.vmsBytes, root.peakRssBytes, root.fds, root.threads, root.pssBytes, root.ussBytes], [null, null, null, null, null, null]);
    const second = await sampler.read();
    assert.equal(second.processes[0]!.startTime, root.startTime);
    assert.deepEqual(sampler.members(), [{ pid: shell.pid, startTime: root.startTime }]);
    assert.equal(sampler.isSame(shell.pid!, root.startTime), true);
    assert.equal(sampler.isSame(shell.pid!, root.startTime + 5000), false);
    process.kill(-shell.pid!, 'SIGKILL');
    await once(shell, 'exit');
    assert.deepEqual((await sampler.read()).processes, []);
    assert.deepEqual(sampler.members(), []);
    assert.equal(sampler.isSame(shell.pid!, root.startTime), false);
  } finally {
    try {
      process.kill(-shell.pid!, 'SIGKILL');
    } catch {
      // already ended
    }
    sampler.close();
  }
});
