// Fault matrix rows 1, 2 and 17: the exit status is never lost, and a crash keeps every sample.
// test/e2e/watch.test.ts already covers codes 0, 1, 42, a SIGKILL from outside (137), a
// self-abort's 134 and a missing (127) or non-executable (126) command; these add the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';
import { node, readCsv, readJson, startLeakhunt } from './support.js';

const skip = process.platform !== 'linux' ? 'the fault matrix runs on Linux' : false;

for (const code of [2, 127, 255]) {
  test(`row 1: a worker exiting ${code} gives ${code}, and the report is written`, { skip, timeout: 20_000 }, async () => {
    const tmp = tempDir();
    try {
      const run = await startLeakhunt(['watch', '-q', '--interval', '50ms', '--json', tmp.path('r.json'), '--', node, fixture('exit-code.js'), String(code)]).finished;
      assert.equal(run.code, code, run.stderr);
      const report = readJson<{ exit: { code: number; signal: null } }>(tmp.path('r.json'));
      // 127 from the worker is told apart from "could not start" by the report: it exists.
      assert.deepEqual(report.exit, { code, signal: null });
    } finally {
      tmp.cleanup();
    }
  });
}

interface CrashReport {
  exit: { code: number | null; signal: string | null };
  incomplete: boolean;
  verdict: { incomplete?: boolean };
  samples: Array<{ seq: number; elapsedMs: number; event: string }>;
  slowTicks: number;
}

const INTERVAL_MS = 20;
for (const [signal, code, worker] of [
  ['SIGSEGV', 139, ['raise.js', 'SIGSEGV', '400']],
  ['SIGABRT', 134, ['raise.js', 'SIGABRT', '400']],
] as const) {
  test(`row 2: a worker raising ${signal} gives ${code}, keeps every sample, and the verdict is incomplete`, { skip, timeout: 20_000 }, async () => {
    const tmp = tempDir();
    try {
      const [script, ...args] = worker;
      const run = await startLeakhunt([
        'watch', '-q', '--interval', `${INTERVAL_MS}ms`, '--csv', tmp.path('s.csv'), '--json', tmp.path('r.json'), '--', node, fixture('faults', script), ...args,
      ]).finished;
      assert.equal(run.code, code, run.stderr);
      const report = readJson<CrashReport>(tmp.path('r.json'));
      assert.deepEqual(report.exit, { code: null, signal });
      assert.equal(report.incomplete, true);
      assert.equal(report.verdict.incomplete, true);

      // Every sample the worker lived through: one per interval from the first tick (the ticker
      // starts once the start sample is taken) to its death, less one for the edges; ticks
      // skipped because the machine was too busy are counted as slow ticks.
      const rows = readCsv(tmp.path('s.csv'));
      const tickMs = [...new Map(rows.filter((r) => r.event === 'tick').map((r) => [r.seq, Number(r.elapsed_ms)])).values()];
      const spanMs = tickMs.at(-1)! - tickMs[0]!;
      assert.ok(tickMs.at(-1)! >= 400, `the worker lived at least its 400 ms, last tick at ${tickMs.at(-1)}`);
      assert.ok(tickMs.length + report.slowTicks >= Math.floor(spanMs / INTERVAL_MS), `${tickMs.length} ticks (+${report.slowTicks} slow) over ${spanMs} ms`);
      // The CSV streamed while running and the JSON written at the end hold the same samples
      // (the CSV's last row is an exit marker with no process: the tree was gone by then).
      const processRows = rows.filter((r) => r.pid !== '');
      assert.deepEqual(processRows.map((r) => Number(r.seq)), report.samples.map((s) => s.seq));
      assert.equal(rows.at(-1)!.event, 'exit');
    } finally {
      tmp.cleanup();
    }
  });
}

test('row 17: a directory given as the command exits 126 with one line, and writes no report', { skip, timeout: 10_000 }, async () => {
  const tmp = tempDir();
  try {
    mkdirSync(tmp.path('dir'));
    const run = await startLeakhunt(['watch', '--json', tmp.path('r.json'), '--', tmp.path('dir')]).finished;
    assert.equal(run.code, 126);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^leakhunt: .*dir: cannot execute/);
    assert.equal(existsSync(tmp.path('r.json')), false);
  } finally {
    tmp.cleanup();
  }
});

test('row 17: compare with a missing command exits 127 with one line, and tries no further mode', { skip, timeout: 10_000 }, async () => {
  const run = await startLeakhunt(['compare', '--tasks', '3', '--modes', 'in-process,isolated', '--', 'no-such-command-xyz']).finished;
  assert.equal(run.code, 127, run.stderr);
  assert.deepEqual(run.stderr.trim().split('\n'), ['leakhunt: no-such-command-xyz: command not found']);
});

test('row 17: a script whose interpreter is missing exits 127, as a shell would', { skip, timeout: 10_000 }, async () => {
  const tmp = tempDir();
  try {
    const script = tmp.path('bad-interpreter.sh');
    writeFileSync(script, '#!/no/such/interpreter\necho hi\n');
    chmodSync(script, 0o755);
    const run = await startLeakhunt(['watch', '-q', '--', script]).finished;
    assert.equal(run.code, 127, run.stderr);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  } finally {
    tmp.cleanup();
  }
});
