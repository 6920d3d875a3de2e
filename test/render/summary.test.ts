import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { createStyle } from '../../src/render/color.js';
import { renderSummary, verdictLine } from '../../src/render/summary.js';
import { downsampleMax, plotBytes } from '../../src/render/chart.js';
import { makeRun } from '../helpers/sample-run.js';

const plain = createStyle({ color: false });
const ANSI = /\u001b\[/;

test('the summary without colour: tables, chart, task lines, verdict, and no escape codes', () => {
  const text = renderSummary(makeRun(), plain, { width: 100, attributionLines: ['send_email: +1.0 MB per run after a +4.0 MB first run'] });
  assert.ok(!ANSI.test(text));
  const lines = text.split('\n');
  assert.match(text, /^leakhunt: node worker\.js --queue default — 40 tasks in 12\.1s, sampled every 100ms\n/);
  assert.ok(lines.some((l) => /^ *PID +COMMAND +FIRST +LAST +PEAK RSS +VMS +GROWTH$/.test(l)));
  assert.ok(lines.some((l) => /^4242 +node worker\.js --queue default +48\.0 MB +96\.0 MB +101\.0 MB +684\.2 MB +\+48\.0 MB$/.test(l)));
  assert.ok(lines.some((l) => /^ *\d+\.\d MB┤/.test(l)), 'y axis labelled in bytes');
  assert.ok(lines.includes('           elapsed: 0s … 12.1s'));
  assert.ok(lines.includes('Task 1: RSS 48.1 MB → 53.1 MB (+5.0 MB)  send_email'));
  assert.ok(lines.includes('Task 40: RSS 95.0 MB → 96.0 MB (+1.1 MB)  build_report'));
  assert.ok(lines.includes('… 25 more tasks (first 5, last 5 and the 5 largest deltas shown)'));
  assert.equal(lines.filter((l) => l.startsWith('Task ')).length, 15);
  assert.ok(lines.includes('send_email: +1.0 MB per run after a +4.0 MB first run'));
  assert.equal(lines.at(-2), 'verdict: LEAK  +1.0 MB/task (95% CI +0.98..+1.02 MB/task), +11.7 GB/h — reaches the 2.0 GB limit in ~9m28s–9m52s (~1,894–1,972 tasks)');
  assert.ok(lines.every((l) => [...l].length <= 140), 'nothing absurdly wide');
  const chartLines = lines.filter((l) => l.includes('┤') || l.includes('┼'));
  assert.equal(chartLines.length, 11, 'height 10 draws 11 rows');
  assert.ok(chartLines.every((l) => [...l].length <= 10 + 1 + 70));
});

test('with colour the status is painted and the text is otherwise the same', () => {
  const run = makeRun();
  const coloured = renderSummary(run, createStyle({ color: true }), { width: 100 });
  assert.ok(coloured.includes('\u001b[1m\u001b[31mLEAK'));
  assert.equal(stripVTControlCharacters(coloured), renderSummary(run, plain, { width: 100 }));
});

test('short runs list every task; stable and insufficient verdict lines', () => {
  const run = makeRun({ tasks: 6, leakPerTaskBytes: 0, warmUpBytes: 0 });
  const text = renderSummary(run, plain);
  assert.equal(text.split('\n').filter((l) => l.startsWith('Task ')).length, 6);
  assert.match(text, /verdict: stable {2}0 B\/task \(95% CI 0\.\.0 B\/task\), 0 B\/h\n$/);
  const insufficient = { ...run.verdict, status: 'insufficient' as const, reason: 'too few samples', bytesPerTask: null, bytesPerHour: null };
  assert.equal(verdictLine(insufficient, plain), 'verdict: insufficient — too few samples');
  const suspect = { ...run.verdict, status: 'suspect' as const, reason: 'decelerating' };
  assert.match(verdictLine(suspect, plain), /^verdict: suspect {2}\(decelerating\) 0 B\/task/);
  // A stable verdict whose rate still rises says why it is stable.
  const flat = { ...run.verdict, status: 'stable' as const, reason: 'flat within 1% of the memory held', bytesPerTask: null, bytesPerTaskCI: null, bytesPerHour: 8 * 1024 * 1024, bytesPerHourCI: [0, 16 * 1024 * 1024] as [number, number] };
  assert.match(verdictLine(flat, plain), /^verdict: stable {2}\(flat within 1% of the memory held\) \+8\.0 MB\/h/);
});

test('what went wrong is spelled out: protocol, leftovers, unfinished tasks, a cut-short run', () => {
  const run = makeRun({ tasks: 6, incomplete: true });
  run.protocol = { malformed: 2, oversized: 1 };
  run.processes[1]!.leftover = true;
  run.unfinished = { inFlight: '6', neverRan: 3 };
  const text = renderSummary(run, plain);
  assert.match(text, /protocol: 2 malformed boundary lines ignored/);
  assert.match(text, /protocol: 1 boundary line over 4096 bytes dropped/);
  assert.match(text, /leftover: pid 4243 \(python3 -m helper\) was still running after the worker exited; terminated/);
  assert.match(text, /unfinished: task 6 was running when the worker exited; 3 tasks never ran/);
  assert.match(text, /Task 6: RSS [\d.]+ MB → unfinished {2}build_report/);
  assert.match(text, /worker killed by SIGKILL/);
  assert.match(text, /\[run cut short: covers what was recorded\]/);
});

test('tasks fed back to back: no rate per hour, and the projection in tasks only', () => {
  const run = makeRun();
  run.verdict.dispatched = true;
  const lines = renderSummary(run, plain).split('\n');
  assert.equal(lines.at(-2), 'verdict: LEAK  +1.0 MB/task (95% CI +0.98..+1.02 MB/task) — reaches the 2.0 GB limit in ~1,894–1,972 tasks');
  // Without a rate per task, per hour is all there is: labelled with the run's pace.
  run.verdict = { ...run.verdict, bytesPerTask: null, bytesPerTaskCI: null, bytesPerHourCI: null, projection: { tasksToLimit: null, secondsToLimit: [568, 592] } };
  assert.equal(verdictLine(run.verdict, plain), "verdict: LEAK  +11.7 GB/h at this run's pace — reaches the 2.0 GB limit in ~9m28s–9m52s at this run's pace");
});

test('the sampler line appears only for processes in no sample', () => {
  const run = makeRun();
  assert.doesNotMatch(renderSummary(run, plain), /sampler:/);
  run.vanished = 3;
  assert.match(renderSummary(run, plain), /sampler: 3 short-lived processes of the tree exited before a first reading \(in no sample\)/);
});

test('worker strings cannot move the cursor or recolour the terminal', () => {
  const run = makeRun({ tasks: 3, names: ['\u001b[2J\u001b[31mevil\nname'], commands: ['\u001b]0;title\u0007worker', 'child'] });
  const text = renderSummary(run, plain);
  assert.ok(!text.includes('\u001b'));
  assert.ok(!text.includes('\u0007'));
});

test('downsampling keeps the peak of each bucket, and the chart never exceeds 70 columns', () => {
  assert.deepEqual(downsampleMax([1, 5, 2, 8, 3], 2), [5, 8]);
  assert.deepEqual(downsampleMax([1, 2], 5), [1, 2]);
  const series = Array.from({ length: 5000 }, (_, i) => 1e6 * (50 + (i % 100 === 0 ? 30 : 0) + i / 100));
  const chart = plotBytes([series], { width: 200, caption: 'elapsed: 0s … 1m33s' });
  const rows = chart.split('\n');
  assert.equal(rows.length, 12);
  assert.ok(rows.slice(0, -1).every((row) => [...row].length <= 10 + 1 + 70), 'label + axis + 70 columns');
  assert.match(rows[0]!, /^ *\d+\.\d MB┤/);
  assert.equal(rows.at(-1), '           elapsed: 0s … 1m33s');
  assert.equal(plotBytes([[]], { caption: 'x' }), '');
});

test('y labels carry enough decimals to tell rows apart, in one unit', async () => {
  const { axisLabel } = await import('../../src/render/chart.js');
  const MB = 1024 * 1024;
  assert.equal(axisLabel(48 * MB, 120 * MB)(100 * MB), '100.0 MB');
  assert.equal(axisLabel(68 * MB, 68.1 * MB)(68.05 * MB), '68.05 MB');
  assert.equal(axisLabel(0, 900)(450), '450 B');
  assert.equal(axisLabel(900 * MB, 1.5 * 1024 * MB)(1024 * MB), '1.00 GB', 'rows 64 MB apart need two decimals of a GB');
});

test('a long run of flat tasks marks none of them as "among the largest"', () => {
  const run = makeRun();
  const flat = run.tasks.map((t, i) => (i < 2 ? t : { ...t, rssAfterBytes: t.rssBeforeBytes, deltaBytes: 0, treeDeltaBytes: 0 }));
  const text = renderSummary({ ...run, tasks: flat }, plain, { width: 100 });
  const marked = text.split('\n').filter((l) => l.includes('among the largest'));
  assert.deepEqual(marked, [], 'a task that kept nothing is not one of the largest');
  assert.ok(text.includes('… 30 more tasks (first 5 and last 5 shown; none of the others kept memory)'));
});
