import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parsePsOutput, parsePsStart, PS_ARGS } from '../../src/sampler/darwin-ps-parse.js';
import { createDarwinPsSampler, type PsRunner } from '../../src/sampler/darwin-ps.js';

// What `LC_ALL=C ps -A -ww -o pid=,ppid=,pgid=,rss=,vsz=,lstart=,command=` prints on macOS: sizes in
// KiB, lstart as strftime("%c") with a space-padded day, commands with spaces, a zombie, a hostile name.
const MAC_PS = `    1     0     1  12288  34184064 Mon Nov  3 09:12:01 2025     /sbin/launchd
  500     1   500   8192  34160640 Mon Nov  3 09:15:22 2025     -zsh
  612   500   612  20480 409214976 Tue Nov 24 10:01:05 2025     node worker.js --queue=emails
  613   612   612  10240 408113152 Tue Nov 24 10:01:06 2025     /usr/bin/python3 -c import time; time.sleep(60)
  614   613   612      0        0 Tue Nov 24 10:01:07 2025     <defunct>
  700     1   700   4096  34099200 Tue Nov 24 10:02:00 2025     x) Z 1 1 stranger
  701   700   700   1024  34099200 Tue Nov 24 10:02:01 2025     sleep 100
  900   612   612    512   4000000 Tue Nov 24 10:03:00 2025     ps -A -ww -o pid=,ppid=,pgid=,rss=,vsz=,lstart=,command=
`;

test('parsePsOutput: KiB to bytes, lstart to seconds, the command kept whole', () => {
  const rows = parsePsOutput(MAC_PS);
  assert.equal(rows.length, 8);
  assert.deepEqual(rows[2], {
    pid: 612, ppid: 500, pgid: 612, rssBytes: 20480 * 1024, vmsBytes: 409214976 * 1024,
    startTime: Date.UTC(2025, 10, 24, 10, 1, 5) / 1000, command: 'node worker.js --queue=emails',
  });
  assert.equal(rows[0]!.startTime, Date.UTC(2025, 10, 3, 9, 12, 1) / 1000);
  assert.equal(rows[3]!.command, '/usr/bin/python3 -c import time; time.sleep(60)');
  assert.equal(rows[5]!.command, 'x) Z 1 1 stranger');
});

test('parsePsOutput skips lines that do not parse (headers, a truncated last line, junk)', () => {
  const rows = parsePsOutput('  PID  PPID\n  12   1   12  100  200 Tue Nov 24 10:0\n\nnot ps output\n  5 1 5 10 20 Tue Xyz 24 10:01:05 2025 x\n');
  assert.deepEqual(rows, []);
});

test('parsePsStart reads the lstart of one process', () => {
  assert.equal(parsePsStart('Tue Nov 24 10:01:05 2025\n'), Date.UTC(2025, 10, 24, 10, 1, 5) / 1000);
  assert.equal(parsePsStart(''), null);
});

/** A ps that prints canned text; `pid` is the pid the fake ps itself would have. */
function cannedPs(outputs: Array<string | Error>, pid = 900): PsRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    list(args) {
      calls.push(args);
      const next = outputs.length > 1 ? outputs.shift()! : outputs[0]!;
      return { output: next instanceof Error ? Promise.reject(next) : Promise.resolve(next), pid };
    },
    once(args) {
      calls.push(args);
      const pid = Number(args.at(-1));
      if (!parsePsOutput(MAC_PS).some((row) => row.pid === pid)) throw new Error('ps: no such process');
      const line = MAC_PS.split('\n').find((text) => text.trim().startsWith(`${pid} `))!;
      return `${/[A-Z][a-z]{2} +[A-Z][a-z]{2} +\d+ [\d:]+ \d{4}/.exec(line)![0]}\n`;
    },
  };
}

