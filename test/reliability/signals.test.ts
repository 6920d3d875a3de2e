// Fault matrix row 3: signals sent to leakhunt reach the worker exactly once, and Ctrl-C on a
// real terminal exits 130. test/e2e/watch.test.ts covers one worker process receiving TERM,
// INT, HUP, QUIT, USR1 and USR2; here the worker has a child in its group, which is where a
// relay that signals both the group and each member would deliver twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tempDir } from '../helpers/exec.js';
import { BIN, fixture } from '../helpers/paths.js';
import { node, startLeakhunt } from './support.js';

const skip = process.platform !== 'linux' ? 'the fault matrix runs on Linux' : false;

const lines = (path: string): string[] => (existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean) : []);

for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129], ['SIGQUIT', 131]] as const) {
  test(`row 3: ${signal} reaches the worker and its child once each; leakhunt exits ${code}`, { skip, timeout: 15_000 }, async () => {
    const tmp = tempDir();
    try {
      const run = startLeakhunt(['watch', '-q', '--interval', '50ms', '--', node, fixture('faults', 'signal-family.js'), tmp.dir]);
      await run.line(/^ready$/);
      run.child.kill(signal);
      const done = await run.finished;
      assert.equal(done.code, code, done.stderr);
      assert.deepEqual(lines(tmp.path('root.log')), [signal]);
      assert.deepEqual(lines(tmp.path('child.log')), [signal]);
    } finally {
      tmp.cleanup();
    }
  });
}

test('row 3: USR1 and USR2 go to the worker alone, once each; its child never sees them', { skip, timeout: 15_000 }, async () => {
  const tmp = tempDir();
  try {
    const run = startLeakhunt(['watch', '-q', '--interval', '50ms', '--', node, fixture('faults', 'signal-family.js'), tmp.dir]);
    await run.line(/^ready$/);
    for (const signal of ['SIGUSR1', 'SIGUSR2', 'SIGTERM'] as const) {
      run.child.kill(signal);
      // Apart, so each lands on its own (signals of one kind pending together would merge).
      await new Promise((r) => setTimeout(r, 200));
    }
    const done = await run.finished;
    assert.equal(done.code, 143, done.stderr);
    assert.deepEqual(lines(tmp.path('root.log')), ['SIGUSR1', 'SIGUSR2', 'SIGTERM']);
    assert.deepEqual(lines(tmp.path('child.log')), ['SIGTERM']);
  } finally {
    tmp.cleanup();
  }
});

test('row 3: Ctrl-C typed on a real terminal reaches the worker once; leakhunt exits 130', { skip, timeout: 30_000 }, () => {
  const tmp = tempDir();
  try {
    const log = tmp.path('signals.log');
    // The driver owns the pty and reports how leakhunt ended; it gives up by itself after 20 s.
    const driver = spawnSync('python3', [fixture('faults', 'pty-ctrl-c.py'), node, BIN, 'watch', '-q', '--interval', '50ms', '--', node, fixture('signal-echo.js'), log], {
      encoding: 'utf8',
      timeout: 25_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(driver.status, 0, driver.stderr);
    const outcome = JSON.parse(driver.stdout) as { code: number | null; sawReady: boolean; sentCtrlC: boolean; output: string };
    assert.ok(outcome.sentCtrlC, `never saw the worker ready: ${outcome.output}`);
    assert.equal(outcome.code, 130, outcome.output);
    assert.deepEqual(lines(log), ['SIGINT']);
  } finally {
    tmp.cleanup();
  }
});
