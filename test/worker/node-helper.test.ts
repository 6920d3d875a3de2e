import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELPER_URL, ends, runWorker, starts } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'leakhunt-node-helper-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A worker script importing this build's helper. */
function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `import { serveTasks, markTask } from ${JSON.stringify(HELPER_URL)};\n${body}\n`);
  return path;
}

const serving = script(
  'serving.mjs',
  `const kept = [];
  if (process.env.LEAKHUNT_FORK_CHILD && process.env.DIE_EARLY) process.exit(3);
  // Set-up before serving (a fork child must not miss its task meanwhile).
  await new Promise((resolve) => setTimeout(resolve, 50));
  await serveTasks(async ({ task, name, params }) => {
    if (name === 'fail') throw new Error('task blew up');
    if (name === 'crash') process.kill(process.pid, 'SIGKILL');
    if (name === 'keep') kept.push(new Array(32768).fill(1));
    await new Promise((resolve) => setTimeout(resolve, 5));
  });
  process.stdout.write('served\\n');`,
);

const threeTasks = [
  { task: '1', name: 'keep' },
  { task: '2', name: 'fail' },
  { task: '3', name: 'keep' },
];

test('serveTasks reports every task in order, with heap figures, and survives a throwing handler', async () => {
  const run = await runWorker(process.execPath, ['--expose-gc', serving], { tasks: threeTasks });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'served\n');
  assert.deepEqual(
    run.events.map((e) => `${e.event} ${e.task} ${e.name} ${e.ok ?? ''}`),
    ['start 1 keep ', 'end 1 keep true', 'start 2 fail ', 'end 2 fail false', 'start 3 keep ', 'end 3 keep true'],
  );
  for (const event of run.events) assert.equal(event.pid, run.pid);
  for (const event of ends(run.events)) {
    for (const key of ['heapUsed', 'heapTotal', 'external', 'rssBytes']) assert.equal(typeof event.metrics?.[key], 'number', key);
  }
  // Each start carries the RSS the process read at it, the name leakhunt reads it under.
  for (const event of run.events.filter((e) => e.event === 'start')) assert.ok((event.metrics?.rssBytes as number) > 10 * 1024 * 1024, JSON.stringify(event.metrics));
  // After a GC, two tasks that each keep 256 KB leave at least that much more on the heap.
  const [first, , third] = ends(run.events);
  assert.ok((third!.metrics!.heapUsed as number) - (first!.metrics!.heapUsed as number) >= 200_000);
  assert.match(run.stderr, /task 2 \(fail\) failed: Error: task blew up/);
  assert.deepEqual(run.stats, { malformed: 0, oversized: 0 });
});

test('a Buffer dropped by a task is not counted in external at its end (the sweep after the full GC is finished)', async () => {
  const dropping = script(
    'dropping.mjs',
    `await serveTasks(async () => {
      Buffer.alloc(4 * 1024 * 1024, 1);
    });`,
  );
  const tasks = Array.from({ length: 5 }, (_, i) => ({ task: String(i + 1), name: 'drop' }));
  const run = await runWorker(process.execPath, [dropping], { tasks });
  assert.equal(run.code, 0, run.stderr);
  // One gc() alone leaves the 4 MB to V8's concurrent sweeper: external then reads ~5 MB.
  for (const event of ends(run.events)) assert.ok((event.metrics!.external as number) < 2 * 1024 * 1024, JSON.stringify(event.metrics));
});

test('markTask reports one task, numbers ids per process, and passes results and errors through', async () => {
  const worker = script(
    'marking.mjs',
    `const a = await markTask('send_email', () => 41 + 1);
    const b = await markTask('send_email', async () => 'b');
    await markTask('x'.repeat(10000), () => {}, 'given-id');
    let caught = '';
    try { await markTask('broken', () => { throw new Error('nope'); }); } catch (error) { caught = error.message; }
    process.stdout.write(JSON.stringify([a, b, caught]));`,
  );
  const run = await runWorker(process.execPath, [worker]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), [42, 'b', 'nope']);
  const p = run.pid;
  assert.deepEqual(
    run.events.map((e) => `${e.event} ${e.task} ${e.name?.slice(0, 12)} ${e.ok ?? ''}`),
    [
      `start ${p}-1 send_email `,
      `end ${p}-1 send_email true`,
      `start ${p}-2 send_email `,
      `end ${p}-2 send_email true`,
      'start given-id xxxxxxxxxxxx ',
      'end given-id xxxxxxxxxxxx true',
      `start ${p}-3 broken `,
      `end ${p}-3 broken false`,
    ],
  );
  assert.equal(run.events[4]!.name!.length, 200);
});