test('the tree from ppid: root first, descendants and a zombie; not strangers nor ps itself', async () => {
  const ps = cannedPs([MAC_PS]);
  const sampler = createDarwinPsSampler({ rootPid: 612, children: true, metric: 'pss', ps });
  const reading = await sampler.read();
  assert.deepEqual(reading.processes.map((p) => p.pid), [612, 613, 614]);
  assert.deepEqual(ps.calls[0], PS_ARGS);
  const root = reading.processes[0]!;
  assert.deepEqual(
    [root.rssBytes, root.vmsBytes, root.peakRssBytes, root.fds, root.threads, root.pssBytes, root.ussBytes],
    [20480 * 1024, 409214976 * 1024, null, null, null, null, null],
  );
  assert.deepEqual(sampler.members().map((m) => [m.pid, m.pgid]), [[612, 612], [613, 612], [614, 612]]);
  assert.equal(sampler.isSame(613, Date.UTC(2025, 10, 24, 10, 1, 6) / 1000), true);
  assert.equal(sampler.isSame(613, 1), false);
  assert.equal(sampler.isSame(4242, 1), false);
});

test('a reparented member stays; a reused pid is a new process (its old child stays); children:false: the root', async () => {
  const reparented = MAC_PS.replace('  613   612   612', '  613     1   612');
  const reused = MAC_PS.replace('  613   612   612  10240 408113152 Tue Nov 24 10:01:06', '  613   700   700  10240 408113152 Tue Nov 24 11:00:00');
  const ps = cannedPs([MAC_PS, reparented, reused]);
  const sampler = createDarwinPsSampler({ rootPid: 612, children: true, metric: 'rss', ps });
  await sampler.read();
  assert.deepEqual((await sampler.read()).processes.map((p) => p.pid), [612, 613, 614]);
  // 613 is now a stranger's child; 614 (the old 613's zombie child) is remembered and stays.
  assert.deepEqual((await sampler.read()).processes.map((p) => p.pid), [612, 614]);
  const rootOnly = createDarwinPsSampler({ rootPid: 612, children: false, metric: 'rss', ps: cannedPs([MAC_PS]) });
  assert.deepEqual((await rootOnly.read()).processes.map((p) => p.pid), [612]);
});

test('a failed ps reports the last members with figures missing; a gone root reads empty', async () => {
  const withoutRoot = MAC_PS.split('\n').filter((line) => !line.trim().startsWith('612 ')).join('\n');
  const ps = cannedPs([MAC_PS, new Error('spawn ps EAGAIN'), withoutRoot]);
  const sampler = createDarwinPsSampler({ rootPid: 612, children: true, metric: 'rss', ps });
  await sampler.read();
  const failed = await sampler.read();
  assert.deepEqual(failed.processes.map((p) => [p.pid, p.rssBytes, p.vmsBytes]), [[612, null, null], [613, null, null], [614, null, null]]);
  const gone = await sampler.read();
  assert.deepEqual(gone.processes, []);
  assert.deepEqual(gone.orphans?.map((p) => p.pid), [613, 614]); // named as leftovers
  assert.deepEqual(sampler.members().map((m) => m.pid), [613, 614]); // left for the runner to end
});

test('concurrent reads share one ps call', async () => {
  const ps = cannedPs([MAC_PS]);
  const sampler = createDarwinPsSampler({ rootPid: 612, children: true, metric: 'rss', ps });
  const [a, b] = await Promise.all([sampler.read(), sampler.read()]);
  assert.equal(a, b);
  assert.equal(ps.calls.length, 1);
});

test('the real ps (procps takes the same arguments) finds a shell and its two sleeps', {
  skip: existsSync('/bin/ps') || existsSync('/usr/bin/ps') ? false : 'no ps here',
  timeout: 10_000,
}, async () => {
  const shell = spawn('sh', ['-c', 'sleep 30 & sleep 30 & wait'], { stdio: 'ignore', detached: true });
  const sampler = createDarwinPsSampler({ rootPid: shell.pid!, children: true, metric: 'rss' });
  try {
    let pids: number[] = [];
    for (let attempt = 0; attempt < 50 && pids.length < 3; attempt++) {
      const reading = await sampler.read();
      pids = reading.processes.map((p) => p.pid);
      if (pids.length < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(pids.length, 3);
    assert.equal(pids[0], shell.pid);
    const reading = await sampler.read();
    for (const p of reading.processes) assert.ok(p.rssBytes! > 0 && p.vmsBytes! > p.rssBytes!);
    assert.ok(reading.processes.slice(1).every((p) => p.command === 'sleep 30' && p.ppid === shell.pid));
    assert.ok(sampler.isSame(shell.pid!, reading.processes[0]!.startTime));
  } finally {
    process.kill(-shell.pid!, 'SIGKILL');
    sampler.close();
  }
});
