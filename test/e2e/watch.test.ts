// `leakhunt watch` end to end, through the built bin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { alive, leakhunt, tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';

const node = process.execPath;

for (const code of [0, 1, 42]) {
  test(`watch exits with the worker's code ${code} and writes the report`, async () => {
    const tmp = tempDir();
    try {
      const run = await leakhunt(['watch', '-q', '--interval', '50ms', '--json', tmp.path('run.json'), '--', node, fixture('exit-code.js'), String(code)]);
      assert.equal(run.code, code, run.stderr);
      const report = JSON.parse(readFileSync(tmp.path('run.json'), 'utf8'));
      assert.equal(report.schema, 'leakhunt/report@1');
      assert.equal(report.exit.code, code);
      // A worker this short may be gone by the exit sample (a gone process has no row): the start sample at least.
      assert.ok(report.samples.length >= 1, 'the start sample at least');
      assert.equal(report.samples[0].event, 'start');
    } finally {
      tmp.cleanup();
    }
  });
}

test('a worker SIGKILLed from outside gives 137, with every sample kept and the verdict incomplete', async () => {
  const tmp = tempDir();
  try {
    const run = await leakhunt(['watch', '-q', '--interval', '20ms', '--csv', tmp.path('s.csv'), '--json', tmp.path('run.json'), '--', node, fixture('stubborn.js')], {
      onStart(child) {
        child.stdout!.once('data', () => {
          setTimeout(() => {
            const report = readFileSync(tmp.path('s.csv'), 'utf8');
            const pid = Number(report.split('\r\n')[1]!.split(',')[3]);
            process.kill(pid, 'SIGKILL');
          }, 300);
        });
      },
    });
    assert.equal(run.code, 137, run.stderr);
    const report = JSON.parse(readFileSync(tmp.path('run.json'), 'utf8'));
    assert.equal(report.exit.signal, 'SIGKILL');
    assert.equal(report.incomplete, true);
    assert.equal(report.verdict.incomplete, true);
    const rows = parse(readFileSync(tmp.path('s.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    // Every sample up to the kill is kept, in both files, none missing in between. How many there
    // are depends on the machine's load (15 due in 300 ms at 20 ms; 8 seen beside two soaks).
    const sampled = rows.filter((row) => row.pid !== '');
    assert.ok(sampled.length >= 5, `expected several ticks in 300 ms at 20 ms, got ${sampled.length}`);
    assert.deepEqual(sampled.map((row) => Number(row.seq)), sampled.map((_, i) => i), 'one row per sample, none skipped');
    assert.equal(report.samples.length, sampled.length, 'the JSON report holds the same samples');
    assert.equal(rows.at(-1)!.event, 'exit', 'the exit marker row closes the CSV');
  } finally {
    tmp.cleanup();
  }
});

test('a self-aborting worker gives 134', async () => {
  const run = await leakhunt(['watch', '-q', '--interval', '50ms', '--', node, fixture('crash.js')]);
  assert.equal(run.code, 134, run.stderr);
});

test('USR1 and USR2 reach the worker exactly once each, and TERM ends it with 143', async () => {
  const tmp = tempDir();
  try {
    const log = tmp.path('signals.log');
    writeFileSync(log, '');
    const run = await leakhunt(['watch', '-q', '--interval', '50ms', '--', node, fixture('signal-echo.js'), log], {
      onStart(child) {
        child.stdout!.once('data', async () => {
          for (const signal of ['SIGUSR1', 'SIGUSR2', 'SIGUSR1', 'SIGTERM'] as const) {
            child.kill(signal);
            await new Promise((r) => setTimeout(r, 150));
          }
        });
      },
    });
    assert.equal(run.code, 143, run.stderr);
    assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), ['SIGUSR1', 'SIGUSR2', 'SIGUSR1', 'SIGTERM']);
  } finally {
    tmp.cleanup();
  }
});

for (const [signal, code] of [['SIGINT', 130], ['SIGHUP', 129], ['SIGQUIT', 131]] as const) {
  test(`${signal} to leakhunt reaches the worker once, and leakhunt exits with the worker's ${code}`, async () => {
    const tmp = tempDir();
    try {
      const log = tmp.path('signals.log');
      writeFileSync(log, '');
      const run = await leakhunt(['watch', '-q', '--interval', '50ms', '--', node, fixture('signal-echo.js'), log], {
        onStart(child) {
          child.stdout!.once('data', () => child.kill(signal));
        },
      });
      assert.equal(run.code, code, run.stderr);
      assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), [signal]);
    } finally {
      tmp.cleanup();
    }
  });
}

