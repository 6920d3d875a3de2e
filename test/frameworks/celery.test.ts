// `watch --instrument` on a real Celery worker (Debian's python3-celery) with a real Redis broker:
// task boundaries come from Celery's own signals in the pool children that run the tasks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RunResult, TaskRecord } from '../../src/model.js';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { DEBIAN_PYTHON, pythonHas, skipWithNotice, watchWhileLoading } from '../helpers/frameworks.js';
import { fixture } from '../helpers/paths.js';
import { hasRedisServer, startRedis, type RedisServer } from '../helpers/redis.js';

const APP_DIR = fixture('frameworks');

/** The worker's own process: the one whose parent is not in the tree. */
function rootPid(report: RunResult): number {
  return report.processes.find((p) => !report.processes.some((q) => q.pid === p.ppid))!.pid;
}

if (!hasRedisServer()) skipWithNotice('Celery tests', 'redis-server is not installed');
else if (!pythonHas('celery', 'redis')) skipWithNotice('Celery tests', `${DEBIAN_PYTHON} cannot import celery and redis (python3-celery, python3-redis)`);
else {
  let redis: RedisServer;
  const files = tempDir('leakhunt-celery-');
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
    files.cleanup();
  });
  const env = (): NodeJS.ProcessEnv => ({ LEAKHUNT_REDIS_URL: redis.url, PYTHONPATH: APP_DIR });
  const worker = (...pool: string[]): string[] => [DEBIAN_PYTHON, '-m', 'celery', '-A', 'celery_tasks', 'worker', ...pool, '--loglevel=warning', '--without-gossip', '--without-mingle', '--without-heartbeat'];
  const enqueue = (...args: string[]) => ({ command: DEBIAN_PYTHON, args: [`${APP_DIR}/enqueue_celery.py`, ...args] });

  test('Celery prefork -c 2: tasks by their Celery names in the pool children, only the leaking type blamed, verdict leak', async () => {
    const json = files.path('prefork.json');
    const { leakhunt, load } = await watchWhileLoading(
      ['watch', '--instrument', '-i', '100ms', '--json', json, '--', ...worker('-P', 'prefork', '-c', '2')],
      enqueue('30', 'tasks.leaky', 'tasks.steady'),
      env(),
    );
    assert.equal(load.code, 0, load.stderr);
    assert.match(load.stdout, /done 60/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    const tasks = report.tasks as unknown as TaskRecord[];
    assert.equal(tasks.length, 60, leakhunt.stderr);
    assert.deepEqual(new Set(tasks.map((t) => t.name)), new Set(['tasks.leaky', 'tasks.steady']));
    for (const task of tasks) {
      assert.match(task.task, /^[0-9a-f]{8}-[0-9a-f]{4}-/, 'the id is Celery\'s task id');
      assert.equal(task.ok, true);
    }
    // Every task ran in one of the two pool children, never in the worker's main process.
    const root = rootPid(report);
    const children = new Set(tasks.map((t) => t.pid));
    assert.equal(children.size, 2, `task pids: ${[...children].join(', ')}`);
    for (const pid of children) {
      assert.notEqual(pid, root);
      assert.equal(report.processes.find((p) => p.pid === pid)?.ppid, root, 'a pool child of the worker');
    }
    assert.equal(report.verdict.status, 'leak', leakhunt.stderr);
    const leaky = report.attribution.find((a) => a.name === 'tasks.leaky');
    const steady = report.attribution.find((a) => a.name === 'tasks.steady');
    assert.equal(leaky?.kind, 'leak', JSON.stringify(report.attribution));
    assert.ok(leaky!.repeatBytesPerRun! > 512 * 1024, `leaky keeps ~1 MiB a run: ${leaky!.repeatBytesPerRun}`);
    assert.notEqual(steady?.kind, 'leak', JSON.stringify(report.attribution));
    assert.deepEqual(report.instrument?.hooked, [{ framework: 'celery', version: report.instrument!.hooked[0]!.version, processes: 1 }]);
    assert.match(leakhunt.stderr, /instrument: celery \S+ hooked in 1 process/);
    assert.match(leakhunt.stderr, /tasks\.leaky: \+[\d.]+ (KB|MB) every run \(leak\)/);
  });

  test('Celery: a pool child killed mid-task: that task is recorded failed, every other task kept', async () => {
    const json = files.path('killed.json');
    const { load } = await watchWhileLoading(
      ['watch', '--instrument', '-i', '100ms', '--json', json, '--', ...worker('-P', 'prefork', '-c', '1')],
      // Two deaths: Celery replaces a lost child only at its pool's next maintenance (up to 5 s).
      enqueue('2', 'tasks.steady', 'tasks.dies'),
      env(),
    );
    assert.equal(load.code, 0, load.stderr);
    const report = JSON.parse(readFileSync(json, 'utf8')) as RunResult;
    const tasks = report.tasks as unknown as TaskRecord[];
    assert.equal(tasks.length, 4);
    const dies = tasks.filter((t) => t.name === 'tasks.dies');
    assert.equal(dies.length, 2);
    for (const task of dies) {
      assert.equal(task.ok, false, 'reported lost by the worker\'s main process');
      assert.notEqual(task.endMs, null);
      assert.equal(task.rssAfterBytes, null, 'no after figure: its process is gone');
    }
    // The dead child's task keeps the dead child's pid: the end was reported for it, without one.
    const root = rootPid(report);
    for (const task of dies) assert.ok(task.pid !== null && task.pid !== root, `pid ${task.pid}`);
    assert.ok(tasks.filter((t) => t.name === 'tasks.steady').every((t) => t.ok === true));
  });

  test('compare --variant: Celery -P solo reads leak; prefork recycling its child every 10 tasks does not', async () => {
    const json = files.path('compare.json');
    const run = await leakhunt([
      'compare', '--instrument', '-i', '100ms', '--json', json,
      '--load', `${DEBIAN_PYTHON} ${APP_DIR}/enqueue_celery.py 25 tasks.leaky tasks.steady`,
      '--variant', `solo=${worker('-P', 'solo').join(' ')}`,
      '--variant', `recycle:10=${worker('-P', 'prefork', '-c', '1', '--max-tasks-per-child=10').join(' ')}`,
    ], { env: env(), timeoutMs: 100_000 });
    assert.equal(run.code, 0, run.stderr);
    const modes = (JSON.parse(readFileSync(json, 'utf8')) as RunResult).modes!;
    assert.deepEqual(modes.map((m) => m.mode), ['solo', 'recycle:10']);
    for (const mode of modes) assert.equal(mode.tasks.length, 50);
    assert.equal(modes[0]!.verdict.status, 'leak', run.stderr);
    assert.notEqual(modes[1]!.verdict.status, 'leak', run.stderr);
    // Solo runs every task in the worker itself; prefork in 5 children, 10 tasks each.
    const soloPids = new Set([...modes[0]!.tasks].map((t) => t.pid));
    const childPids = new Set([...modes[1]!.tasks].map((t) => t.pid));
    assert.equal(soloPids.size, 1);
    assert.equal(childPids.size, 5, `children: ${[...childPids].join(', ')}`);
    assert.match(run.stderr, /pass {2}recycle:10 does not grow/);
  });
}
