// Fault matrix rows 6 and 7: leakhunt itself killed, or interrupted twice while it writes its
// reports. Node cannot set PR_SET_PDEATHSIG, so row 6 rests on the watchdog (src/runner/watchdog.ts):
// a tiny sh that sees leakhunt's pipe close and kills the worker's group, TERM then KILL 1 s later.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';
import { alive, killAll, node, processesTagged, readJson, readOrNull, startLeakhunt, waitUntil, type CsvRow } from './support.js';

const skip = process.platform !== 'linux' ? 'the fault matrix runs on Linux' : false;

/** The watchdog's TERM, its 1 s grace, its KILL, and a busy machine's scheduling. */
const ORPHAN_DEADLINE_MS = 2500;

/** The rows of a samples CSV up to its last complete line (a kill may cut the one being written). */
function completeRows(path: string): CsvRow[] {
  const text = readFileSync(path, 'utf8');
  return parse(text.slice(0, text.lastIndexOf('\r\n') + 2), { columns: true }) as CsvRow[];
}

test('row 6: leakhunt SIGKILLed: no worker survives, the CSV parses up to the last tick, and report rebuilds it marked incomplete', { skip, timeout: 20_000 }, async (t) => {
  const tmp = tempDir();
  let pids: number[] = [];
  try {
    // Every member ignores TERM, so only the watchdog's KILL can end them.
    const run = startLeakhunt(['watch', '-q', '--interval', '20ms', '--csv', tmp.path('s.csv'), '--', node, fixture('tree.js'), 'root,child,grandchild']);
    pids = Object.values(JSON.parse(await run.line(/^\{.*grandchild/)) as Record<string, number>);
    await new Promise((r) => setTimeout(r, 300));
    const killedAt = performance.now();
    run.child.kill('SIGKILL');
    const done = await run.finished;
    assert.equal(done.signal, 'SIGKILL');
    const cleared = await waitUntil(() => pids.every((pid) => !alive(pid)), ORPHAN_DEADLINE_MS);
    assert.ok(cleared, `still alive ${ORPHAN_DEADLINE_MS} ms after the kill: ${pids.filter(alive).join(', ')}`);
    const clearedMs = performance.now() - killedAt;
    t.diagnostic(`the watchdog cleared the tree ${Math.round(clearedMs)} ms after leakhunt was killed`);

    const rows = completeRows(tmp.path('s.csv'));
    assert.ok(rows.length >= 10, `${rows.length} rows`);
    assert.ok(rows.every((r) => Number.isFinite(Number(r.elapsed_ms)) && Number(r.rss_bytes) >= 0));
    // The tree of three was sampled, tick after tick, until the kill.
    assert.deepEqual(new Set(rows.map((r) => Number(r.pid))), new Set(pids));
    assert.equal(rows.at(-1)!.event, 'tick');

    // leakhunt report rebuilds the run from the CSV alone, marked incomplete: the CSV lacks the
    // exit row every run that ends writes last.
    const report = await startLeakhunt(['report', tmp.path('s.csv'), '--json', tmp.path('rebuilt.json')]).finished;
    assert.equal(report.code, 0, report.stderr);
    const rebuilt = readJson<{ samples: unknown[]; incomplete: boolean; verdict: { incomplete?: boolean } }>(tmp.path('rebuilt.json'));
    assert.equal(rebuilt.samples.length, rows.length);
    assert.equal(rebuilt.incomplete, true);
    assert.equal(rebuilt.verdict.incomplete, true);
  } finally {
    killAll(pids);
    tmp.cleanup();
  }
});

/** Each output is whole (it parses to the end) or absent; no temp file is left beside them. */
function assertWholeOrAbsent(dir: string): string[] {
  const files = readdirSync(dir);
  const present: string[] = [];
  for (const name of files) {
    const text = readFileSync(`${dir}/${name}`, 'utf8');
    if (name.endsWith('.json')) JSON.parse(text);
    else if (name.endsWith('.html')) assert.match(text, /<\/html>\s*$/, `${name} is cut short`);
    else if (name.endsWith('.md')) assert.match(text, /\n$/, `${name} is cut short`);
    else if (name.endsWith('.csv')) parse(text.slice(0, text.lastIndexOf('\r\n') + 2), { columns: true });
    present.push(name);
  }
  assert.deepEqual(files.filter((f) => f.endsWith('.tmp')), [], 'temp files left behind');
  return present;
}

/** Sends SIGINT every `everyMs` until the process is gone: some land during the final write. */
function interruptRepeatedly(pid: number, everyMs: number): () => number {
  let sent = 0;
  const timer = setInterval(() => {
    try {
      process.kill(pid, 'SIGINT');
      sent++;
    } catch {
      clearInterval(timer);
    }
  }, everyMs);
  return () => (clearInterval(timer), sent);
}

test('row 7: Ctrl-C again and again while watch ends: every report still written, whole', { skip, timeout: 20_000 }, async () => {
  const tmp = tempDir();
  try {
    mkdirSync(tmp.path('out'));
    const out = (name: string): string => tmp.path(`out/${name}`);
    const log = tmp.path('signals.log');
    writeFileSync(log, '');
    const run = startLeakhunt([
      'watch', '-q', '--interval', '5ms', '--csv', out('s.csv'), '--json', out('r.json'), '--html', out('r.html'), '--md', out('r.md'),
      '--', node, fixture('signal-echo.js'), log,
    ]);
    await run.line(/^ready$/);
    // Enough samples that writing the reports takes a while.
    await new Promise((r) => setTimeout(r, 1500));
    // The first Ctrl-C: the worker logs it and exits 130, and leakhunt goes on to write its
    // reports; from then on, more Ctrl-C every 2 ms until leakhunt is gone.
    run.child.kill('SIGINT');
    assert.ok(await waitUntil(() => readFileSync(log, 'utf8') !== '', 5000, 1), 'the worker got the first SIGINT');
    const stop = interruptRepeatedly(run.pid, 2);
    const done = await run.finished;
    const sent = stop();
    assert.ok(sent >= 1, `${sent} more interrupts sent`);
    // The worker's 130, or — when an interrupt landed between the run and the report writing,
    // where the default action applies — killed by SIGINT, which a shell also reports as 130.
    assert.ok(done.code === 130 || done.signal === 'SIGINT', `code ${done.code} signal ${done.signal}: ${done.stderr}`);
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), ['SIGINT']);
    // Held, not just survived: every report is written despite the storm.
    assert.deepEqual(assertWholeOrAbsent(tmp.path('out')).sort(), ['r.html', 'r.json', 'r.md', 's.csv', 's.tasks.csv']);
  } finally {
    tmp.cleanup();
  }
});

