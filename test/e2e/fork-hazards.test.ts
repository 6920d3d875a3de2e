// The fork hazard check against real processes: a Redis connection opened before the fork and
// used in the task children is flagged; an ordinary fork-mode run (whose stdin, the task feed, is
// a socket every child inherits) is not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { leakhunt } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';

const REDIS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the port accepts connections; gives up after 10 s. */
async function accepting(port: number): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

if (!REDIS) {
  console.log('# NOTICE: redis-server not found — the shared-connection fork hazard test is skipped (apt-get install redis-server)');
}

test('a Redis connection opened in the worker and used in its forked task children is flagged', { skip: REDIS ? false : 'no redis-server found', timeout: 60_000 }, async () => {
  const port = await freePort();
  const redis: ChildProcess = spawn(REDIS!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  try {
    await accepting(port);
    const run = await leakhunt(['compare', '--tasks', '3', '--modes', 'fork', '-i', '50ms', '--', 'python3', fixture('shared-connection.py'), String(port)], { timeoutMs: 50_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`note: 1 socket\\(s\\) \\(tcp 127\\.0\\.0\\.1:${port}\\) open in both the worker \\(pid \\d+\\) and its forked task child`));
  } finally {
    const gone = new Promise((resolve) => redis.once('exit', resolve));
    if (redis.exitCode === null && redis.signalCode === null) {
      redis.kill('SIGKILL');
      await gone;
    }
  }
});

test('an ordinary fork-mode run reports no hazard: the task feed leakhunt gave the worker is not one', { timeout: 60_000 }, async () => {
  const run = await leakhunt(['compare', '--tasks', '3', '--modes', 'fork', '--', 'python3', fixture('one-type-leaks.py')], { timeoutMs: 50_000 });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /fork: 3\/3 tasks/);
  assert.doesNotMatch(run.stderr, /note:|socket/);
});