test('CSV rows parse with a real CSV parser, and children get rows of their own', async () => {
  const tmp = tempDir();
  try {
    const run = await leakhunt(['watch', '-q', '--interval', '20ms', '--csv', tmp.path('s.csv'), '--', node, fixture('forking.js'), '800', '100', '300']);
    assert.equal(run.code, 0, run.stderr);
    const rows = parse(readFileSync(tmp.path('s.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    for (const column of ['elapsed_ms', 'pid', 'ppid', 'command', 'rss_bytes', 'vms_bytes', 'event', 'task', 'name']) {
      assert.ok(column in rows[0]!, `column ${column}`);
    }
    const root = Number(rows[0]!.pid);
    const children = new Set(rows.filter((r) => Number(r.ppid) === root).map((r) => r.pid));
    assert.ok(children.size >= 3, `expected several children, saw ${children.size}`);
    // Children that were already zombies when sampled legitimately hold 0 bytes; none can show more RSS than VMS.
    assert.ok(rows.every((r) => Number(r.vms_bytes) >= Number(r.rss_bytes)));
    // The root too, once it has exited: the exit row can find it a zombie (seen in CI under load).
    const rootRows = rows.filter((r) => Number(r.pid) === root && r.event !== 'exit');
    assert.ok(rootRows.length > 0 && rootRows.every((r) => Number(r.rss_bytes) > 0), JSON.stringify(rows.filter((r) => Number(r.pid) === root && !(Number(r.rss_bytes) > 0))));
    assert.deepEqual([rows[0]!.event, rows.at(-1)!.event], ['start', 'exit']);
  } finally {
    tmp.cleanup();
  }
});

test('--pid attaches, never signals the target, and ends when it exits', async () => {
  const target = spawn(node, [fixture('steady.js'), '1500'], { stdio: 'ignore' });
  try {
    const tmp = tempDir();
    const run = await leakhunt(['watch', '-q', '--interval', '50ms', '--pid', String(target.pid), '--json', tmp.path('r.json')]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(readFileSync(tmp.path('r.json'), 'utf8'));
    assert.ok(report.samples.filter((s: { pid: number }) => s.pid === target.pid).length >= 10);
    const exit = await new Promise<number | null>((r) => (target.exitCode !== null ? r(target.exitCode) : target.once('exit', r)));
    assert.equal(exit, 0, 'the target ended on its own');
    tmp.cleanup();
  } finally {
    target.kill('SIGKILL');
  }
});

test('--duration stops the worker with TERM and exits 0', async () => {
  const run = await leakhunt(['watch', '-q', '--interval', '50ms', '--duration', '400ms', '--', node, fixture('steady.js'), '60000']);
  assert.equal(run.code, 0, run.stderr);
});

test('a worker that ignores TERM is killed after --kill-after, and none of its tree survives', async () => {
  let pids: Record<string, number> = {};
  const run = await leakhunt(['watch', '-q', '--interval', '50ms', '--duration', '2s', '--kill-after', '300ms', '--', node, fixture('tree.js'), 'root'], {
    onStart(child) {
      child.stdout!.on('data', (d: Buffer) => {
        const line = d.toString().split('\n').find((l) => l.startsWith('{'));
        if (line) pids = JSON.parse(line);
      });
    },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(pids.grandchild, 'tree.js printed its pids');
  for (const pid of Object.values(pids)) assert.equal(alive(pid), false, `pid ${pid} still alive`);
});

test('background children left by the worker are listed, then terminated; exit 0', async () => {
  const tmp = tempDir();
  try {
    let pids: number[] = [];
    const run = await leakhunt(['watch', '--no-color', '--interval', '50ms', '--json', tmp.path('r.json'), '--', node, fixture('bg-children.js')], {
      onStart(child) {
        child.stdout!.on('data', (d: Buffer) => {
          const match = /\[[\d,\s]+\]/.exec(d.toString());
          if (match) pids = JSON.parse(match[0]);
        });
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(pids.length, 2);
    const report = JSON.parse(readFileSync(tmp.path('r.json'), 'utf8'));
    const leftovers = report.processes.filter((p: { leftover?: boolean }) => p.leftover).map((p: { pid: number }) => p.pid);
    assert.deepEqual(leftovers.sort(), [...pids].sort());
    for (const pid of pids) assert.equal(alive(pid), false);
  } finally {
    tmp.cleanup();
  }
});

test('arguments reach the worker verbatim, never through a shell', async () => {
  const tmp = tempDir();
  try {
    const args = ['$(touch pwned)', ';', '*', '--interval', 'a b'];
    const run = await leakhunt(['watch', '-q', '--', node, fixture('argv-echo.js'), ...args]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), args);
    assert.equal(existsSync(fixture('..', 'pwned')), false);
  } finally {
    tmp.cleanup();
  }
});

test('a missing command exits 127 and a non-executable one 126, each with one line', async () => {
  const tmp = tempDir();
  try {
    const missing = await leakhunt(['watch', '--', 'no-such-command-xyz']);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /^leakhunt: no-such-command-xyz: command not found\n$/);
    const file = tmp.path('not-exec.sh');
    writeFileSync(file, '#!/bin/sh\necho hi\n');
    chmodSync(file, 0o644);
    const denied = await leakhunt(['watch', '--', file]);
    assert.equal(denied.code, 126);
    assert.equal(denied.stderr.trim().split('\n').length, 1, denied.stderr);
  } finally {
    tmp.cleanup();
  }
});

const badInputs: Array<[string, string[], RegExp]> = [
  ['unknown flag', ['watch', '--bogus', '--', 'true'], /unknown option/],
  ['misspelt flag', ['watch', '--intervl', '1s', '--', 'true'], /^leakhunt: unknown option '--intervl' \(Did you mean --interval\?\)\n$/],
  ['interval 0', ['watch', '--interval', '0', '--', 'true'], /--interval/],
  ['interval -5', ['watch', '--interval', '-5', '--', 'true'], /--interval/],
  ['interval abc', ['watch', '--interval', 'abc', '--', 'true'], /--interval/],
  ['missing command', ['watch'], /missing the worker command/],
  ['unwritable output', ['watch', '--csv', '/nonexistent-dir/x.csv', '--', 'true'], /--csv/],
  ['bad regex', ['watch', '--task-start', '(', '--', 'true'], /--task-start.*Invalid regular expression/],
];
for (const [label, args, message] of badInputs) {
  test(`bad input (${label}): one line on stderr, exit 2`, async () => {
    const run = await leakhunt(args);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, message);
    assert.match(run.stderr, /^leakhunt: /, 'every error in one form, whoever found it');
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
}
