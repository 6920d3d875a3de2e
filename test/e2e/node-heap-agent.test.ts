// The Node heap agent through the built bin: a Node worker that writes raw channel lines with
// fs.writeSync (no helper) gets its heap after GC on every task, by default, with its leak in it,
// also from a loop that never turns its event loop; --no-node-heap leaves the figures out, and so
// does a write stream (it may write a line later than its task ended).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ProtocolStats, TaskRecord, Verdict } from '../../src/model.js';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';

interface Report {
  verdict: Verdict;
  tasks: TaskRecord[];
  protocol: ProtocolStats;
}

async function watch(extra: string[], worker: string[], tasks?: Array<{ task: string; name: string }>): Promise<{ report: Report }> {
  const tmp = tempDir();
  try {
    if (tasks) writeFileSync(tmp.path('tasks.jsonl'), tasks.map((t) => JSON.stringify(t)).join('\n') + '\n');
    const args = ['watch', '--quiet', '--interval', '500ms', ...extra, ...(tasks ? ['--tasks', tmp.path('tasks.jsonl')] : []), '--json', tmp.path('r.json'), '--', ...worker];
    const run = await leakhunt(args, { timeoutMs: 60_000 });
    assert.equal(run.code, 0, run.stderr);
    return { report: JSON.parse(readFileSync(tmp.path('r.json'), 'utf8')) as Report };
  } finally {
    tmp.cleanup();
  }
}

const heapOf = (task: TaskRecord): number | undefined => {
  const heap = task.metrics?.heapUsed;
  return typeof heap === 'number' ? heap : undefined;
};

/** 120 tasks: `keep` (16 KB kept on the heap) and `skip` (nothing kept), alternating. */
const alternating = Array.from({ length: 120 }, (_, i) => ({ task: String(i + 1), name: i % 2 === 0 ? 'keep' : 'skip' }));

test('a Node worker on raw channel lines gets its heap after GC at every task end, with its leak in it', async () => {
  const { report } = await watch([], ['node', fixture('raw-lines-worker.js')], alternating);
  assert.equal(report.tasks.length, 120);
  const heaps = report.tasks.map(heapOf);
  assert.ok(heaps.every((h) => h !== undefined), `${heaps.filter((h) => h === undefined).length} tasks without a heap figure`);
  // The agent's line is no malformed boundary; the figures say where they came from.
  assert.equal(report.protocol.malformed, 0);
  assert.equal(report.protocol.heapByAgent, 120);
  assert.ok(report.tasks.every((t) => t.metrics?.heapBy === 'agent'));
  // 60 `keep` runs of 16 KB: the heap after GC rises by about 8 KB a task, from the 20th to the last.
  const perTask = (heaps[119]! - heaps[19]!) / 100;
  assert.ok(perTask > 7 * 1024 && perTask < 11 * 1024, `${perTask} B/task`);
  // A `skip` task keeps nothing: the heap after it is within 4 KB of the `keep` task's before it.
  const skipDeltas = report.tasks.filter((t) => t.name === 'skip').map((t) => heapOf(t)! - heaps[Number(t.task) - 2]!);
  skipDeltas.sort((a, b) => a - b);
  assert.ok(Math.abs(skipDeltas[skipDeltas.length >> 1]!) < 4096, `median skip delta ${skipDeltas[skipDeltas.length >> 1]}`);
});

for (const [how, extra, writer] of [['--no-node-heap', ['--no-node-heap'], 'sync'], ['a write stream', [], 'stream']] as const) {
  test(`${how}: the worker's tasks carry no heap figure`, async () => {
    const { report } = await watch([...extra], ['node', fixture('raw-lines-worker.js'), writer], alternating.slice(0, 20));
    assert.equal(report.tasks.length, 20);
    assert.ok(report.tasks.every((t) => heapOf(t) === undefined));
    assert.equal(report.protocol.heapByAgent, undefined);
  });
}

test('a synchronous loop that writes with fs.writeSync still gets exact figures: they are added as each end is written', async () => {
  const { report } = await watch([], ['node', fixture('raw-lines-worker.js'), 'sync', 'busy', '60']);
  assert.equal(report.tasks.length, 60);
  const heaps = report.tasks.map(heapOf);
  assert.ok(heaps.every((h) => h !== undefined));
  const perTask = (heaps[59]! - heaps[9]!) / 50;
  assert.ok(perTask > 14 * 1024 && perTask < 20 * 1024, `${perTask} B/task`);
});

test('compare passes --no-node-heap to its modes as watch does', async () => {
  for (const [extra, expected] of [[[], true], [['--no-node-heap'], false]] as const) {
    const tmp = tempDir();
    try {
      writeFileSync(tmp.path('tasks.jsonl'), alternating.slice(0, 6).map((t) => JSON.stringify(t)).join('\n') + '\n');
      const args = ['compare', '--quiet', ...extra, '--modes', 'in-process,isolated', '--tasks', tmp.path('tasks.jsonl'), '--json', tmp.path('r.json'), '--', 'node', fixture('raw-lines-worker.js')];
      const run = await leakhunt(args, { timeoutMs: 60_000 });
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(readFileSync(tmp.path('r.json'), 'utf8')) as { modes: Array<{ mode: string; tasks: TaskRecord[] }> };
      for (const mode of report.modes) {
        assert.equal(mode.tasks.length, 6, mode.mode);
        assert.ok(mode.tasks.every((t) => (heapOf(t) !== undefined) === expected), `${mode.mode} ${extra.join(' ')}`);
      }
    } finally {
      tmp.cleanup();
    }
  }
});
