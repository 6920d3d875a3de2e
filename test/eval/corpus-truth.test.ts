// The corpus's truth rule and scoring (eval/corpus-truth.ts, eval/corpus-score.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyTruth, retainedSeries } from '../../eval/corpus-truth.js';
import { isFalseLeak, isRight, rightVerdicts, scoreWorker, type CorpusRun } from '../../eval/corpus-score.js';
import { CORPUS, type CorpusCase } from '../../eval/corpus-cases.js';

const KB = 1024;
const lines = (values: number[], pid = 7): string => values.map((v) => `${pid} ${v}`).join('\n') + '\n';
const ramp = (n: number, perTask: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i * perTask);

test('a steady 2 KB a task is a leak; a constant is not', () => {
  assert.equal(classifyTruth(retainedSeries(lines(ramp(300, 2 * KB))))!.truth, 'leak');
  assert.equal(classifyTruth(retainedSeries(lines(ramp(300, 0, 800 * KB))))!.truth, 'not-leak');
});

test('a cache that fills in the first half and stops is not a leak; one still filling slowly at the end is ambiguous', () => {
  const fills = Array.from({ length: 500 }, (_, i) => Math.min(i, 200) * 8 * KB);
  assert.equal(classifyTruth(retainedSeries(lines(fills)))!.truth, 'not-leak');
  // Fills to a cap along an exponential: the last quarter keeps less than half the second half's pace.
  const slowing = Array.from({ length: 400 }, (_, i) => Math.round(4096 * KB * (1 - Math.exp(-i / 80))));
  assert.equal(classifyTruth(retainedSeries(lines(slowing)))!.truth, 'ambiguous');
});

test('processes are summed while alive and drop out when reported gone', () => {
  const text = '10 100\n11 50\n10 200\n11 -\n12 30\n';
  assert.deepEqual(retainedSeries(text), [100, 150, 250, 200, 230]);
  assert.equal(classifyTruth([1, 2, 3]), null, 'too few points');
});

test('right verdicts: leak for a leak, stable for a not-leak, suspect or the label when ambiguous', () => {
  assert.deepEqual(rightVerdicts('leak', 'leak'), ['leak']);
  assert.deepEqual(rightVerdicts('not-leak', 'not-leak'), ['stable']);
  assert.deepEqual(rightVerdicts('not-leak', 'ambiguous'), ['suspect', 'stable']);
  assert.deepEqual(rightVerdicts('leak', null), []);
});

function run(status: string, truth: CorpusRun['truth'], n = 1): CorpusRun {
  return { id: 'w', run: n, loaded: n > 3, status, reason: '', bytesPerTask: null, tasks: 300, truth, secondHalfPace: null, seconds: 1 };
}

test('false leaks, consistency and truth mismatches over five runs', () => {
  const worker: CorpusCase = { id: 'w', runtime: 'node', label: 'not-leak', pattern: '', boundaries: 'helper', feed: { kind: 'self', tasks: 10 } };
  assert.equal(isFalseLeak('not-leak', run('leak', 'ambiguous')), true);
  assert.equal(isFalseLeak('leak', run('leak', 'ambiguous')), false);
  assert.equal(isRight('leak', run('suspect', 'leak')), false);
  const score = scoreWorker(worker, [run('stable', 'not-leak', 1), run('stable', 'not-leak', 2), run('suspect', 'not-leak', 3), run('stable', 'not-leak', 4), run('leak', 'leak', 5)]);
  assert.equal(score.right, 4, "the last run read leak, and its truth was a leak");
  assert.equal(score.falseLeaks, 0);
  assert.deepEqual(score.modal, { status: 'stable', count: 3 });
  assert.equal(score.consistent, false);
  assert.equal(score.truthMismatches, 1);
});

test('the corpus: at least 30 workers over the three runtimes, unique ids, both labels in each runtime', () => {
  assert.ok(CORPUS.length >= 30, String(CORPUS.length));
  assert.equal(new Set(CORPUS.map((c) => c.id)).size, CORPUS.length);
  for (const runtime of ['node', 'python', 'django'] as const) {
    const labels = new Set(CORPUS.filter((c) => c.runtime === runtime).map((c) => c.label));
    assert.deepEqual([...labels].sort(), ['leak', 'not-leak'], runtime);
  }
});
