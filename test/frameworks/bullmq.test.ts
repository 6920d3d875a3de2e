// `watch --instrument` on real BullMQ workers (BullMQ from npm, a real Redis): jobs reported from
// Worker.callProcessJob for an inline processor, and from ChildProcessor inside BullMQ's sandbox
// children for a processor file — each child inherits the preload through NODE_OPTIONS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RunResult, TaskRecord } from '../../src/model.js';
import { tempDir } from '../helpers/exec.js';
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

  test('BullMQ inline processor: jobs by name and id in the worker process; the leak reads leak', async () => {
    const { report, stderr } = await watchWorker('inline', files.path('inline.json'), '30', 'leaky', 'steady');
    const tasks = report.tasks as unknown as TaskRecord[];
    assert.equal(tasks.length, 60, stderr);
    assert.deepEqual(new Set(tasks.map((t) => t.name)), new Set(['leaky', 'steady']));
    assert.deepEqual(tasks.map((t) => Number(t.task)).sort((a, b) => a - b), Array.from({ length: 60 }, (_, i) => i + 1), 'BullMQ\'s job ids');
    const root = rootOf(report);
    assert.ok(tasks.every((t) => t.pid === root && t.ok === true));
    assert.equal(report.verdict.status, 'leak', stderr);
    assert.match(stderr, /instrument: bullmq \S+ hooked in 1 process\b/);
  });

  test('BullMQ sandboxed processor: jobs run in the pool\'s reused child, whose own series grows', async () => {
    const { report, stderr } = await watchWorker('sandboxed', files.path('sandboxed.json'), '30', 'leaky', 'steady');
    const tasks = report.tasks as unknown as TaskRecord[];
    assert.equal(tasks.length, 60, stderr);
    const root = rootOf(report);
    const pids = new Set(tasks.map((t) => t.pid));
    assert.equal(pids.size, 1, 'one child, reused for every job');
    const [child] = pids;
    assert.notEqual(child, root);
    const summary = report.processes.find((p) => p.pid === child)!;
    assert.equal(summary.ppid, root);
    assert.ok(summary.growthBytes! > 80 * 1024 * 1024, `the child grew ${summary.growthBytes} bytes over 30 leaky jobs of 4 MiB`);
    assert.equal(report.verdict.status, 'leak', stderr);
    // The worker and its child each hooked BullMQ.
    assert.equal(report.instrument?.hooked[0]?.processes, 2);
  });

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
