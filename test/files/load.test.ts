import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult, Verdict } from '../../src/model.js';
import { UsageError } from '../../src/errors.js';
import { loadRun, sniff } from '../../src/files/load.js';
import { toJson } from '../../src/report/json.js';
import { writeCsvReport, writeTaskCsv } from '../../src/report/csv.js';
import { makeRun } from '../helpers/sample-run.js';

const dir = mkdtempSync(join(tmpdir(), 'leakhunt-load-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

test('a JSON report loads as written, whatever its extension', () => {
  const run = makeRun({ tasks: 6 });
  const loaded = loadRun(file('renamed.txt', toJson(run)));
  assert.deepEqual(loaded, JSON.parse(JSON.stringify(run)));
});

test('a samples CSV rebuilds samples, processes and tasks from the boundary rows', () => {
  const run = makeRun({ tasks: 10 });
  const loaded = loadRun(file('events.csv', writeCsvReport(run)));
  assert.equal(loaded.incomplete, false);
  assert.deepEqual(loaded.samples, run.samples);
  assert.equal(loaded.processes.length, 2);
  assert.equal(loaded.processes[0]!.pid, 4242);
  assert.equal(loaded.processes[0]!.lastRssBytes, run.processes[0]!.lastRssBytes);
  assert.equal(loaded.tasks.length, 10);
  for (const [i, task] of [...loaded.tasks].entries()) {
    const original = run.tasks[i]!;
    assert.equal(task.task, original.task);
    assert.equal(task.name, original.name);
    assert.equal(task.pid, 4242);
    assert.equal(task.deltaBytes, original.deltaBytes);
    assert.equal(task.treeDeltaBytes, original.treeDeltaBytes);
    assert.equal(task.ok, null, 'ok is unknown without the per-task file');
  }
  assert.equal(loaded.intervalMs, 100);
  assert.deepEqual(loaded.verdict.status, 'insufficient');
  assert.equal(loaded.verdict.reason, 'not judged');
});

test('the .tasks.csv sibling is preferred when it exists, and the judge decides the verdict', () => {
  const run = makeRun({ tasks: 8 });
  file('with-tasks.tasks.csv', writeTaskCsv(run));
  let judgedSamples = 0;
  const judge = (r: RunResult): Verdict => {
    judgedSamples = r.samples.length;
    return { ...run.verdict, reason: 'judged here' };
  };
  const loaded = loadRun(file('with-tasks.csv', writeCsvReport(run)), { judge, attribute: () => run.attribution });
  assert.equal(judgedSamples, run.samples.length);
  assert.equal(loaded.verdict.reason, 'judged here');
  assert.deepEqual([...loaded.tasks].map((t) => t.ok), run.tasks.map(() => true));
  assert.deepEqual(loaded.attribution, run.attribution);
});

test('a CSV cut mid-line by a crash reads what is there and is marked incomplete', () => {
  const run = makeRun({ tasks: 10 });
  const text = writeCsvReport(run);
  const cut = text.slice(0, Math.floor(text.length * 0.6));
  assert.ok(!cut.endsWith('\r\n'));
  const loaded = loadRun(file('crashed.csv', cut));
  assert.equal(loaded.incomplete, true);
  const whole = cut.split('\r\n').length - 2; // header, and the partial line
  assert.equal(loaded.samples.length, whole);
  assert.deepEqual(loaded.samples, [...run.samples].slice(0, whole));
  assert.equal(loaded.verdict.incomplete, true);
  assert.ok(loaded.tasks.length > 0 && loaded.tasks.length < 10);
});

test('a comparison CSV becomes one mode per mode column value', () => {
  const run = makeRun({ modes: ['in-process', 'isolated'], tasks: 6 });
  const loaded = loadRun(file('cmp.csv', writeCsvReport(run)), { judge: (r) => ({ ...run.verdict, reason: `${[...r.samples][0]?.mode}` }) });
  assert.deepEqual(loaded.modes!.map((m) => m.mode), ['in-process', 'isolated']);
  assert.equal(loaded.modes![1]!.tasks.length, 6);
  assert.equal(loaded.modes![1]!.verdict.reason, 'isolated');
  assert.equal(loaded.verdict.reason, 'in-process');
  assert.equal(loaded.modes![0]!.finalBytes, run.modes![0]!.finalBytes);
});

function rejects(path: string, message: RegExp): void {
  assert.throws(() => loadRun(path), (error: unknown) => error instanceof UsageError && message.test(error.message));
}

test('unreadable, empty and foreign files are usage errors naming the file', () => {
  rejects(join(dir, 'missing.json'), /missing\.json: cannot read \(no such file\)$/);
  rejects(dir, /cannot read \(is a directory\)$/);
  rejects(file('empty.csv', ''), /empty\.csv: empty file$/);
  rejects(file('blank.json', '  \n'), /blank\.json: empty file$/);
  rejects(file('other.csv', 'time,value\r\n1,2\r\n'), /other\.csv: not a leakhunt report/);
  rejects(file('bad.json', '{"schema":"nope"}'), /bad\.json: not a leakhunt report \(schema is "nope"\)/);
  rejects(file('badnum.csv', writeCsvReport(makeRun({ tasks: 1 })).replace(/\r\n\d+,/, '\r\nabc,')), /badnum\.csv: record 2: elapsed_ms is not a number/);
  const link = join(dir, 'link.json');
  symlinkSync(join(dir, 'renamed.txt'), link);
  assert.ok(loadRun(link).samples.length > 0, 'reading through a symlink is fine; only writing refuses');
});

test('sniff tells the formats apart by content', () => {
  assert.equal(sniff('\uFEFF  {"schema":1}'), 'json');
  assert.equal(sniff('elapsed_ms,seq,event\r\n'), 'samples-csv');
  assert.equal(sniff('task,name,mode,pid,start_ms\r\n'), 'tasks-csv');
  assert.equal(sniff('hello'), 'unknown');
});
