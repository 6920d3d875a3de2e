import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunResult, TaskRecord } from '../../src/model.js';
import { mdText, renderMarkdown } from '../../src/report/md.js';
import { renderRecordedMarkdown } from '../../src/report/md-recorded.js';
import { makeRun } from '../helpers/sample-run.js';

/** Cells of a table row, splitting on pipes that are not escaped. */
const cells = (row: string): number => row.split(/(?<!\\)\|/).length - 2;

/** Every table in the text has the same cell count in all its rows. */
function assertTablesWellFormed(markdown: string): number {
  let tables = 0;
  let width: number | null = null;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      width = null;
      continue;
    }
    assert.ok(line.endsWith('|'), `row closed: ${line}`);
    if (width === null) {
      width = cells(line);
      tables++;
    } else assert.equal(cells(line), width, `row ${line}`);
  }
  return tables;
}

test('a watch summary: verdict, run line, process and task tables, attribution', () => {
  const md = renderMarkdown(makeRun());
  assert.match(md, /^## leakhunt: LEAK\n/);
  assert.match(md, /\*\*Verdict: LEAK {2}\+1\.0 MB\/task \(95% CI \+0\.98\.\.\+1\.02 MB\/task\), \+11\.7 GB\/h — reaches the 2\.0 GB limit in ~9m28s–9m52s \(~1,894–1,972 tasks\)\*\*/);
  assert.match(md, /\| 4242 \| node worker\.js --queue default \| 48\.0 MB \|/);
  assert.match(md, /… 25 more tasks/);
  assert.match(md, /- \*\*send\\_email\*\*: 20 runs, first run \+5\.0 MB, then \+1\.0 MB per run/);
  assert.equal(assertTablesWellFormed(md), 2);
});

test('a comparison shows rates per task, never per hour: its tasks ran back to back', () => {
  const run = makeRun({ modes: ['in-process', 'isolated'], tasks: 30 });
  for (const mode of run.modes!) mode.verdict.dispatched = true;
  run.verdict = run.modes![0]!.verdict;
  const md = renderMarkdown(run);
  assert.match(md, /\*\*Verdict: LEAK {2}\+1\.0 MB\/task \(95% CI [^)]*\)/);
  assert.doesNotMatch(md, /\/h\b/);
});

test('worker strings cannot break tables, inject HTML or links', () => {
  const hostile = 'a|b `code` <script>alert(1)</script> [x](http://evil.example)\nnext line';
  assert.equal(mdText(hostile), 'a\\|b \\`code\\` &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](http://evil.example) next line');
  const run = makeRun({ tasks: 6, names: [hostile, '|||'], commands: [hostile, '<img src=x onerror=alert(1)>'] });
  const md = renderMarkdown(run);
  assert.ok(!md.includes('<script'), 'no raw tags');
  assert.ok(!md.includes('<img'), 'no raw tags');
  assert.ok(!/(?<!\\)\]\(http/.test(md), 'no links');
  assertTablesWellFormed(md);
});

test('a comparison: a row per mode, the conclusion, a recommendation, gates', () => {
  const run = makeRun({ modes: ['in-process', 'isolated', 'recycle:5', 'recycle:10'], tasks: 20, limitBytes: 512 * 1024 * 1024 });
  run.gates = [{ gate: 'isolated does not leak', passed: true, message: 'stable' }, { gate: 'in-process does not leak', passed: false, message: 'leak | 1 MB/task' }];
  const md = renderMarkdown(run);
  assert.match(md, /\| Mode \| Baseline \| Final \| Peak tree RSS \| Verdict \| Growth \| Time per task \| Overhead vs in-process \|/);
  for (const mode of ['in-process', 'isolated', 'recycle:5', 'recycle:10']) assert.match(md, new RegExp(`\\n\\| ${mode} \\| `));
  assert.match(md, /\| isolated \| [^\n]* \| \+120ms\/task \(\+40%\) \|/);
  assert.match(md, /\*\*isolation holds the worker at [\d.]+ MB; in-process grows 1\.0 MB\/task and reaches the 512\.0 MB limit after ~\d{3} tasks\*\*/);
  assert.match(md, /Recommendation: use recycle:10: the largest N whose peak/);
  assert.match(md, /\| in-process does not leak \| \*\*FAIL\*\* \| leak \\\| 1 MB\/task \|/);
  assertTablesWellFormed(md);
});

test('a run of 100k tasks, 100k task types and 100k processes stays well under 1 MiB', () => {
  const base = makeRun({ tasks: 4 });
  const template = base.tasks[0]!;
  const tasks: TaskRecord[] = Array.from({ length: 100_000 }, (_, i) => ({
    ...template, task: String(i + 1), name: `type_${i}_${'x'.repeat(200)}`, deltaBytes: (i * 7919) % 100_003,
  }));
  const run: RunResult = {
    ...base,
    tasks,
    attribution: tasks.map((t, i) => ({ name: t.name, runs: 1, firstRunBytes: i, repeatBytesPerRun: null, retainedBytes: i, kind: 'single-run' })),
    processes: tasks.map((_, i) => ({ ...base.processes[0]!, pid: 10_000 + i, command: 'c'.repeat(5000) })),
  };
  const started = performance.now();
  const md = renderMarkdown(run);
  const bytes = Buffer.byteLength(md);
  assert.ok(bytes < 64 * 1024, `markdown is ${bytes} bytes`);
  assert.ok(performance.now() - started < 5000);
  assert.match(md, /… 99,985 more tasks/);
  assert.match(md, /… 99,980 more task types/);
  assert.match(md, /… 99,980 more processes/);
  assertTablesWellFormed(md);
});

test('notes: protocol trouble, unfinished tasks, a run cut short', () => {
  const run = makeRun({ tasks: 6, incomplete: true });
  run.protocol = { malformed: 3, oversized: 1 };
  const md = renderMarkdown(run);
  assert.match(md, /- protocol: 3 malformed and 1 oversized boundary lines dropped/);
  assert.match(md, /- unfinished: task 6 was running; 0 tasks never ran/);
  assert.match(md, /- the run was cut short/);
  assert.match(md, /\| 6 \| build\\_report \| 4242 \| unfinished \|/);
});

test('recorded comparison: a row per mode and the gates', () => {
  const before = makeRun({ modes: ['in-process'], tasks: 5 }).modes![0]!;
  const after = { ...before, peakTreeRssBytes: before.peakTreeRssBytes! * 2 };
  const md = renderRecordedMarkdown(
    [{ mode: 'in-process', before, after }, { mode: 'isolated', before: null, after }],
    [{ gate: 'in-process peak', passed: false, message: 'peak rose 100.0%' }], 'a.json', 'b.json',
  );
  assert.match(md, /^## leakhunt compare: 1 gate failed/);
  assert.match(md, /\| in-process \| [\d.]+ MB \| [\d.]+ MB \| \+[\d.]+ MB \(\+100\.0%\) \| leak \+1\.0 MB\/task \| leak \+1\.0 MB\/task \|/);
  assert.match(md, /\| isolated \| – \| [\d.]+ MB \| – \| – \|/);
  assert.equal(assertTablesWellFormed(md), 2);
});