test('outside leakhunt both helpers only run the code', async () => {
  const worker = script(
    'plain.mjs',
    `const seen = [];
    await serveTasks(({ task, name }) => { seen.push(task + ':' + name); });
    seen.push(await markTask('solo', () => 'ran'));
    process.stdout.write(JSON.stringify(seen));`,
  );
  const run = await runWorker(process.execPath, [worker], {
    channel: false,
    tasks: [
      { task: '1', name: 'a' },
      { task: '2', name: 'b' },
    ],
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.deepEqual(JSON.parse(run.stdout), ['1:a', '2:b', 'ran']);
});

test('a channel nobody reads any more is reported on stderr and never blocks the worker', async () => {
  const worker = script('vanished.mjs', `await markTask('a', () => {}); await markTask('b', () => {}); process.stdout.write('ok');`);
  const missing = await runWorker(process.execPath, [worker], { channel: false, env: { LEAKHUNT_CHANNEL: join(dir, 'no-such-fifo') } });
  assert.equal(missing.stdout, 'ok');
  assert.equal(missing.stderr, 'leakhunt/worker: cannot open LEAKHUNT_CHANNEL (ENOENT); task boundaries will not be reported\n');
  // A FIFO left behind by a leakhunt that was killed: opening it for writing would block forever.
  const orphan = join(dir, 'orphan-fifo');
  execFileSync('mkfifo', [orphan]);
  const gone = await runWorker(process.execPath, [worker], { channel: false, env: { LEAKHUNT_CHANNEL: orphan }, timeoutMs: 5000 });
  assert.equal(gone.code, 0);
  assert.equal(gone.stdout, 'ok');
  assert.match(gone.stderr, /cannot open LEAKHUNT_CHANNEL \(ENXIO\)/);
});

test('LEAKHUNT_ISOLATE=fork runs each task in its own child and reports a killed child as failed', async () => {
  const tasks = [...threeTasks, { task: '4', name: 'crash' }, { task: '5', name: 'keep' }];
  const run = await runWorker(process.execPath, [serving], { tasks, env: { LEAKHUNT_ISOLATE: 'fork' } });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'served\n');
  assert.deepEqual(
    ends(run.events).map((e) => `${e.task} ${e.ok}`),
    ['1 true', '2 false', '3 true', '4 false', '5 true'],
  );
  const childPids = starts(run.events).map((e) => e.pid);
  assert.equal(new Set(childPids).size, 5);
  assert.ok(!childPids.includes(run.pid));
  // Each task's start and end come from the same child, except the one killed mid-task,
  // whose end the parent writes for it.
  const killed = ends(run.events)[3]!;
  assert.equal(killed.pid, run.pid);
  assert.deepEqual(killed.metrics, { signal: 'SIGKILL' });
  for (const task of ['1', '2', '3', '5']) {
    const pair = run.events.filter((e) => e.task === task);
    assert.equal(pair[0]!.pid, pair[1]!.pid);
  }
});

test('LEAKHUNT_ISOLATE=fork: a child that dies before taking its task still gets an end', async () => {
  const run = await runWorker(process.execPath, [serving], {
    tasks: threeTasks.slice(0, 2),
    env: { LEAKHUNT_ISOLATE: 'fork', DIE_EARLY: '1' },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(
    run.events.map((e) => `${e.event} ${e.task} ${e.ok} ${e.pid === run.pid} ${JSON.stringify(e.metrics)}`),
    ['end 1 false true {"exitCode":"3"}', 'end 2 false true {"exitCode":"3"}'],
  );
  assert.match(run.stderr, /task 1 \(keep\): child \d+ exited with 3 before taking the task/);
});
