// The verdict on real workers, through the built bin: a clean page-rounded leak, a flat worker with
// a noisy warm-up, real Django growing with new task types, and a Node helper worker without
// --expose-gc. Each reads what it is, with the explanation in the JSON and the summary.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { TaskRecord, Verdict } from '../../src/model.js';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';

const DEBIAN_PYTHON = '/usr/bin/python3';

/** The parts of the JSON report these tests read. */
interface Report {
  verdict: Verdict;
  tasks: TaskRecord[];
}

async function watch(tasks: string, worker: string[]): Promise<{ report: Report; stdout: string }> {
  const tmp = tempDir();
  try {
    const run = await leakhunt(['watch', '--interval', '500ms', '--tasks', tasks, '--json', tmp.path('r.json'), '--', ...worker], { timeoutMs: 90_000 });
    assert.equal(run.code, 0, run.stderr);
    return { report: JSON.parse(readFileSync(tmp.path('r.json'), 'utf8')) as Report, stdout: run.stdout + run.stderr };
  } finally {
    tmp.cleanup();
  }
}

const hasDjango = spawnSync(DEBIAN_PYTHON, ['-c', 'import django'], { stdio: 'ignore' }).status === 0;

test('case 1: a Python worker keeping 48 KB a task (page rounding its only noise) reads leak, per-run', async () => {
  const { report, stdout } = await watch('400', [DEBIAN_PYTHON, fixture('page-leak.py')]);
  assert.equal(report.verdict.status, 'leak', report.verdict.reason);
  assert.equal(report.verdict.explanation?.kind, 'per-run-leak');
  assert.ok(Math.abs(report.verdict.bytesPerTask! - 48 * 1024) < 4096, `${report.verdict.bytesPerTask}`);
  assert.match(stdout, /grows steadily with every task: \+4[78]\.\d KB per task/);
});

test('case 2: a worker flat to the byte after a noisy 30-task warm-up reads stable', async () => {
  const { report } = await watch('120', [DEBIAN_PYTHON, fixture('flat-after-warmup.py')]);
  assert.equal(report.verdict.status, 'stable', report.verdict.reason);
  assert.ok(report.verdict.statistic!.blocks >= 12, `${report.verdict.statistic!.blocks} blocks`);
});

if (hasDjango) {
  test('case 3: real Django loading code with each new task type reads leak (new task types) in-process', async () => {
    const { report, stdout } = await watch(fixture('tasks', 'django-types-100.jsonl'), [DEBIAN_PYTHON, fixture('django-task-types.py')]);
    const first = report.tasks[0]!.treeRssAfterBytes!;
    const last = report.tasks.at(-1)!.treeRssAfterBytes!;
    assert.ok(last > 1.3 * first, `grew from ${first} to ${last}`);
    assert.equal(report.verdict.status, 'leak', report.verdict.reason);
    assert.equal(report.verdict.reason, 'new task types (still arriving)');
    const types = report.verdict.explanation!.newTypes!;
    assert.equal(types.typesSeen, 41);
    assert.equal(types.stillArriving, true);
    assert.ok(types.firstRunShare > 0.8, `${types.firstRunShare}`);
    assert.match(stdout, /grows with each new task type: \+\d+\.\d KB per new type, .* per repeat; 41 types seen, new ones still arriving/);
  });
} else {
  console.log(`# NOTICE: ${DEBIAN_PYTHON} cannot import django — the Django verdict test is skipped (apt-get install python3-django)`);
  test('case 3: real Django with new task types', { skip: 'no django for /usr/bin/python3' }, () => {});
}

test('case 5: a Node helper worker without --expose-gc keeping ~190 KB per run of one type reads leak, with heap after GC', async () => {
  const { report } = await watch(fixture('tasks', 'three-types-200.jsonl'), [process.execPath, fixture('node-type-leak.js')]);
  assert.equal(report.verdict.status, 'leak', report.verdict.reason);
  // Heap after a full collection: each render_invoice run adds its 187.5 KB array, almost to the byte.
  const heap = report.tasks.filter((t) => t.name === 'render_invoice').map((t) => t.metrics!['heapUsed'] as number);
  const steps = heap.slice(1).map((h, i) => h - heap[i]!).sort((a, b) => a - b);
  const medianStep = steps[Math.floor(steps.length / 2)]!;
  assert.ok(Math.abs(medianStep - 192_000) < 8_000, `median heap step ${medianStep}`);
});
