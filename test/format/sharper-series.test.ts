// The advice under an undecided verdict judged on RSS alone: the worker's own figures sharpen it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharperSeriesAdvice } from '../../src/format/sharper-series.js';
import { renderMarkdown } from '../../src/report/md.js';
import { renderSummary } from '../../src/render/summary.js';
import { createStyle } from '../../src/render/color.js';
import { makeRun, type MadeRun } from '../helpers/sample-run.js';

function undecided(command: string, metrics?: Record<string, number>): MadeRun {
  const run = makeRun({ tasks: 30, commands: [command, 'sh -c true'] });
  run.verdict = { ...run.verdict, status: 'insufficient', reason: 'too few tasks to tell (growth not sustained)', series: 'tree-rss' };
  for (const task of run.tasks) {
    if (metrics) task.metrics = metrics;
    else delete task.metrics;
  }
  return run;
}

test('Node and CPython workers without figures of their own are pointed at the heap agent and the helpers', () => {
  for (const command of ['node worker.js', '/usr/bin/node worker.mjs', 'nodejs w.js', 'node22 w.js']) {
    assert.match(sharperSeriesAdvice(undecided(command))!.join(' '), /^RSS alone: V8 takes heap.*heap agent \(not with --no-node-heap, nor output markers or streams\)/, command);
  }
  for (const command of ['python3 jobs.py', '/usr/bin/python3.11 -m jobs', 'python job.py']) {
    assert.match(sharperSeriesAdvice(undecided(command))!.join(' '), /^RSS alone: cyclic garbage.*leakhunt_worker/, command);
  }
});

test('no advice when the helper already reports, the verdict is decided, or the runtime is unknown', () => {
  assert.equal(sharperSeriesAdvice(undecided('node worker.js', { heapUsed: 5e6 })), null);
  assert.equal(sharperSeriesAdvice(undecided('python3 jobs.py', { rssBytes: 2e7 })), null);
  assert.equal(sharperSeriesAdvice(undecided('ruby worker.rb')), null);
  assert.equal(sharperSeriesAdvice(undecided('nodemon worker.js')), null);
  for (const status of ['leak', 'stable'] as const) {
    const run = undecided('node worker.js');
    run.verdict.status = status;
    assert.equal(sharperSeriesAdvice(run), null, status);
  }
  const heapDecided = undecided('node worker.js');
  heapDecided.verdict.series = 'heap';
  assert.equal(sharperSeriesAdvice(heapDecided), null);
  const noTasks = undecided('node worker.js');
  noTasks.tasks = [];
  assert.equal(sharperSeriesAdvice(noTasks), null);
});

test('the terminal summary and the Markdown carry it under the verdict', () => {
  const run = undecided('python3 jobs.py');
  const summary = renderSummary(run, createStyle({ color: false }));
  assert.match(summary, /verdict: insufficient[^\n]*\n(  [^\n]*\n)?  RSS alone: cyclic garbage[^\n]*\n  The Python helper/);
  assert.match(renderMarkdown(run), /\nNext: RSS alone: cyclic garbage .* The Python helper/);
});
