import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attribute, describeAttribution } from '../../src/detect/index.js';
import type { TaskRecord } from '../../src/model.js';
import { seededRandom } from '../helpers/sample-run.js';

const KB = 1024;
const MB = 1024 * KB;

function task(name: string, index: number, treeDelta: number | null, delta: number | null = treeDelta): TaskRecord {
  return {
    task: String(index), name, pid: 1, startMs: index * 10, endMs: index * 10 + 5, durationMs: 5, ok: true,
    rssBeforeBytes: null, rssAfterBytes: null, deltaBytes: delta,
    treeRssBeforeBytes: null, treeRssAfterBytes: null, treeDeltaBytes: treeDelta,
  };
}

// A run of 40 rounds: build_report imports 38 MB once, send_email keeps 52 KB every time, ping
// moves a page either way, migrate runs once. Deltas carry a deterministic ±8 KB of noise.
function run(): TaskRecord[] {
  const tasks: TaskRecord[] = [];
  const noise = (i: number): number => (((i * 7919) % 5) - 2) * 4 * KB;
  for (let round = 0; round < 40; round++) {
    const i = tasks.length;
    tasks.push(task('build_report', i, (round === 0 ? 38 * MB : 0) + noise(i)));
    tasks.push(task('send_email', i + 1, 52 * KB + noise(i + 1)));
    tasks.push(task('ping', i + 2, noise(i + 2)));
  }
  tasks.push(task('migrate', tasks.length, 3 * MB));
  return tasks;
}

test('first runs apart from repeats: warm-up, leak, flat, single run', () => {
  const byName = new Map(attribute(run()).map((a) => [a.name, a]));
  assert.equal(byName.get('build_report')!.kind, 'warm-up');
  assert.equal(byName.get('build_report')!.runs, 40);
  assert.equal(byName.get('send_email')!.kind, 'leak');
  assert.equal(byName.get('send_email')!.repeatBytesPerRun, 52 * KB);
  assert.equal(byName.get('ping')!.kind, 'flat');
  assert.deepEqual(byName.get('migrate'), {
    name: 'migrate', runs: 1, firstRunBytes: 3 * MB, repeatBytesPerRun: null, retainedBytes: 3 * MB, kind: 'single-run',
  });
});

test('sorted by retained memory, largest first', () => {
  assert.deepEqual(attribute(run()).map((a) => a.name), ['build_report', 'migrate', 'send_email', 'ping']);
});

test('tree deltas are preferred; the worker delta is the fallback; missing deltas are skipped', () => {
  const [only] = attribute([task('a', 0, 10 * MB, 1), task('a', 1, null, 4 * KB), task('a', 2, null, null)]);
  assert.equal(only!.firstRunBytes, 10 * MB);
  assert.equal(only!.retainedBytes, 10 * MB + 4 * KB);
  assert.equal(only!.repeatBytesPerRun, 4 * KB);
});

test('one line per task type', () => {
  const lines = attribute(run()).map(describeAttribution);
  assert.deepEqual(lines.slice(0, 3), [
    'build_report: +38.0 MB on its first run (imports/warm-up), ~0 B per run after',
    'migrate: +3.0 MB on its only run',
    'send_email: +52.0 KB every run (leak)',
  ]);
  // ping's deltas, (i·7919 mod 5 − 2)·4 KB over i = 2, 5, …, 119, cancel out exactly
  assert.equal(lines[3], 'ping: no steady growth, 0 B over 40 runs');
});

test('a run past the exact budget: runs and retained memory exact, medians within 1 KB of the exact ones', () => {
  // 400,000 tasks in five types with ±16 KB of seeded noise: 2.5 times the repeats kept exactly.
  const random = seededRandom(99);
  const noise = (): number => Math.round((random() - 0.5) * 32 * KB);
  const plan: Record<string, (run: number) => number> = {
    import_once: (run) => (run === 0 ? 30 * MB : 0) + noise(),
    leaks: () => 48 * KB + noise(),
    flat_a: () => noise(),
    flat_b: () => noise(),
    slow_leak: () => 8 * KB + noise(),
  };
  const names = Object.keys(plan);
  const deltas = new Map(names.map((name) => [name, [] as number[]]));
  const tasks = function* (): Generator<TaskRecord> {
    for (let i = 0; i < 400_000; i++) {
      const name = names[i % names.length]!;
      const delta = plan[name]!(deltas.get(name)!.length);
      deltas.get(name)!.push(delta);
      yield task(name, i, delta);
    }
  };
  const byName = new Map(attribute(tasks()).map((a) => [a.name, a]));
  for (const name of names) {
    const all = deltas.get(name)!;
    const got = byName.get(name)!;
    assert.equal(got.runs, all.length);
    assert.equal(got.retainedBytes, all.reduce((sum, d) => sum + d, 0));
    const exact = all.slice(1).sort((a, b) => a - b)[(all.length - 2) / 2]!;
    assert.ok(Math.abs(got.repeatBytesPerRun! - exact) < KB, `${name}: median ${got.repeatBytesPerRun} against ${exact}`);
  }
  assert.deepEqual(names.map((name) => byName.get(name)!.kind), ['warm-up', 'leak', 'flat', 'flat', 'leak']);
});

