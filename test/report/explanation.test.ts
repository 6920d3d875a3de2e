// verdict.explanation: the sentence every summary prints, the JSON round trip, and a report whose
// explanation this version cannot read (it renders without one).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Explanation, Verdict } from '../../src/model.js';
import { explanationSentence } from '../../src/format/explanation-words.js';
import { parseReport, toJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/md.js';
import { makeRun } from '../helpers/sample-run.js';

const KB = 1024;

const NEW_TYPES: Explanation = {
  kind: 'new-task-types',
  fits: [{ kind: 'new-task-types', bic: 300.3 }, { kind: 'per-run-leak', bic: 312.1 }],
  runnerUp: null,
  bytesPerNewType: 220 * KB,
  newTypes: { typesSeen: 41, firstRunShare: 0.95, bytesPerRepeat: 0, lateArrivalRatio: 1, stillArriving: true, lastNewTypeAt: 100 },
};

function withExplanation(explanation: Explanation, status: Verdict['status'] = 'leak'): Verdict {
  const run = makeRun();
  return { ...run.verdict, status, explanation };
}

test('each explanation reads as one sentence with its numbers', () => {
  assert.equal(
    explanationSentence(withExplanation(NEW_TYPES)),
    'grows with each new task type: +220.0 KB per new type, 0 B per repeat; 41 types seen, new ones still arriving; 95% of the growth at first runs',
  );
  const tapering = { ...NEW_TYPES, newTypes: { ...NEW_TYPES.newTypes!, stillArriving: false, lastNewTypeAt: 75 } };
  assert.match(explanationSentence(withExplanation(tapering, 'suspect'))!, /arrivals tapering off \(the latest at task 75\)/);
  const step: Explanation = { kind: 'step', fits: [], runnerUp: { kind: 'per-run-leak', deltaBic: 3.1 }, steps: [{ at: 340, bytes: 12 * 1024 * KB }] };
  assert.equal(explanationSentence(withExplanation(step, 'suspect')), 'moved in one step between flat levels (+12.0 MB at task 340), not at every task (a per-run leak fits nearly as well)');
  const cap: Explanation = { kind: 'filling-to-cap', fits: [], runnerUp: null, cap: { capBytes: 90e6, bytesToCap: 2 * 1024 * KB, timeConstant: 100, slowdownRatio: 0.1 } };
  assert.equal(explanationSentence(withExplanation(cap, 'suspect')), 'fills towards a cap: the rise halves every 69 tasks, about 2.0 MB still to come');
  const flat: Explanation = { kind: 'flat', fits: [], runnerUp: { kind: 'per-run-leak', deltaBic: 2.5 } };
  assert.equal(explanationSentence(withExplanation(flat, 'stable')), 'flat: no growth after the warm-up');
  assert.equal(explanationSentence({ ...makeRun().verdict, explanation: undefined }), null);
});

test('the explanation survives the JSON round trip and reaches the Markdown summary', () => {
  const run = makeRun();
  run.verdict = { ...run.verdict, explanation: NEW_TYPES };
  const { result } = parseReport(toJson(run), 'run.json');
  assert.deepEqual(result.verdict.explanation, NEW_TYPES);
  assert.match(renderMarkdown(result), /Why: grows with each new task type: \+220\.0 KB per new type/);
});

test('an explanation this version cannot read is dropped, and the report still reads', () => {
  const run = makeRun();
  const json = JSON.parse(toJson(run)) as { verdict: Record<string, unknown> };
  for (const broken of [{ kind: 'cosmic-rays', fits: [] }, { ...NEW_TYPES, bytesPerNewType: 'lots' }, 'per-run-leak']) {
    json.verdict['explanation'] = broken;
    const { result } = parseReport(JSON.stringify(json), 'run.json');
    assert.equal(result.verdict.explanation, undefined);
    assert.equal(result.verdict.status, run.verdict.status);
  }
});
