// `watch --instrument` on real BullMQ workers (BullMQ from npm, a real Redis): jobs reported from
// Worker.callProcessJob for an inline processor, and from ChildProcessor inside BullMQ's sandbox
// children for a processor file — each child inherits the preload through NODE_OPTIONS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RunResult, TaskRecord } from '../../src/model.js';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { skipWithNotice, watchWhileLoading } from '../helpers/frameworks.js';
import { fixture, ROOT } from '../helpers/paths.js';
import { hasRedisServer, startRedis, type RedisServer } from '../helpers/redis.js';

const APP_DIR = fixture('frameworks');

function hasBullmq(): boolean {
  try {
    createRequire(`${ROOT}/package.json`).resolve('bullmq');
    return true;
  } catch {
    return false;
  }
}

if (!hasRedisServer()) skipWithNotice('BullMQ tests', 'redis-server is not installed');
else if (!hasBullmq()) skipWithNotice('BullMQ tests', 'bullmq is not installed (npm install)');
else {
  let redis: RedisServer;
  const files = tempDir('leakhunt-bullmq-');
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
    files.cleanup();
  });
  const env = (): NodeJS.ProcessEnv => ({ LEAKHUNT_REDIS_URL: redis.url });
  const enqueue = (...args: string[]) => ({ command: process.execPath, args: [`${APP_DIR}/bullmq-enqueue.cjs`, ...args] });

  async function watchWorker(how: 'inline' | 'sandboxed', json: string, ...load: string[]): Promise<{ report: RunResult; stderr: string }> {
    const { leakhunt, load: loaded } = await watchWhileLoading(
      ['watch', '--instrument', '-i', '100ms', '--json', json, '--', process.execPath, `${APP_DIR}/bullmq-worker.cjs`, how],
      enqueue(...load),
      env(),
    );
    assert.equal(loaded.code, 0, loaded.stderr);
    return { report: JSON.parse(readFileSync(json, 'utf8')) as RunResult, stderr: leakhunt.stderr };
  }

  const rootOf = (report: RunResult): number => report.processes.find((p) => !report.processes.some((q) => q.pid === p.ppid))!.pid;

  test('BullMQ sandboxed: a child killed mid-job has that job recorded failed, with the child\'s pid', async () => {
    const { report, stderr } = await watchWorker('sandboxed', files.path('dies.json'), '2', 'steady', 'dies');
    const tasks = report.tasks as unknown as TaskRecord[];
    assert.equal(tasks.length, 4, stderr);
    const root = rootOf(report);
    for (const task of tasks) {
      assert.notEqual(task.endMs, null);
      assert.equal(task.ok, task.name !== 'dies');
      assert.notEqual(task.pid, root, 'every job ran in a sandbox child');
    }
  });
}

if (hasRedisServer() && hasBullmq()) {
  test('compare --variant: BullMQ inline and sandboxed both read leak; the note says the sandbox child was reused', async () => {
    const redis = await startRedis();
    const files = tempDir('leakhunt-bullmq-compare-');
    try {
      const json = files.path('compare.json');
      const worker = `${process.execPath} ${APP_DIR}/bullmq-worker.cjs`;
      const run = await leakhunt([
        'compare', '--instrument', '-i', '100ms', '--json', json,
        '--load', `${process.execPath} ${APP_DIR}/bullmq-enqueue.cjs 30 leaky steady`,
        '--variant', `inline=${worker} inline`,
        '--variant', `sandboxed=${worker} sandboxed`,
        '--isolating', 'sandboxed',
      ], { env: { LEAKHUNT_REDIS_URL: redis.url }, timeoutMs: 80_000 });
      assert.equal(run.code, 1, 'the isolating variant still grows: its gate fails');
      const modes = (JSON.parse(readFileSync(json, 'utf8')) as RunResult).modes!;
      assert.deepEqual(modes.map((m) => [m.mode, m.verdict.status]), [['inline', 'leak'], ['sandboxed', 'leak']], run.stderr);
      const inline = [...modes[0]!.tasks];
      assert.deepEqual(new Set(inline.map((t) => t.name)), new Set(['leaky', 'steady']), 'named by the job\'s name');
      assert.equal(new Set(inline.map((t) => t.task)).size, 60, 'one id per job: BullMQ\'s job ids');
      assert.ok(inline.every((t) => /^\d+$/.test(t.task) && t.ok === true));
      assert.equal(new Set(inline.map((t) => t.pid)).size, 1, 'an inline processor runs in the worker itself');
      assert.equal(modes[1]!.instrument?.hooked[0]?.processes, 2, 'the worker and its sandbox child each hooked BullMQ');
      const reused = modes[1]!.reusedChild!;
      assert.equal(reused.tasks, 60);
      assert.equal(reused.children, 1);
      assert.ok(reused.growthBytes! > 80 * 1024 * 1024, `the child grew ${reused.growthBytes}`);
      // Its own series: the child's samples climb over the run.
      const childRows = [...modes[1]!.samples].filter((s) => s.pid === reused.pid);
      assert.ok(childRows.at(-1)!.rssBytes! - childRows[0]!.rssBytes! > 80 * 1024 * 1024);
      assert.match(run.stderr, new RegExp(`note: sandboxed ran its tasks in one child process, reused: pid ${reused.pid} ran 60 of them and grew [\\d.]+ MB\\. Running tasks in a subprocess did not isolate them`));
      assert.match(run.stderr, /FAIL {2}sandboxed does not grow/);
    } finally {
      await redis.stop();
      files.cleanup();
    }
  });
}
