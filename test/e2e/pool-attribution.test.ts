// Attribution when the task's process is not the tree, through the built bin: a prefork pool of
// two running tasks at the same time, four threads of one process doing the same, and a task whose
// process is gone at its end sample.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';

const KB = 1024;

interface Report {
  tasks: Array<{ task: string; name: string; pid: number; deltaBytes: number | null; treeDeltaBytes: number | null }>;
  attribution: Array<{ name: string; runs: number; firstRunBytes: number | null; repeatBytesPerRun: number | null; retainedBytes: number; kind: string; overlappedShare?: number; ownBytesPerRunCI?: [number, number] }>;
}

async function watch(worker: string[]): Promise<{ report: Report; stderr: string; code: number | null }> {
  const tmp = tempDir();
  try {
    const run = await leakhunt(['watch', '--interval', '200ms', '--json', tmp.path('r.json'), '--', ...worker], { timeoutMs: 60_000 });
    const report = run.code === 0 ? (JSON.parse(readFileSync(tmp.path('r.json'), 'utf8')) as Report) : ({} as Report);
    return { report, stderr: run.stderr, code: run.code };
  } finally {
    tmp.cleanup();
  }
}

/** A fixture whose `store` keeps memory and `ping` does not: the run's checks, then the two types' entries. */
async function storeAndPing(name: string, arg: string, expected: { tasks: number; processes: number }) {
  const { report, stderr, code } = await watch(['python3', fixture(name), arg]);
  assert.equal(code, 0, stderr);
  assert.equal(report.tasks.length, expected.tasks);
  assert.equal(new Set(report.tasks.map((t) => t.pid)).size, expected.processes, 'the processes that ran the tasks');
  const entry = (type: string) => report.attribution.find((a) => a.name === type)!;
  return { store: entry('store'), ping: entry('ping'), stderr };
}

test('a pool of two running tasks at once: only the type that keeps memory is blamed', { timeout: 60_000 }, async () => {
  const { store, ping, stderr } = await storeAndPing('pool-one-type-leaks.py', '30', { tasks: 60, processes: 2 });
  assert.equal(store.kind, 'leak', JSON.stringify(store));
  assert.ok(store.repeatBytesPerRun! >= 240 * KB && store.repeatBytesPerRun! <= 320 * KB, JSON.stringify(store));
  assert.notEqual(ping.kind, 'leak', JSON.stringify(ping));
  assert.ok(Math.abs(ping.repeatBytesPerRun!) <= 8 * KB, `ping reads ~0 per repeat: ${JSON.stringify(ping)}`);
  assert.match(stderr, /store: \+\d+(\.\d)? KB every run \(leak\)/);
  assert.doesNotMatch(stderr, /ping: .*\(leak\)/);
});

test('threads of one process running tasks at once: each type is told apart from the tasks beside it', { timeout: 60_000 }, async () => {
  const { store, ping, stderr } = await storeAndPing('threads-one-type-leaks.py', '200', { tasks: 200, processes: 1 });
  for (const entry of [store, ping]) {
    assert.equal(entry.kind, 'shared', JSON.stringify(entry));
    assert.ok(entry.overlappedShare! >= 0.5, JSON.stringify(entry));
  }
  // store keeps a 64 KB bytearray a run (and the allocator's bookkeeping); ping keeps nothing.
  assert.ok(store.ownBytesPerRunCI![0] > 32 * KB && store.ownBytesPerRunCI![1] < 96 * KB, JSON.stringify(store));
  assert.ok(ping.ownBytesPerRunCI![0] < 8 * KB && ping.ownBytesPerRunCI![1] > -8 * KB, JSON.stringify(ping));
  assert.match(stderr, /store: \+[\d.]+ KB a run of its own \(95% CI [^)]*; leak\), told apart from its neighbours/);
  assert.doesNotMatch(stderr, /ping: .*leak/);
});

test('a task whose process is gone at its end sample has no figure, never a negative one', { timeout: 60_000 }, async () => {
  const { report, stderr, code } = await watch(['python3', fixture('child-gone-before-end.py'), '5']);
  assert.equal(code, 0, stderr);
  assert.equal(report.tasks.length, 5);
  for (const task of report.tasks) {
    assert.equal(task.deltaBytes, null, JSON.stringify(task));
    assert.equal(task.treeDeltaBytes, null, JSON.stringify(task));
  }
  const [job] = report.attribution;
  assert.equal(job!.firstRunBytes, null);
  assert.equal(job!.retainedBytes, 0);
  assert.doesNotMatch(stderr, /-\d+(\.\d)? MB/, 'no task reads minus its process\'s whole RSS');
});
