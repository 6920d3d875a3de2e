import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { createStyle } from '../../src/render/color.js';
import { heldAfterEachTask, renderComparison } from '../../src/render/compare.js';
import { renderRecordedComparison } from '../../src/render/compare-recorded.js';
import { comparisonConclusion, recycleRecommendation } from '../../src/format/conclusion.js';
import { makeRun } from '../helpers/sample-run.js';

const MB = 1024 * 1024;
const plain = createStyle({ color: false });

test('three modes: one chart, a coloured line and legend entry per mode, a row per mode, a conclusion', () => {
  const run = makeRun({ modes: ['in-process', 'isolated', 'recycle:10'], limitBytes: 512 * MB });
  const text = renderComparison(run, createStyle({ color: true }), { width: 100 });
  const bare = stripVTControlCharacters(text);
  // asciichart colours each series' segments with its own code: three distinct series colours.
  const codes = new Set([...text.matchAll(/\u001b\[(3[1-6])m[─╭╮╯╰│]/g)].map((m) => m[1]));
  assert.equal(codes.size, 3);
  assert.match(bare, /^━━ in-process {3}━━ isolated {3}━━ recycle:10$/m);
  assert.match(bare, /^ *task: 1 … 40$/m);
  assert.match(bare, /^MODE +BASELINE +FINAL +PEAK TREE RSS +VERDICT +TIME\/TASK +OVERHEAD VS IN-PROCESS$/m);
  assert.match(bare, /^in-process +[\d.]+ MB +[\d.]+ MB +[\d.]+ MB +leak \+1\.0 MB\/task +300ms +–$/m);
  assert.match(bare, /^isolated +[\d.]+ MB +[\d.]+ MB +[\d.]+ MB +stable 0 B\/task +420ms +\+120ms\/task \(\+40%\)$/m);
  assert.match(bare, /^recycle:10 +.* +312ms +\+12ms\/task \(\+4%\)$/m);
  assert.match(bare, /^isolation holds the worker at [\d.]+ MB; in-process grows 1\.0 MB\/task and reaches the 512\.0 MB limit after ~\d+ tasks$/m);
  assert.ok(!/recommendation/.test(bare), 'one recycle mode: nothing to choose between');
});

test('without colour there are no escape codes and the legend says lines follow mode order', () => {
  const run = makeRun({ modes: ['in-process', 'isolated', 'fork'] });
  const text = renderComparison(run, plain);
  assert.ok(!/\u001b/.test(text));
  assert.match(text, /\(lines in mode order; colour tells them apart\)/);
});

test('the conclusion is built from the data: a limit already passed, a flat in-process', () => {
  const run = makeRun({ modes: ['in-process', 'isolated'], limitBytes: null });
  assert.match(comparisonConclusion(run, 100 * MB)!, /in-process grows 1\.0 MB\/task and passed the 100\.0 MB limit at task \d+$/);
  assert.equal(comparisonConclusion(run, null), `isolation holds the worker at ${(run.modes![1]!.finalBytes! / MB).toFixed(1)} MB; in-process grows 1.0 MB/task`);
  const flat = makeRun({ modes: ['in-process', 'isolated'], leakPerTaskBytes: 0 });
  assert.match(comparisonConclusion(flat)!, /in-process stays flat too .* does not need isolation$/);
});

test('recommendation: largest recycle:N under the limit, else the knee of time per task', () => {
  const run = makeRun({ modes: ['in-process', 'recycle:2', 'recycle:5', 'recycle:10', 'recycle:20'], tasks: 40 });
  const peaks = run.modes!.map((m) => m.peakTreeRssBytes!);
  const limit = (peaks[3]! + peaks[4]!) / 2; // between recycle:10's peak and recycle:20's
  assert.match(recycleRecommendation(run, limit)!, /^use recycle:10: the largest N whose peak/);
  assert.match(recycleRecommendation(run, 1 * MB)!, /^no recycle:N tried keeps the peak under/);
  // No limit: 120 ms start-up over N tasks; within 5% of 300 ms first at N=10 (12 ms, 4%).
  const noLimit = makeRun({ modes: ['in-process', 'recycle:2', 'recycle:5', 'recycle:10', 'recycle:20'], limitBytes: null });
  assert.match(recycleRecommendation(noLimit)!, /^use recycle:10: the smallest N within 5%/);
});

test('the memory held after each task is the tree RSS at each end boundary', () => {
  const mode = makeRun({ modes: ['isolated'], tasks: 5 }).modes![0]!;
  assert.deepEqual(heldAfterEachTask(mode), mode.tasks.map((t) => t.treeRssAfterBytes));
});

test('recorded comparison: both runs per mode and the gates', () => {
  const before = makeRun({ modes: ['in-process'], tasks: 5 }).modes![0]!;
  const after = { ...before, peakTreeRssBytes: before.peakTreeRssBytes! / 2, verdict: { ...before.verdict, status: 'stable' as const, bytesPerTask: 0 } };
  const text = renderRecordedComparison([{ mode: 'in-process', before, after }], [{ gate: 'in-process does not leak', passed: true, message: 'after-run reads stable' }], plain, { before: 'a.json', after: 'b.json' });
  assert.match(text, /^leakhunt compare: before a\.json, after b\.json$/m);
  assert.match(text, /^in-process +[\d.]+ MB +[\d.]+ MB +-[\d.]+ MB \(-50\.0%\) +leak \+1\.0 MB\/task +stable 0 B\/task$/m);
  assert.match(text, /^pass {2}in-process does not leak: after-run reads stable$/m);
});

test("leakhunt's own CPU and a better spare count are said apart from TIME/TASK, only where measured", () => {
  const run = makeRun({ modes: ['in-process', 'isolated', 'recycle:10'] });
  const [inProcess, isolated, recycle] = run.modes!;
  inProcess!.ownCpuMsPerTask = 1.5;
  isolated!.ownCpuMsPerTask = 6.5;
  isolated!.spares = 1;
  isolated!.spareAdvice = { kept: 1, better: 2, reason: 'waited', medianMs: 4.2, cycleMs: 25 };
  recycle!.spares = 3;
  recycle!.spareAdvice = { kept: 3, better: 2, reason: 'idle', medianMs: 340, cycleMs: 250 };
  const text = renderComparison(run, plain);
  assert.match(text, /^isolated +.* +420ms +\+120ms\/task \(\+40%\)$/m, 'TIME/TASK is the worker\'s, unchanged');
  assert.match(text, /^leakhunt's own CPU per task \(not in TIME\/TASK\): in-process 1\.5ms, isolated 6\.5ms$/m);
  assert.match(text, /^warm workers kept ahead: isolated 1, recycle:10 3$/m);
  assert.match(text, /^isolated: tasks waited a median 4\.2ms for a warm worker still starting; 2 kept ahead instead of 1 would have started them sooner$/m);
  assert.match(text, /^recycle:10: warm workers sat ready a median 340ms, more than a worker's turn \(250ms\); 2 kept ahead instead of 3 would have been ready in time, with one process fewer starting beside each task$/m);
  delete recycle!.spareAdvice;
  assert.equal(renderComparison(run, plain).match(/kept ahead instead of/g)?.length, 1);
});