test('row 7: a second Ctrl-C during compare ends it at once: each file whole or absent, no worker left', { skip, timeout: 30_000 }, async () => {
  const tmp = tempDir();
  const tag = `row7-${process.pid}-${Date.now()}`;
  try {
    mkdirSync(tmp.path('out'));
    const out = (name: string): string => tmp.path(`out/${name}`);
    const run = startLeakhunt([
      'compare', '-q', '--tasks', '200', '--interval', '10ms', '--kill-after', '300ms', '--csv', out('s.csv'), '--json', out('r.json'), '--html', out('r.html'),
      '--', node, fixture('one-type-leaks.js'),
    ], { env: { LEAKHUNT_TEST_TAG: tag } });
    await new Promise((r) => setTimeout(r, 1500));
    const stop = interruptRepeatedly(run.pid, 3);
    const done = await run.finished;
    stop();
    assert.ok(done.code === 130 || done.signal === 'SIGINT', `code ${done.code} signal ${done.signal}: ${done.stderr}`);
    assertWholeOrAbsent(tmp.path('out'));
    // Whatever leakhunt left, the watchdog ends it.
    assert.ok(await waitUntil(() => processesTagged(tag).length === 0, ORPHAN_DEADLINE_MS), 'a worker outlived leakhunt');
  } finally {
    killAll(processesTagged(tag));
    tmp.cleanup();
  }
});

test('row 6, spares: leakhunt SIGKILLed mid-compare: the warm spares waiting for a task die with the worker', { skip, timeout: 20_000 }, async () => {
  const tag = `spares-${process.pid}-${Date.now()}`;
  const tmp = tempDir();
  let pids: number[] = [];
  try {
    writeFileSync(tmp.path('tasks.jsonl'), ['1', '2', '3', '4'].map((task) => JSON.stringify({ task, name: 'slow' })).join('\n'));
    const run = startLeakhunt(['compare', '-q', '--modes', 'isolated', '--tasks', tmp.path('tasks.jsonl'), '--', node, fixture('deaf-to-eof.js')], {
      env: { LEAKHUNT_TEST_TAG: tag },
    });
    // The first worker is in its minute-long task; a spare has been started beside it.
    const workers = (): number[] => processesTagged(tag).filter((pid) => pid !== run.child.pid && (readOrNull(`/proc/${pid}/cmdline`)?.includes('deaf-to-eof') ?? false));
    assert.ok(await waitUntil(() => workers().length >= 2, 10_000), `workers: ${workers().length}`);
    await new Promise((r) => setTimeout(r, 200));
    pids = workers();
    run.child.kill('SIGKILL');
    await run.finished;
    const cleared = await waitUntil(() => pids.every((pid) => !alive(pid)), ORPHAN_DEADLINE_MS);
    assert.ok(cleared, `still alive ${ORPHAN_DEADLINE_MS} ms after the kill: ${pids.filter(alive).join(', ')} of ${pids.join(', ')}`);
  } finally {
    killAll(pids);
    killAll(processesTagged(tag));
    tmp.cleanup();
  }
});
