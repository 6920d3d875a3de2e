// Task boundaries through the built bin: the channel (Node, Python, plain sh through `sh -c`) and
// output markers; lockstep dispatch; per-task records, boundary samples and attribution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';

const node = process.execPath;
const THREE_TYPES = fixture('tasks', 'three-types.jsonl');

interface Report {
  samples: Array<{ event: string; task?: string }>;
  tasks: Array<{ task: string; name: string; ok: boolean; rssBeforeBytes: number | null; rssAfterBytes: number | null; deltaBytes: number | null; metrics?: Record<string, unknown> }>;
  attribution: Array<{ name: string; runs: number; firstRunBytes: number; repeatBytesPerRun: number; kind: string }>;
  unfinished?: { inFlight: string | null; neverRan: number };
  protocol: { malformed: number; oversized: number };
  verdict: { status: string; dispatched?: boolean };
  vanished: number;
}

async function watchTasks(args: string[], worker: string[]): Promise<{ report: Report; stderr: string; code: number | null; csv: string }> {
  const tmp = tempDir();
  try {
    const run = await leakhunt(['watch', '--interval', '200ms', '--json', tmp.path('r.json'), '--csv', tmp.path('s.csv'), ...args, '--', ...worker], { timeoutMs: 60_000 });
    let report = {} as Report;
    try {
      report = JSON.parse(readFileSync(tmp.path('r.json'), 'utf8')) as Report;
    } catch {
      // asserted by the caller through code/stderr
    }
    let csv = '';
    try {
      csv = readFileSync(tmp.path('s.tasks.csv'), 'utf8');
    } catch {
      // no tasks file
    }
    return { report, stderr: run.stderr, code: run.code, csv };
  } finally {
    tmp.cleanup();
  }
}

/**
 * Every boundary got its own sample while the worker was alive. With output markers, lines read
 * after the worker exited (its last chunk of output) find no process left to sample: `atLeast`.
 */
function assertBoundarySamples(report: Report, count: number, atLeast = count): void {
  for (const event of ['task-start', 'task-end']) {
    const tasks = new Set(report.samples.filter((s) => s.event === event).map((s) => s.task));
    assert.ok(tasks.size >= atLeast && tasks.size <= count, `${event} samples for ${tasks.size} of ${count} tasks`);
  }
}

test('Python import-leak through the channel: 30 tasks, boundary samples, first-run attribution', { timeout: 60_000 }, async () => {
  const { report, stderr, code, csv } = await watchTasks(['--tasks', THREE_TYPES], ['python3', fixture('import-leak.py')]);
  assert.equal(code, 0, stderr);
  assert.equal(report.tasks.length, 30);
  assert.ok(report.tasks.every((t) => t.ok && t.rssAfterBytes! > 0));
  assertBoundarySamples(report, 30);
  const first = report.tasks.find((t) => t.name === 'send_email')!;
  assert.ok((first.metrics!.newModules as string[]).includes('smtplib'), 'the helper names what the task imported');
  for (const type of report.attribution) {
    assert.equal(type.kind, 'warm-up', `${type.name}: ${JSON.stringify(type)}`);
    assert.equal(type.runs, 10);
  }
  assert.match(stderr, /send_email: \+\d+(\.\d)? MB on its first run \(imports\/warm-up\), ~0 B per run after/);
  assert.match(stderr, /^Task 1: RSS \d+\.\d MB → \d+\.\d MB \(\+\d+(\.\d)? (MB|KB)\)/m);
  const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
  assert.equal(rows.length, 30);
  assert.equal(rows[0]!.name, 'build_report');
});

test('Node one-type-leaks through the channel: send_email leaks every run, the others are flat', { timeout: 60_000 }, async () => {
  const { report, stderr, code } = await watchTasks(['--tasks', THREE_TYPES], [node, '--expose-gc', fixture('one-type-leaks.js')]);
  assert.equal(code, 0, stderr);
  assert.equal(report.tasks.length, 30);
  assertBoundarySamples(report, 30);
  assert.ok(report.tasks.every((t) => typeof t.metrics!.heapUsed === 'number'));
  const send = report.attribution.find((a) => a.name === 'send_email')!;
  assert.equal(send.kind, 'leak');
  assert.ok(send.repeatBytesPerRun > 200 * 1024 && send.repeatBytesPerRun < 320 * 1024, String(send.repeatBytesPerRun));
  assert.match(stderr, /send_email: \+\d+(\.\d)? KB every run \(leak\)/);
  // Fed back to back by --tasks: per hour would be this run's pace, so the verdict gives per task only.
  assert.equal(report.verdict.dispatched, true);
  assert.doesNotMatch(stderr.split('\n').find((l) => l.startsWith('verdict:')) ?? '', /\/h\b/);
  // One process whose exit ends the run: nothing the sampler missed, so no sampler line.
  assert.equal(report.vanished, 0);
  assert.doesNotMatch(stderr, /sampler:/);
});

// 40 ms between tasks: markers are sampled when their line is read, and lines 5 ms apart arrive
// batched on a loaded machine, so one sample would serve several boundaries.
test('output markers: regex-worker.js, named groups give ids and types', { timeout: 60_000 }, async () => {
  const { report, stderr, code } = await watchTasks(
    ['--task-start', 'TASK START (?<task>\\d+) (?<name>\\w+)', '--task-end', 'TASK END (?<task>\\d+)'],
    [node, fixture('regex-worker.js'), '24', '40'],
  );
  assert.equal(code, 0, stderr);
  assert.equal(report.tasks.length, 24);
  assertBoundarySamples(report, 24, 12);
  assert.deepEqual([...new Set(report.tasks.map((t) => t.name))].sort(), ['build_report', 'parse_csv', 'send_email']);
  assert.equal(report.attribution.find((a) => a.name === 'send_email')!.kind, 'leak');
});

test('a plain sh worker reports through the channel, even behind sh -c', { timeout: 60_000 }, async () => {
  const { report, stderr, code } = await watchTasks(['--tasks', '6'], ['sh', '-c', `sh ${fixture('marker-worker.sh')}`]);
  assert.equal(code, 0, stderr);
  assert.equal(report.tasks.length, 6);
  assert.ok(report.tasks.every((t) => t.ok));
});

test('a worker that exits with tasks left: the task in flight and the count never run are reported', { timeout: 60_000 }, async () => {
  const tmp = tempDir();
  try {
    const script = tmp.path('quits.mjs');
    writeFileSync(script, `import { serveTasks } from ${JSON.stringify(fixture('..', 'dist', 'src', 'worker', 'index.js'))};\nlet n = 0;\nawait serveTasks(() => { if (++n === 3) process.exit(5); });\n`);
    const { report, stderr, code } = await watchTasks(['--tasks', '10'], [node, script]);
    assert.equal(code, 5, stderr);
    assert.deepEqual(report.unfinished, { inFlight: '3', neverRan: 7 });
    assert.match(stderr, /task 3 was running when the worker exited/);
    assert.match(stderr, /7 .*never ran/);
  } finally {
    tmp.cleanup();
  }
});

test('an invalid line in the tasks file is exit 2, naming the line', async () => {
  const tmp = tempDir();
  try {
    writeFileSync(tmp.path('t.jsonl'), '{"task":"1","name":"a"}\n{"task":"2","name":"b"}\nnot json\n');
    const run = await leakhunt(['watch', '--tasks', tmp.path('t.jsonl'), '--', node, '-e', '0']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /t\.jsonl:3/);
  } finally {
    tmp.cleanup();
  }
});
