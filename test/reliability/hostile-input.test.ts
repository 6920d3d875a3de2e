// Fault matrix rows 14, 15 and 16: hostile task names, hostile arguments and hostile output
// paths, end to end through the bin. The writers' own unit tests (test/report/csv.test.ts,
// atomic.test.ts) cover the cells and files one by one; test/e2e/watch.test.ts covers watch's argv.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';
import { decodeTextCell } from '../../src/report/csv-parse.js';
import { node, readCsv, readJson, startLeakhunt } from './support.js';

const skip = process.platform !== 'linux' ? 'the fault matrix runs on Linux' : false;

/** What a spreadsheet would run as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r\n]/;
const TEXT_COLUMNS = new Set(['event', 'command', 'task', 'name', 'mode', 'ok']);

test('row 14: hostile task names round-trip through the CSV files, no text cell starts a formula, numbers stay numbers', { skip, timeout: 20_000 }, async () => {
  const tmp = tempDir();
  try {
    const run = await startLeakhunt(['watch', '-q', '--interval', '50ms', '--csv', tmp.path('s.csv'), '--json', tmp.path('r.json'), '--', node, fixture('faults', 'hostile-names.js')]).finished;
    assert.equal(run.code, 0, run.stderr);
    const names = JSON.parse(run.stdout) as string[];
    // leakhunt records the names as sent; only the CSV drops NUL (documented in src/report/csv.ts).
    const recorded = readJson<{ tasks: Array<{ task: string; name: string }> }>(tmp.path('r.json')).tasks;
    assert.deepEqual(recorded.map((t) => t.name), names);
    const inCsv = names.map((name) => name.replaceAll('\0', ''));

    for (const file of ['s.csv', 's.tasks.csv']) {
      const rows = readCsv(tmp.path(file));
      for (const row of rows) {
        for (const [column, cell] of Object.entries(row)) {
          if (TEXT_COLUMNS.has(column)) assert.doesNotMatch(cell, FORMULA_START, `${file} ${column} ${JSON.stringify(cell)}`);
          else assert.ok(cell === '' || Number.isFinite(Number(cell)), `${file} ${column} ${JSON.stringify(cell)} is not a number`);
        }
      }
      const named = rows.filter((row) => row.name !== '');
      assert.deepEqual([...new Set(named.map((row) => decodeTextCell(row.name!)))], inCsv, `${file}: names after one quote prefix is taken off`);
      assert.deepEqual([...new Set(named.map((row) => decodeTextCell(row.task!)))], inCsv.map((name, i) => `${name}#${i}`));
    }
    // Negative deltas stay negative numbers, not text.
    const deltas = readCsv(tmp.path('s.tasks.csv')).map((row) => Number(row.delta_bytes));
    assert.ok(deltas.every(Number.isFinite));

    // And leakhunt reads its own CSV back to the same names.
    const back = await startLeakhunt(['report', tmp.path('s.csv'), '--json', tmp.path('back.json')]).finished;
    assert.equal(back.code, 0, back.stderr);
    assert.deepEqual(readJson<{ tasks: Array<{ name: string }> }>(tmp.path('back.json')).tasks.map((t) => t.name), inCsv);
  } finally {
    tmp.cleanup();
  }
});

const HOSTILE_ARGS = ['$(touch pwned)', '`touch pwned`', ';', '*', '&& touch pwned', '', '--', 'a b', 'new\nline', '"', "'", '\\'];

test('row 15: hostile arguments reach the worker verbatim, in watch and in compare, and no file is created', { skip, timeout: 30_000 }, async () => {
  const tmp = tempDir();
  try {
    // The run's working directory is the empty temp dir: a shell would expand * there, or create pwned.
    const watch = await startLeakhunt(['watch', '-q', '--', node, fixture('argv-echo.js'), ...HOSTILE_ARGS], { cwd: tmp.dir }).finished;
    assert.equal(watch.code, 0, watch.stderr);
    assert.deepEqual(JSON.parse(watch.stdout), HOSTILE_ARGS);
    // compare starts the worker its own way (warm spares): one task, isolated; the worker exits
    // without running it, which compare reports but which does not matter here.
    const compare = await startLeakhunt(['compare', '-q', '--modes', 'isolated', '--tasks', '1', '--', node, fixture('argv-echo.js'), ...HOSTILE_ARGS], { cwd: tmp.dir }).finished;
    assert.deepEqual(JSON.parse(compare.stdout.trim().split('\n')[0]!), HOSTILE_ARGS);
    assert.deepEqual(readdirSync(tmp.dir), []);
  } finally {
    tmp.cleanup();
  }
});

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

for (const flag of ['--json', '--html', '--md', '--csv']) {
  test(`row 16: ${flag} naming a symbolic link is refused with exit 2, and the file it points to is untouched`, { skip, timeout: 10_000 }, async () => {
    const tmp = tempDir();
    try {
      const victim = tmp.path('victim.txt');
      writeFileSync(victim, 'precious\n');
      const before = sha256(victim);
      symlinkSync(victim, tmp.path('out'));
      const run = await startLeakhunt(['watch', '-q', flag, tmp.path('out'), '--', node, fixture('exit-code.js'), '0']).finished;
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /symbolic link; refusing to write through it/);
      assert.equal(sha256(victim), before);
      assert.deepEqual(readdirSync(tmp.dir).sort(), ['out', 'victim.txt']);
    } finally {
      tmp.cleanup();
    }
  });
}

test('row 16: a link planted in place of an output while the run goes is refused at write time, never written through', { skip, timeout: 15_000 }, async () => {
  const tmp = tempDir();
  try {
    const victim = tmp.path('victim.txt');
    writeFileSync(victim, 'precious\n');
    const before = sha256(victim);
    const run = startLeakhunt(['watch', '-q', '--interval', '50ms', '--json', tmp.path('r.json'), '--', node, fixture('steady.js'), '800']);
    // The path was checked at start; the attacker swaps in a link afterwards.
    await new Promise((r) => setTimeout(r, 300));
    symlinkSync(victim, tmp.path('r.json'));
    const done = await run.finished;
    assert.equal(sha256(victim), before, 'the victim is untouched');
    // Checked again at write time: refused with exit 2, the link left as it is.
    assert.equal(done.code, 2, done.stderr);
    assert.match(done.stderr, /r\.json is a symbolic link; refusing to write through it/);
    assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp')), []);
  } finally {
    tmp.cleanup();
  }
});

test('row 16: two concurrent runs writing the same outputs never clobber each other: each file whole, no temp left', { skip, timeout: 20_000 }, async () => {
  const tmp = tempDir();
  try {
    const outputs = ['--json', tmp.path('r.json'), '--html', tmp.path('r.html'), '--md', tmp.path('r.md')];
    const runs = await Promise.all([0, 1].map((i) => startLeakhunt(['watch', '-q', '--interval', '20ms', ...outputs, '--', node, fixture('exit-code.js'), String(i + 3)]).finished));
    assert.deepEqual(runs.map((r) => r.code), [3, 4], runs.map((r) => r.stderr).join('\n'));
    // The last rename wins, whole: one run's report, never a mix of both.
    const report = readJson<{ exit: { code: number } }>(tmp.path('r.json'));
    assert.ok([3, 4].includes(report.exit.code));
    assert.match(readFileSync(tmp.path('r.html'), 'utf8'), /<\/html>\s*$/);
    assert.deepEqual(readdirSync(tmp.dir).sort(), ['r.html', 'r.json', 'r.md']);
  } finally {
    tmp.cleanup();
  }
});
