// `watch --instrument` on real RQ workers (Debian's python3-rq) with a real Redis: boundaries from
// Worker.perform_job in the process that performs the job — the worker itself under SimpleWorker,
// a fresh work horse per job under Worker. The jobs are enqueued first and `rq worker --burst`
// runs them all and exits, so each run ends on its own.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RunResult, TaskRecord } from '../../src/model.js';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { DEBIAN_PYTHON, pythonHas, runTool, skipWithNotice } from '../helpers/frameworks.js';
import { fixture } from '../helpers/paths.js';
import { hasRedisServer, startRedis, type RedisServer } from '../helpers/redis.js';

const APP_DIR = fixture('frameworks');

if (!hasRedisServer()) skipWithNotice('RQ tests', 'redis-server is not installed');
else if (!pythonHas('rq', 'redis')) skipWithNotice('RQ tests', `${DEBIAN_PYTHON} cannot import rq and redis (python3-rq, python3-redis)`);
else {
  let redis: RedisServer;
  const files = tempDir('leakhunt-rq-');
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
    files.cleanup();
  });
  const env = (): NodeJS.ProcessEnv => ({ LEAKHUNT_REDIS_URL: redis.url, PYTHONPATH: APP_DIR });

  /** Enqueues the jobs, then watches a burst worker of that class run them. */
  async function burst(workerClass: string, json: string, count: string, ...jobs: string[]): Promise<{ report: RunResult; stderr: string }> {
    const enqueued = await runTool(DEBIAN_PYTHON, [`${APP_DIR}/enqueue_rq.py`, '--no-wait', count, ...jobs], { env: env(), timeoutMs: 20_000 });
    assert.equal(enqueued.code, 0, enqueued.stderr);
    const run = await leakhunt(
      ['watch', '--instrument', '-i', '100ms', '--json', json, '--', DEBIAN_PYTHON, '-m', 'rq.cli', 'worker', '--burst', '-q', '-w', workerClass, '--url', redis.url],
      { env: env(), timeoutMs: 60_000 },
    );
    assert.equal(run.code, 0, run.stderr);
    return { report: JSON.parse(readFileSync(json, 'utf8')) as RunResult, stderr: run.stderr };
  }

  test('RQ Worker: each job in its own work horse; a horse killed mid-job is recorded failed, nothing lost', async () => {
    const { report, stderr } = await burst('rq.worker.Worker', files.path('fork.json'), '6', 'leaky', 'steady', 'dies');
    const tasks = report.tasks as unknown as TaskRecord[];
    assert.equal(tasks.length, 18, stderr);
    const root = report.processes.find((p) => !report.processes.some((q) => q.pid === p.ppid))!.pid;
    const horses = new Set(tasks.map((t) => t.pid));
    assert.equal(horses.size, 18, 'one work horse per job');
    assert.ok(!horses.has(root));
    for (const task of tasks) {
      assert.notEqual(task.endMs, null, `task ${task.task} ended`);
      assert.equal(task.ok, task.name !== 'rq_jobs.dies', `${task.name} ${task.task}`);
    }
    for (const task of tasks.filter((t) => t.name === 'rq_jobs.dies')) assert.equal(task.rssAfterBytes, null, 'its horse is gone');
  });
}

if (hasRedisServer() && pythonHas('rq', 'redis')) {
  test('compare --variant: RQ SimpleWorker reads leak, the fork-per-job Worker does not', async () => {
    const redis = await startRedis();
    const files = tempDir('leakhunt-rq-compare-');
    try {
      const json = files.path('compare.json');
      const worker = `${DEBIAN_PYTHON} -m rq.cli worker -q --url ${redis.url}`;
      const run = await leakhunt([
        'compare', '--instrument', '-i', '100ms', '--json', json,
        '--load', `${DEBIAN_PYTHON} ${APP_DIR}/enqueue_rq.py 30 leaky steady`,
        '--variant', `simple=${worker} -w rq.worker.SimpleWorker`,
        '--variant', `fork=${worker} -w rq.worker.Worker`,
      ], { env: { LEAKHUNT_REDIS_URL: redis.url, PYTHONPATH: APP_DIR }, timeoutMs: 80_000 });
      assert.equal(run.code, 0, run.stderr);
      const modes = (JSON.parse(readFileSync(json, 'utf8')) as RunResult).modes!;
      assert.deepEqual(modes.map((m) => m.mode), ['simple', 'fork']);
      assert.equal(modes[0]!.verdict.status, 'leak', run.stderr);
      assert.notEqual(modes[1]!.verdict.status, 'leak', run.stderr);
      for (const mode of modes) assert.equal(mode.tasks.length, 60);
      const simple = [...modes[0]!.tasks];
      assert.deepEqual(new Set(simple.map((t) => t.name)), new Set(['rq_jobs.leaky', 'rq_jobs.steady']), 'named by the job\'s function');
      assert.ok(simple.every((t) => /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(t.task) && t.ok === true), 'ids are the job ids');
      assert.equal(new Set(simple.map((t) => t.pid)).size, 1, 'SimpleWorker runs every job in the worker itself');
      assert.equal(modes[1]!.reusedChild, undefined, 'a work horse runs one job');
      assert.match(run.stderr, /pass {2}fork does not grow/);
      // redis-py's pool sees the horse's new pid and opens its own connection: no fork hazard.
      assert.doesNotMatch(run.stderr, /socket\(s\)/);
    } finally {
      await redis.stop();
      files.cleanup();
    }
  });
}
