// The explanations: each shape picks its own by BIC, and the cases the verdict used to get wrong.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeRun } from '../../src/detect/index.js';
import { explainGrowth } from '../../src/detect/explain.js';
import { KB, MB, perTaskSeries, taskRun } from './synthetic.js';

const positions = (k: number): number[] => Array.from({ length: k }, (_, i) => 10 * (i + 1));

test('each shape is explained by its own candidate, with its numbers', () => {
  const x = positions(30);
  const noise = (i: number): number => ((i * 7919) % 13) * 1000;
  const explain = (y: number[], typesSeen: number[] | null = null) => explainGrowth({ x, y, level: 50 * MB, typesSeen, slowestBend: 3000 })!.best;

  const line = explain(x.map((v, i) => 50 * MB + 20 * KB * v + noise(i)));
  assert.equal(line.kind, 'per-run-leak');
  assert.ok(Math.abs(line.slope! - 20 * KB) < 0.02 * 20 * KB);

  const cap = explain(x.map((v, i) => 50 * MB + 30 * MB * (1 - Math.exp(-v / 60)) + noise(i)));
  assert.equal(cap.kind, 'filling-to-cap');
  assert.ok(Math.abs(cap.cap!.timeConstant - 60) < 15, `τ ${cap.cap!.timeConstant}`);

  const step = explain(x.map((v, i) => 50 * MB + (v > 150 ? 8 * MB : 0) + noise(i)));
  assert.equal(step.kind, 'step');
  assert.equal(step.steps!.length, 1);
  assert.equal(step.steps![0]!.at, 160);
  assert.ok(Math.abs(step.steps![0]!.bytes - 8 * MB) < 50 * KB);

  // Types arrive irregularly (bursts and pauses), so their count is no straight line.
  const typesSeen = x.map((_, i) => [0, 1, 1, 4, 4, 4, 5, 9, 9, 9, 9, 10, 13, 13, 14, 14, 14, 18, 18, 18, 19, 22, 22, 22, 23, 26, 27, 27, 27, 30][i]!);
  const types = explain(typesSeen.map((t, i) => 50 * MB + 400 * KB * t + noise(i)), typesSeen);
  assert.equal(types.kind, 'new-task-types');
  assert.ok(Math.abs(types.bytesPerNewType! - 400 * KB) < 10 * KB);

  assert.equal(explain(x.map((_, i) => 50 * MB + noise(i))).kind, 'flat');
});

test('case 1: a clean 48 KB/task leak, slowing by 0.6% over 400 tasks, in 4 KB pages, reads leak', () => {
  // Growth with no noise but page rounding: the slowdown is "significant" and far too small to matter.
  const values = Array.from({ length: 400 }, (_, i) => Math.ceil((20 * MB + 48 * KB * i * (1 - (0.006 * i) / 400)) / 4096) * 4096);
  const verdict = judgeRun(taskRun(values));
  assert.equal(verdict.status, 'leak');
  assert.equal(verdict.explanation?.kind, 'per-run-leak');
  assert.match(verdict.reason, /per-run leak/);
});

test('case 2: drops every 8 tasks in a 30-task warm-up, then flat to the byte, reads stable after 50 tasks', () => {
  const values = Array.from({ length: 50 }, (_, i) => (i < 30 ? 20 * MB + (i % 8) * 2 * MB : 25 * MB));
  const verdict = judgeRun(taskRun(values));
  assert.equal(verdict.status, 'stable');
  assert.equal(verdict.explanation?.kind, 'flat');
  // The GC period is read in the window, where there are no drops: blocks are sized for trends.
  assert.ok(verdict.statistic!.blocks >= 12, `${verdict.statistic!.blocks} blocks`);
});

/** 100 tasks where every 5th and 2nd-of-5 task is a new type, 400 KB each; `until` stops new types. */
function newTypesRun(until: number): { values: number[]; firstRuns: number[] } {
  const values: number[] = [];
  const firstRuns: number[] = [];
  let memory = 40 * MB;
  for (let task = 1; task <= 100; task++) {
    if ((task === 1 || task % 5 === 0 || task % 5 === 2) && task <= until) {
      firstRuns.push(task);
      memory += 400 * KB;
    }
    values.push(Math.ceil((memory + ((task * 7919) % 11) * 2 * KB) / 4096) * 4096);
  }
  return { values, firstRuns };
}

test('case 3: +40% over 100 tasks, growing only at first runs of task types still arriving: leak (new task types)', () => {
  const { values, firstRuns } = newTypesRun(100);
  const run = taskRun(values);
  run.perTask!.firstRuns = firstRuns;
  const verdict = judgeRun(run);
  assert.equal(verdict.status, 'leak');
  assert.equal(verdict.reason, 'new task types (still arriving)');
  const e = verdict.explanation!;
  assert.equal(e.kind, 'new-task-types');
  assert.ok(Math.abs(e.bytesPerNewType! - 400 * KB) < 40 * KB, `${e.bytesPerNewType}`);
  assert.equal(e.newTypes!.typesSeen, 41);
  assert.equal(e.newTypes!.stillArriving, true);
  assert.ok(e.newTypes!.firstRunShare > 0.9);
  assert.ok(Math.abs(e.newTypes!.bytesPerRepeat) <= 4 * KB);
  // Without the names the same memory is a steady rise, not a type story.
  assert.notEqual(judgeRun(taskRun(values)).explanation?.kind, 'new-task-types');
});

test('new types that stop arriving late in the run: suspect, arrivals tapering off', () => {
  const { values, firstRuns } = newTypesRun(75);
  const run = taskRun(values);
  run.perTask!.firstRuns = firstRuns;
  const verdict = judgeRun(run);
  assert.equal(verdict.status, 'suspect');
  assert.equal(verdict.reason, 'new task types (arrivals tapering off)');
  assert.equal(verdict.explanation?.newTypes?.stillArriving, false);
});

test('a leak seen behind the tail of a large warm-up is a per-run leak, not a cap', () => {
  const values = perTaskSeries(1500, (t) => 30 * MB * (1 - Math.exp(-t / 120)) + 10 * KB * t, 60 * KB, 3);
  const verdict = judgeRun(taskRun(values));
  assert.equal(verdict.status, 'leak');
  assert.equal(verdict.explanation?.kind, 'per-run-leak');
});

test('a cache that fills towards its cap reads as one, and never as a leak', () => {
  const values = perTaskSeries(800, (t) => 40 * MB * (1 - Math.exp(-t / 250)), 30 * KB, 5);
  const verdict = judgeRun(taskRun(values));
  assert.notEqual(verdict.status, 'leak');
  assert.equal(verdict.explanation?.kind, 'filling-to-cap');
});
