import { test } from 'node:test';
import assert from 'node:assert/strict';
import { annotate, compareGates, escapeCommandData } from '../../src/commands/compare-gates.js';
import { parseMaxGrowth, recordedGates, type ModePair } from '../../src/commands/compare-recorded.js';
import type { ModeResult, VerdictStatus } from '../../src/model.js';

const mode = (name: string, status: VerdictStatus, extra: Partial<ModeResult> = {}): ModeResult => ({
  mode: name,
  verdict: { status, reason: '', series: 'tree-rss', bytesPerTask: status === 'leak' ? 1_000_000 : 0, bytesPerTaskCI: null, bytesPerHour: null, bytesPerHourCI: null, limit: null, projection: null },
  tasks: [], samples: [], processes: [], attribution: [],
  baselineBytes: 40e6, finalBytes: 40e6, peakTreeRssBytes: 50e6, msPerTask: 10, wallMs: 1000,
  ...extra,
});

test('compare fails when an isolating mode still leaks', () => {
  const gates = compareGates([mode('in-process', 'leak'), mode('isolated', 'leak')], undefined);
  assert.deepEqual(gates.map((g) => g.passed), [false]);
  assert.match(gates[0]!.message, /isolated still grows/);
});

test('compare passes when isolation holds, unless --fail-on leak and in-process leaks', () => {
  const modes = [mode('in-process', 'leak'), mode('isolated', 'stable'), mode('recycle:10', 'stable')];
  assert.ok(compareGates(modes, undefined).every((g) => g.passed));
  const gated = compareGates(modes, 'leak');
  assert.equal(gated.filter((g) => !g.passed).length, 1);
  assert.match(gated.find((g) => !g.passed)!.message, /in-process reads leak/);
  assert.ok(compareGates([mode('in-process', 'suspect'), mode('isolated', 'stable')], 'leak').every((g) => g.passed));
  assert.ok(!compareGates([mode('in-process', 'suspect'), mode('isolated', 'stable')], 'suspect').every((g) => g.passed));
});

test('a mode that crashed fails the comparison', () => {
  const gates = compareGates([mode('in-process', 'stable', { failure: 'the worker was killed by SIGSEGV' }), mode('isolated', 'stable')], undefined);
  assert.equal(gates.filter((g) => !g.passed).length, 1);
});

test('an isolating mode that failed gets no "does not grow" pass: it has no figures to pass on', () => {
  const failed = mode('isolated', 'insufficient', { failure: 'the load failed (exit code 1)' });
  const gates = compareGates([mode('in-process', 'stable'), failed], undefined);
  assert.deepEqual(gates.map((g) => [g.gate, g.passed]), [['isolated ran', false]]);
});

test('GitHub annotations are emitted only under GITHUB_ACTIONS, escaped', () => {
  const out: string[] = [];
  const gates = [{ gate: 'x', passed: false, message: '50% up\nnext' }];
  annotate(gates, {}, (s) => out.push(s));
  assert.equal(out.length, 0);
  annotate(gates, { GITHUB_ACTIONS: 'true' }, (s) => out.push(s));
  assert.deepEqual(out, ['::error title=leakhunt gate failed::50%25 up%0Anext\n']);
  assert.equal(escapeCommandData('a\r\nb'), 'a%0D%0Ab');
});

test('before/after gates: the after-run must not leak, and --max-growth bounds rate and peak', () => {
  const pair = (before: ModeResult, after: ModeResult): ModePair[] => [{ mode: 'run', before, after }];
  assert.ok(recordedGates(pair(mode('run', 'stable'), mode('run', 'stable')), null).every((g) => g.passed));
  assert.ok(!recordedGates(pair(mode('run', 'stable'), mode('run', 'leak')), null).every((g) => g.passed));
  const bytes = parseMaxGrowth('1MB');
  assert.deepEqual(bytes, { kind: 'bytes', bytes: 1024 * 1024 });
  const higherPeak = mode('run', 'stable', { peakTreeRssBytes: 50e6 + 2 * 1024 * 1024 });
  const failed = recordedGates(pair(mode('run', 'stable'), higherPeak), bytes).filter((g) => !g.passed);
  assert.deepEqual(failed.map((g) => g.gate), ['run peak']);
  const percent = parseMaxGrowth('10%');
  assert.deepEqual(percent, { kind: 'percent', fraction: 0.1 });
  const grew = mode('run', 'stable', { finalBytes: 48e6 });
  assert.deepEqual(recordedGates(pair(mode('run', 'stable'), grew), percent).filter((g) => !g.passed).map((g) => g.gate), ['run growth']);
  assert.throws(() => parseMaxGrowth('lots'), /--max-growth/);
});

test('variants: only the isolating ones are held to "does not grow"; --fail-on reads the first variant (the baseline)', () => {
  const modes = [
    mode('solo', 'leak', { baseline: true, isolating: false }),
    mode('sandboxed', 'leak', { isolating: false }),
    mode('per-child', 'stable', { isolating: true }),
  ];
  const gates = compareGates(modes, undefined);
  assert.deepEqual(gates.map((g) => [g.gate, g.passed]), [['per-child does not grow', true]]);
  const gated = compareGates(modes, 'leak');
  assert.deepEqual(gated.filter((g) => !g.passed).map((g) => g.message), ['solo reads leak (--fail-on leak)']);
  const stillGrows = compareGates([mode('solo', 'leak', { baseline: true, isolating: false }), mode('recycle:1', 'leak', { isolating: true })], undefined);
  assert.match(stillGrows.find((g) => !g.passed)!.message, /recycle:1 still grows/);
});
