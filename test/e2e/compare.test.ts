// `leakhunt compare` end to end: the import-leak story in Node and Python, the gates both
// ways, failures recorded, and before/after on recorded runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';

const node = process.execPath;
const SIXTY_TYPES = fixture('tasks', 'sixty-task-types.jsonl');

interface Report {
  modes: Array<{ mode: string; verdict: { status: string; bytesPerTask: number | null }; tasks: unknown[]; failure?: string; msPerTask: number | null }>;
  gates: Array<{ gate: string; passed: boolean }>;
}

for (const [language, worker] of [['Node', [node, fixture('import-leak.js')]], ['Python', ['python3', fixture('import-leak.py')]]] as const) {
  test(`${language} import-leak: in-process reads leak, isolated never reads as growth; the gate passes unless --fail-on leak`, { timeout: 120_000 }, async () => {
    const tmp = tempDir();
    try {
      const run = await leakhunt(['compare', '--tasks', SIXTY_TYPES, '--interval', '100ms', '--json', tmp.path('c.json'), '--', ...worker], { timeoutMs: 110_000 });
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(readFileSync(tmp.path('c.json'), 'utf8')) as Report;
      const byMode = Object.fromEntries(report.modes.map((m) => [m.mode, m]));
      assert.equal(byMode['in-process']!.tasks.length, 60);
      assert.equal(byMode['isolated']!.tasks.length, 60);
      assert.equal(byMode['in-process']!.verdict.status, 'leak', run.stderr);
      // Fresh processes differ by a few pages, and 60 of them are a short run (full evidence takes
      // 400): a small shift can leave the verdict at insufficient (seen in 2 CI runs of many). What
      // must hold is that isolation never reads as growth, and that the gate below passes.
      const isolated = byMode['isolated']!.verdict as { status: string; reason?: string };
      assert.ok(['stable', 'insufficient'].includes(isolated.status), `${isolated.status} (${isolated.reason})\n${run.stderr}`);
      if (isolated.status === 'stable') assert.match(run.stderr, /isolation holds the worker at/);
      assert.match(run.stderr, /in-process grows/);

      // The same numbers as a CI gate: with --fail-on leak the in-process leak fails the build.
      const gated = await leakhunt(['compare', tmp.path('c.json'), tmp.path('c.json')]);
      assert.equal(gated.code, 1, 'a recorded run whose in-process mode leaks fails compare <before> <after>');
    } finally {
      tmp.cleanup();
    }
  });
}

test('--fail-on leak fails when in-process leaks; a growth isolation cannot fix fails by itself', { timeout: 90_000 }, async () => {
  const failOn = await leakhunt(['compare', '-q', '--tasks', SIXTY_TYPES, '--modes', 'in-process', '--interval', '100ms', '--fail-on', 'leak', '--', node, fixture('import-leak.js')], { timeoutMs: 60_000 });
  assert.equal(failOn.code, 1, failOn.stderr);
  const tmp = tempDir();
  try {
    const grows = await leakhunt(['compare', '--tasks', '60', '--modes', 'isolated', '--interval', '100ms', '--json', tmp.path('g.json'), '--', node, fixture('grows-with-input.js')], { timeoutMs: 80_000 });
    assert.equal(grows.code, 1, grows.stderr);
    assert.match(grows.stderr, /isolated still grows/);
    const report = JSON.parse(readFileSync(tmp.path('g.json'), 'utf8')) as Report;
    assert.deepEqual(report.gates.filter((g) => !g.passed).map((g) => g.gate), ['isolated does not grow']);
  } finally {
    tmp.cleanup();
  }
});

test('a worker that crashes mid-mode is recorded, the next mode still runs, and compare fails', async () => {
  const tmp = tempDir();
  try {
    // Crashes on task 3 when it runs in-process (the third task it sees); isolated never sees more than one.
    const script = tmp.path('crash-on-third.mjs');
    writeFileSync(script, `import { serveTasks } from ${JSON.stringify(fixture('..', 'dist', 'src', 'worker', 'index.js'))};\nlet seen = 0;\nawait serveTasks(() => { if (++seen === 3) process.abort(); });\n`);
    const run = await leakhunt(['compare', '--tasks', '5', '--interval', '100ms', '--json', tmp.path('c.json'), '--', node, script]);
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(readFileSync(tmp.path('c.json'), 'utf8')) as Report;
    assert.match(report.modes[0]!.failure ?? '', /SIGABRT during task 3/);
    assert.equal(report.modes[1]!.tasks.length, 5);
    assert.equal(report.modes[1]!.failure, undefined);
  } finally {
    tmp.cleanup();
  }
});

test('--task-timeout kills a hung task and records it', async () => {
  const tmp = tempDir();
  try {
    const script = tmp.path('hang.mjs');
    writeFileSync(script, `import { serveTasks } from ${JSON.stringify(fixture('..', 'dist', 'src', 'worker', 'index.js'))};\nawait serveTasks(({ task }) => task === '2' ? new Promise(() => setInterval(() => {}, 1000)) : undefined);\n`);
    const started = Date.now();
    const run = await leakhunt(['compare', '--tasks', '3', '--modes', 'in-process', '--task-timeout', '500ms', '--kill-after', '200ms', '--json', tmp.path('c.json'), '--', node, script]);
    assert.equal(run.code, 1, run.stderr);
    assert.ok(Date.now() - started < 15_000);
    const report = JSON.parse(readFileSync(tmp.path('c.json'), 'utf8')) as Report;
    assert.match(report.modes[0]!.failure ?? '', /task 2 timed out/);
  } finally {
    tmp.cleanup();
  }
});

test('a worker that cannot start: 127 with one line', async () => {
  const run = await leakhunt(['compare', '--tasks', '2', '--', 'no-such-worker-xyz']);
  assert.equal(run.code, 127, run.stderr);
  assert.match(run.stderr, /no-such-worker-xyz: command not found/);
});

test('compare before/after on recorded runs: a fix passes, a regression fails, a bad file is exit 2', async () => {
  const before = fixture('recorded', 'before-leaky.json');
  const after = fixture('recorded', 'after-fixed.json');
  const fixed = await leakhunt(['compare', before, after]);
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.match(fixed.stderr, /in-process/);
  const regressed = await leakhunt(['compare', after, before]);
  assert.equal(regressed.code, 1, regressed.stderr);
  const peak = await leakhunt(['compare', '--max-growth', '5%', before, after]);
  assert.equal(peak.code, 0, peak.stderr);
  const tmp = tempDir();
  try {
    writeFileSync(tmp.path('broken.json'), readFileSync(after, 'utf8').slice(0, 500));
    const broken = await leakhunt(['compare', before, tmp.path('broken.json')]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.json/);
    writeFileSync(tmp.path('other.json'), JSON.stringify({ schema: 'something/else@1' }));
    const wrong = await leakhunt(['compare', before, tmp.path('other.json')]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /other\.json.*schema/);
  } finally {
    tmp.cleanup();
  }
});
