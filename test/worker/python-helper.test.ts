import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';
import { ends, runWorker, starts } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'leakhunt-python-helper-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A Python worker importing the helper from the checkout. */
function script(name: string, body: string): string {
  const path = join(dir, name);
  const prelude = [
    'import os, sys, resource',
    `sys.path.insert(0, ${JSON.stringify(join(ROOT, 'src', 'worker'))})`,
    'from leakhunt_worker import serve_tasks, mark_task',
    '# No core files from the task that aborts itself.',
    'resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))',
  ].join('\n');
  writeFileSync(path, `${prelude}\n${body}\n`);
  return path;
}

const serving = script(
  'serving.py',
  `def handle(task):
    if task["name"] == "report":
        import decimal, fractions
    elif task["name"] == "fail":
        raise ValueError("task blew up")
    elif task["name"] == "crash":
        os.abort()
serve_tasks(handle)
print("served")`,
);

const tasks = [
  { task: '1', name: 'report' },
  { task: '2', name: 'fail' },
  { task: '3', name: 'report' },
];

test('serve_tasks reports every task in order, with module figures, and survives a raising handler', async () => {
  const run = await runWorker('python3', [serving], { tasks });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'served\n');
  assert.deepEqual(
    run.events.map((e) => `${e.event} ${e.task} ${e.name} ${e.ok ?? ''}`),
    ['start 1 report ', 'end 1 report true', 'start 2 fail ', 'end 2 fail false', 'start 3 report ', 'end 3 report true'],
  );
  for (const event of run.events) assert.equal(event.pid, run.pid);
  const [first, second, third] = ends(run.events);
  // The first report imports decimal and fractions (and what they need); the repeat imports nothing.
  const firstNew = first!.metrics!.newModules as string[];
  assert.ok(firstNew.includes('decimal') && firstNew.includes('fractions'), firstNew.join());
  assert.ok(firstNew.length <= 10);
  assert.ok(firstNew.indexOf('decimal') < firstNew.indexOf('_decimal') || !firstNew.includes('_decimal'));
  assert.deepEqual(third!.metrics!.newModules, []);
  assert.ok((first!.metrics!.newModuleCount as number) >= 2);
  assert.equal(third!.metrics!.newModuleCount, 0);
  // The failing task imported nothing (the helper formats its traceback after the end boundary).
  assert.equal(second!.metrics!.modules, first!.metrics!.modules);
  assert.deepEqual(second!.metrics!.newModules, []);
  assert.ok((first!.metrics!.maxrssBytes as number) > 1_000_000);
  assert.match(run.stderr, /task 2 \(fail\) failed:[\s\S]*ValueError: task blew up/);
});

test('mark_task works as a context manager and a decorator, with per-process ids', async () => {
  const worker = script(
    'marking.py',
    `@mark_task("send_email")
def send():
    return 42
with mark_task("report", task_id=7):
    pass
result = [send(), send()]
try:
    with mark_task("broken"):
        raise KeyError("nope")
except KeyError:
    result.append("propagated")
print(result)`,
  );
  const run = await runWorker('python3', [worker]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, "[42, 42, 'propagated']\n");
  const p = run.pid;
  assert.deepEqual(
    run.events.map((e) => `${e.event} ${e.task} ${e.name} ${e.ok ?? ''}`),
    [
      'start 7 report ',
      'end 7 report true',
      `start ${p}-1 send_email `,
      `end ${p}-1 send_email true`,
      `start ${p}-2 send_email `,
      `end ${p}-2 send_email true`,
      `start ${p}-3 broken `,
      `end ${p}-3 broken false`,
    ],
  );
});

test('threads whose first tasks start together are all reported (the channel opens once, under a lock)', async () => {
  const worker = script(
    'threads.py',
    `import threading
# Switch threads as often as CPython allows, so they meet inside the helper's first open.
sys.setswitchinterval(1e-6)
barrier = threading.Barrier(16)
def run():
    barrier.wait()
    with mark_task("together"):
        pass
threads = [threading.Thread(target=run) for _ in range(16)]
for t in threads: t.start()
for t in threads: t.join()`,
  );
  for (let round = 0; round < 5; round++) {
    const run = await runWorker('python3', [worker]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(starts(run.events).length, 16, run.stderr);
    assert.equal(ends(run.events).length, 16, run.stderr);
  }
});

test('outside leakhunt both helpers only run the code', async () => {
  const worker = script(
    'plain.py',
    `seen = []
serve_tasks(lambda task: seen.append(task["task"] + ":" + task["name"]))
with mark_task("solo"):
    seen.append("ran")
print(seen)`,
  );
  const run = await runWorker('python3', [worker], { channel: false, tasks: [{ task: '1', name: 'a' }, { task: '2', name: 'b' }] });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, "['1:a', '2:b', 'ran']\n");
});

test('LEAKHUNT_ISOLATE=fork runs each task in a forked child; imports die with it', async () => {
  const forkTasks = [...tasks, { task: '4', name: 'crash' }, { task: '5', name: 'report' }];
  const run = await runWorker('python3', [serving], { tasks: forkTasks, env: { LEAKHUNT_ISOLATE: 'fork' } });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'served\n');
  assert.deepEqual(ends(run.events).map((e) => `${e.task} ${e.ok}`), ['1 true', '2 false', '3 true', '4 false', '5 true']);
  const childPids = starts(run.events).map((e) => e.pid);
  assert.equal(new Set(childPids).size, 5);
  assert.ok(!childPids.includes(run.pid));
  // Every report starts from the parent's modules, so each one imports decimal afresh.
  for (const i of [0, 2, 4]) assert.ok((ends(run.events)[i]!.metrics!.newModules as string[]).includes('decimal'));
  const aborted = ends(run.events)[3]!;
  assert.equal(aborted.pid, run.pid);
  assert.deepEqual(aborted.metrics, { signal: 'SIGABRT' });
});
