// Fault matrix rows 4, 5 and 13: no process of the worker's tree outlives leakhunt, and a held
// pipe never keeps leakhunt waiting. test/e2e/watch.test.ts covers the --duration path of row 4
// and the listing of row 5; these add the signal path, the timing of the grace period, and what
// the survivors receive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';
import { alive, killAll, node, readJson, startLeakhunt, waitUntil } from './support.js';

const skip = process.platform !== 'linux' ? 'the fault matrix runs on Linux' : false;

const GRACE_MS = 600;

test('row 4: TERM to leakhunt, a worker that ignores it: its tree gets TERM, the worker KILL after the grace period', { skip, timeout: 20_000 }, async () => {
  const run = startLeakhunt(['watch', '-q', '--interval', '50ms', '--kill-after', `${GRACE_MS}ms`, '--', node, fixture('tree.js'), 'root']);
  let pids: Record<string, number> = {};
  try {
    pids = JSON.parse(await run.line(/^\{.*grandchild/)) as Record<string, number>;
    const sentAt = performance.now();
    run.child.kill('SIGTERM');
    // The grandchild and child do not ignore TERM: they go at once, long before the grace ends.
    assert.ok(await waitUntil(() => !alive(pids.grandchild!) && !alive(pids.child!), GRACE_MS - 100), 'the descendants ended on TERM');
    assert.ok(alive(pids.root!), 'the worker ignores TERM and is still there inside the grace period');
    const done = await run.finished;
    const tookMs = performance.now() - sentAt;
    assert.equal(done.code, 137, done.stderr);
    assert.ok(tookMs >= GRACE_MS, `KILL came after the grace period (${Math.round(tookMs)} ms)`);
    for (const [role, pid] of Object.entries(pids)) assert.equal(alive(pid), false, `${role} ${pid} still alive`);
  } finally {
    killAll(Object.values(pids));
  }
});

test('row 5: background children left by a worker that exits 0 each get TERM once; leakhunt exits 0', { skip, timeout: 20_000 }, async () => {
  const tmp = tempDir();
  let pids: number[] = [];
  try {
    const log = tmp.path('signals.log');
    writeFileSync(log, '');
    const run = startLeakhunt(['watch', '-q', '--interval', '50ms', '--json', tmp.path('r.json'), '--', node, fixture('faults', 'bg-echoes.js'), log]);
    pids = JSON.parse(await run.line(/^\[/)) as number[];
    const done = await run.finished;
    assert.equal(done.code, 0, done.stderr);
    // signal-echo.js children append SIGTERM to the log as they receive it, then exit 143.
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), ['SIGTERM', 'SIGTERM']);
    for (const pid of pids) assert.equal(alive(pid), false);
    const report = readJson<{ exit: { code: number }; processes: Array<{ pid: number; leftover?: boolean }> }>(tmp.path('r.json'));
    assert.equal(report.exit.code, 0);
    assert.deepEqual(report.processes.filter((p) => p.leftover).map((p) => p.pid).sort(), [...pids].sort());
  } finally {
    killAll(pids);
    tmp.cleanup();
  }
});

/** The grandchild of hold-stdout.js prints "holder <pid>" on stderr. */
const holderPid = (stderr: string): number => Number(/holder (\d+)/.exec(stderr)?.[1]);

for (const markers of [false, true]) {
  test(`row 13: a grandchild holding the worker's stdout${markers ? ' (piped through leakhunt for --task-start)' : ''} does not keep leakhunt waiting`, { skip, timeout: 20_000 }, async () => {
    const flags = markers ? ['--task-start', '^TASK START'] : [];
    // --kill-after bounds the leftover grace: the holder ignores TERM, so only KILL ends it.
    const run = startLeakhunt(['watch', '-q', '--interval', '50ms', '--kill-after', '500ms', ...flags, '--', node, fixture('faults', 'hold-stdout.js')]);
    let holder = 0;
    try {
      const done = await run.finished;
      holder = holderPid(done.stderr);
      assert.equal(done.code, 3, done.stderr);
      assert.ok(holder > 0, done.stderr);
      // Bounded: a 500 ms grace and at most a 1 s wait for the pipes, plus start-up on a busy machine.
      assert.ok(done.ms < 6000, `ended after ${Math.round(done.ms)} ms`);
      if (!markers) return;
      // Piped: the holder sits in a session of its own, outside the tree leakhunt can see, so it
      // may outlive the run; what matters is that leakhunt itself did not wait for it.
    } finally {
      killAll(holder > 0 ? [holder] : []);
    }
  });
}