test('a stable run under a GC sawtooth: runs that add their garbage and a run that meets the collection keep nothing', () => {
  // 11 runs add 700 KB of garbage each, the 12th meets the collector and gives 7.7 MB back.
  const tasks = Array.from({ length: 240 }, (_, i) => task('build_tree', i, (i + 1) % 12 === 0 ? -7700 * KB : 700 * KB));
  const [entry] = attribute(tasks, { runStable: true });
  assert.equal(entry!.kind, 'flat');
  assert.match(describeAttribution(entry!), /^build_tree: no steady growth/);
  // Where the run's memory grows, another type's garbage may be collected during a leaking type's
  // runs: the median of the repeats still tells.
  assert.equal(attribute(tasks)[0]!.kind, 'leak');
  // Runs that keep their 700 KB (no collection gives it back) are a leak in any run.
  const kept = Array.from({ length: 240 }, (_, i) => task('build_tree', i, (i + 1) % 12 === 0 ? -4 * KB : 700 * KB));
  assert.equal(attribute(kept, { runStable: true })[0]!.kind, 'leak');
});

test('repeats that mostly ran beside other tasks of the same process are shared, not a leak', () => {
  // Two at a time in pid 7, alternating types: each task starts before the previous one ends, and
  // every row holds the same mix, so the types cannot be told apart: no figure of their own.
  const overlapping = Array.from({ length: 40 }, (_, i) => ({ ...task(i % 2 ? 'ping' : 'store', i, 52 * KB), pid: 7, startMs: i * 10, endMs: i * 10 + 15 }));
  for (const entry of attribute(overlapping)) {
    assert.equal(entry.kind, 'shared', JSON.stringify(entry));
    assert.ok(entry.overlappedShare! > 0.9);
  }
  // The same times in two processes (a prefork pool): each task's figure is its own process's.
  const pooled = overlapping.map((t, i) => ({ ...t, pid: 7 + (i % 2) }));
  assert.deepEqual(attribute(pooled).map((a) => [a.kind, a.overlappedShare]), [['leak', undefined], ['leak', undefined]]);
  // One after the other, the next starting as the last ends: nothing overlapped.
  const sequential = overlapping.map((t, i) => ({ ...t, startMs: i * 10, endMs: i * 10 + 10 }));
  assert.ok(attribute(sequential).every((a) => a.kind === 'leak' && a.overlappedShare === undefined));
});

/**
 * Four workers of one process taking tasks of random types and lengths (seeded): `store` keeps
 * 64 KB at a random moment of its run, `ping` nothing; each task's figure is its process's change
 * over its run, so it holds what its neighbours kept meanwhile, plus ±8 KB of noise.
 */
function sideBySide(seed: number, tasks = 400): TaskRecord[] {
  const random = seededRandom(seed);
  const runs: Array<{ name: string; startMs: number; endMs: number; keptAt: number }> = [];
  const free = [0, 0, 0, 0];
  for (let i = 0; i < tasks; i++) {
    const worker = free.indexOf(Math.min(...free));
    const startMs = free[worker]! + random() * 2;
    const endMs = startMs + 5 + random() * 10;
    free[worker] = endMs;
    runs.push({ name: random() < 0.4 ? 'store' : 'ping', startMs, endMs, keptAt: startMs + random() * (endMs - startMs) });
  }
  const keptBetween = (from: number, to: number): number => runs.filter((r) => r.name === 'store' && r.keptAt > from && r.keptAt <= to).length * 64 * KB;
  return runs
    .sort((a, b) => a.endMs - b.endMs)
    .map((r, i) => ({ ...task(r.name, i, keptBetween(r.startMs, r.endMs) + Math.round((random() - 0.5) * 16 * KB)), pid: 9, startMs: r.startMs, endMs: r.endMs }));
}

test('types side by side in one process are told apart by least squares over their overlaps', () => {
  for (const seed of [1, 2, 3]) {
    const entries = attribute(sideBySide(seed));
    const store = entries.find((a) => a.name === 'store')!;
    const ping = entries.find((a) => a.name === 'ping')!;
    for (const entry of [store, ping]) assert.equal(entry.kind, 'shared', JSON.stringify(entry));
    // Their own changes: store's holds its neighbours' 64 KB too, ping's is all neighbours'.
    assert.ok(ping.repeatBytesPerRun! > 16 * KB, JSON.stringify(ping));
    assert.ok(Math.abs(store.ownBytesPerRun! - 64 * KB) < 8 * KB, `seed ${seed}: ${JSON.stringify(store)}`);
    assert.ok(store.ownBytesPerRunCI![0] > 48 * KB && store.ownBytesPerRunCI![1] < 80 * KB, JSON.stringify(store));
    assert.ok(Math.abs(ping.ownBytesPerRun!) < 6 * KB, `seed ${seed}: ${JSON.stringify(ping)}`);
    assert.ok(ping.ownBytesPerRunCI![0] < 0 && ping.ownBytesPerRunCI![1] > 0, JSON.stringify(ping));
    assert.match(describeAttribution(store), /^store: \+\d+\.\d KB a run of its own \(95% CI \+[\d.]+ KB\.\.\+[\d.]+ KB; leak\), told apart from its neighbours: \d+% of its runs overlapped/);
    assert.doesNotMatch(describeAttribution(ping), /leak/);
  }
});
