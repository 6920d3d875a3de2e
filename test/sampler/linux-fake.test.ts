import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LinuxProcessReading } from '../../src/sampler/linux-proc.js';
import { fakeProc, fakeSampler, faultyFs } from './fake-proc.js';

const KB = 1024;
const PAGE = 4096;
const pids = (processes: Array<{ pid: number }>) => processes.map((p) => p.pid);
const byPid = (processes: LinuxProcessReading[] | Array<{ pid: number }>, pid: number) =>
  processes.find((p) => p.pid === pid) as LinuxProcessReading;

test('the tree: root first, descendants, a zombie, the session orphan; never strangers or stale ppids', () => {
  const proc = fakeProc();
  try {
    const sampler = fakeSampler(proc.root);
    const reading = sampler.read();
    assert.deepEqual(pids(reading.processes), [100, 101, 102, 103, 200]);
    assert.equal(reading.vanished, 0);
    assert.deepEqual(sampler.members().map((m) => [m.pid, m.startTime, m.pgid]), [
      [100, 5000, 100], [101, 5010, 100], [102, 5020, 100], [103, 5030, 100], [200, 5040, 200],
    ]);
    sampler.close();
  } finally {
    proc.cleanup();
  }
});

test('each figure comes from its file, in bytes (RSS and VMS from status, not the approximate stat fields)', () => {
  const proc = fakeProc();
  try {
    const { processes } = fakeSampler(proc.root).read();
    assert.deepEqual(byPid(processes, 100), {
      pid: 100, ppid: 1, startTime: 5000, command: 'sh -c worker --serve', rssBytes: 1000 * KB,
      vmsBytes: 2800 * KB, peakRssBytes: 1688 * KB, fds: 4, threads: 1, state: 'S',
    });
    const node = byPid(processes, 102);
    assert.equal(node.command, 'node worker.js --queue emails');
    assert.deepEqual([node.ppid, node.rssBytes, node.vmsBytes, node.peakRssBytes, node.fds, node.threads, node.state],
      [101, 10_000 * PAGE, 1_099_999_232, 52_000 * KB, 5, 7, 'R']);
  } finally {
    proc.cleanup();
  }
});

test('a comm of "x) Z 1 1 " neither fakes the state nor the ppid; an empty cmdline falls back to comm', () => {
  const proc = fakeProc();
  try {
    const hostile = byPid(fakeSampler(proc.root).read().processes, 101);
    assert.deepEqual([hostile.state, hostile.ppid, hostile.threads, hostile.command], ['S', 100, 3, 'x) Z 1 1']);
  } finally {
    proc.cleanup();
  }
});

test('a zombie is kept with its state, 0 RSS (real) and no peak (missing)', () => {
  const proc = fakeProc();
  try {
    const zombie = byPid(fakeSampler(proc.root, { metric: 'pss' }).read().processes, 103);
    assert.deepEqual(
      [zombie.state, zombie.rssBytes, zombie.vmsBytes, zombie.peakRssBytes, zombie.fds, zombie.pssBytes, zombie.ussBytes, zombie.command],
      ['Z', 0, 0, null, 0, null, null, 'defunct'],
    );
  } finally {
    proc.cleanup();
  }
});

test('pss/uss come from smaps_rollup (uss = private clean + dirty); only when asked', () => {
  const proc = fakeProc();
  try {
    const withPss = fakeSampler(proc.root, { metric: 'pss' }).read().processes;
    assert.deepEqual([byPid(withPss, 100).pssBytes, byPid(withPss, 100).ussBytes], [410 * KB, 270 * KB]);
    assert.deepEqual([byPid(withPss, 102).pssBytes, byPid(withPss, 102).ussBytes], [30_000 * KB, 27_000 * KB]);
    // 200 has no smaps_rollup (as on kernels before 4.14): missing, and the process is still there.
    assert.deepEqual([byPid(withPss, 200).pssBytes, byPid(withPss, 200).ussBytes], [null, null]);
    const rssOnly = byPid(fakeSampler(proc.root).read().processes, 100);
    assert.equal('pssBytes' in rssOnly, false);
  } finally {
    proc.cleanup();
  }
});

test('EACCES on smaps_rollup or fd makes those figures missing (null), never 0', () => {
  const proc = fakeProc();
  try {
    const fs = faultyFs(proc.root);
    fs.failures.set('/101/smaps_rollup', 'EACCES');
    fs.failures.set('/101/fd', 'EACCES');
    fs.failures.set('/102/status', 'EPERM');
    const { processes, vanished } = fakeSampler(proc.root, { metric: 'uss', fs }).read();
    assert.equal(vanished, 0);
    const denied = byPid(processes, 101);
    assert.deepEqual([denied.pssBytes, denied.ussBytes, denied.fds], [null, null, null]);
    assert.equal(denied.rssBytes, 500 * PAGE);
    assert.equal(byPid(processes, 102).peakRssBytes, null);
    // stat's figures when status is unreadable
    assert.deepEqual([byPid(processes, 102).rssBytes, byPid(processes, 102).vmsBytes], [10_000 * PAGE, 1_099_999_232]);
    assert.equal(byPid(processes, 102).pssBytes, 30_000 * KB);
  } finally {
    proc.cleanup();
  }
});

test('a pid reused by a stranger is never adopted; reused by a real descendant, it is a new member', () => {
  const proc = fakeProc();
  try {
    const sampler = fakeSampler(proc.root);
    sampler.read();
    assert.equal(sampler.isSame(102, 5020), true);
    proc.editStat(102, { 4: 300, 5: 300, 6: 300, 22: 6000 }); // now the stranger's child
    const afterReuse = sampler.read();
    assert.deepEqual(pids(afterReuse.processes), [100, 101, 103, 200]);
    assert.equal(afterReuse.vanished, 0);
    assert.equal(sampler.isSame(102, 5020), false);
    assert.equal(sampler.members().some((m) => m.pid === 102), false);
    proc.editStat(102, { 4: 101, 5: 100, 6: 100, 22: 6001 }); // reused again, by a child of 101
    const member = byPid(sampler.read().processes, 102);
    assert.deepEqual([member.startTime, member.ppid], [6001, 101]);
  } finally {
    proc.cleanup();
  }
});

test('a pid reused within the same clock tick (same start time) is told apart by the kept descriptor', () => {
  const proc = fakeProc();
  try {
    const fs = faultyFs(proc.root, { keepsDescriptors: true });
    const sampler = fakeSampler(proc.root, { fs });
    sampler.read();
    assert.equal(sampler.isSame(102, 5020), true);
    // 102 exits and a stranger's child takes its pid within the same 10 ms tick: stat reads alike.
    fs.markExited(102);
    proc.editStat(102, { 4: 300, 5: 300, 6: 300 });
    // Before any scan, the kept descriptor answers, and goes on answering (as terminate asks twice).
    assert.equal(sampler.isSame(102, 5020), false);
    assert.equal(sampler.isSame(102, 5020), false);
    const reading = sampler.read();
    assert.deepEqual(pids(reading.processes), [100, 101, 103, 200]);
    assert.equal(reading.vanished, 0);
    // After the scan the table knows the newcomer as a stranger.
    assert.equal(sampler.isSame(102, 5020), false);
    assert.equal(sampler.members().some((m) => m.pid === 102), false);
    sampler.close();
  } finally {
    proc.cleanup();
  }
});

test('a descendant whose parent died stays in the tree after reparenting to init', () => {
  const proc = fakeProc();
  try {
    const sampler = fakeSampler(proc.root);
    sampler.read();
    proc.remove(101);
    proc.editStat(102, { 4: 1, 6: 102 }); // reparented, and in a session of its own: only memory keeps it
    const { processes, vanished } = sampler.read();
    assert.deepEqual(pids(processes), [100, 102, 103, 200]);
    assert.equal(byPid(processes, 102).ppid, 1);
    assert.equal(vanished, 0); // 101 exited between ticks: not a vanishing
  } finally {
    proc.cleanup();
  }
});

test('a recorded member gone between listing and reading is dropped, not counted: it simply exited', () => {
  const proc = fakeProc();
  try {
    const fs = faultyFs(proc.root);
    const sampler = fakeSampler(proc.root, { fs });
    sampler.read();
    fs.afterNextList = () => {
      proc.remove(102); // a member, read on the first tick
      proc.remove(301); // a stranger
    };
    const { processes, vanished } = sampler.read();
    assert.deepEqual(pids(processes), [100, 101, 103, 200]);
    assert.equal(vanished, 0);
  } finally {
    proc.cleanup();
  }
});

test('a member gone between its stat and its first status read is dropped and counted: it is in no sample', () => {
  const proc = fakeProc();
  try {
    const fs = faultyFs(proc.root);
    const sampler = fakeSampler(proc.root, { fs });
    fs.beforeOpen = (path) => {
      if (path.endsWith('/101/status')) proc.remove(101);
    };
    const { processes, vanished } = sampler.read();
    assert.deepEqual(pids(processes), [100, 102, 103, 200]);
    assert.equal(vanished, 1);
    assert.equal(sampler.members().some((m) => m.pid === 101), false);
  } finally {
    proc.cleanup();
  }
});

test('a recorded member gone between its stat and its status is dropped, not counted', () => {
  const proc = fakeProc();
  try {
    const fs = faultyFs(proc.root);
    const sampler = fakeSampler(proc.root, { fs });
    sampler.read();
    fs.beforeOpen = (path) => {
      if (path.endsWith('/101/status')) proc.remove(101);
    };
    const { processes, vanished } = sampler.read();
    assert.deepEqual(pids(processes), [100, 102, 103, 200]);
    assert.equal(vanished, 0);
    assert.equal(sampler.members().some((m) => m.pid === 101), false);
  } finally {
    proc.cleanup();
  }
});

test('ESRCH on status while stat still reads (a process turning zombie) is a missing figure, not a vanishing', () => {
  const proc = fakeProc();
  try {
    const fs = faultyFs(proc.root);
    fs.failures.set('/101/status', 'ESRCH');
    const { processes, vanished } = fakeSampler(proc.root, { fs }).read();
    assert.equal(vanished, 0);
    assert.equal(byPid(processes, 101).peakRssBytes, null);
    assert.equal(byPid(processes, 101).rssBytes, 500 * PAGE);
  } finally {
    proc.cleanup();
  }
});

test('with children:false only the root is read', () => {
  const proc = fakeProc();
  try {
    const fs = faultyFs(proc.root);
    const sampler = fakeSampler(proc.root, { children: false, fs });
    assert.deepEqual(pids(sampler.read().processes), [100]);
    assert.equal(fs.opened.some((path) => path.includes('/101/')), false);
    assert.deepEqual(sampler.members().map((m) => m.pid), [100]);
  } finally {
    proc.cleanup();
  }
});

test('once the root is gone the reading is empty; what is left comes as orphans and in members()', () => {
  const proc = fakeProc();
  try {
    const sampler = fakeSampler(proc.root);
    sampler.read();
    proc.remove(100);
    const { processes, orphans } = sampler.read();
    assert.deepEqual(processes, []);
    assert.deepEqual(pids(orphans ?? []), [101, 102, 103, 200]);
    assert.ok(orphans!.every((p) => p.command.length > 0) && orphans![0]!.rssBytes! > 0, 'orphans are read in full');
    assert.deepEqual(sampler.members().map((m) => m.pid), [101, 102, 103, 200]);
    assert.equal(sampler.isSame(100, 5000), false);
  } finally {
    proc.cleanup();
  }
});

test('a new process on the root pid is not the root', () => {
  const proc = fakeProc();
  try {
    const sampler = fakeSampler(proc.root);
    sampler.read();
    proc.editStat(100, { 22: 7000 });
    assert.deepEqual(sampler.read().processes, []);
  } finally {
    proc.cleanup();
  }
});

test('a process that execs gets its command re-read (comm changed), not the stale one', () => {
  const proc = fakeProc();
  try {
    const sampler = fakeSampler(proc.root);
    assert.equal(byPid(sampler.read().processes, 102).command, 'node worker.js --queue emails');
    writeFileSync(join(proc.root, '102', 'cmdline'), 'python3\0-m\0worker\0');
    assert.equal(byPid(sampler.read().processes, 102).command, 'node worker.js --queue emails'); // cached
    const stat = join(proc.root, '102', 'stat');
    writeFileSync(stat, readFileSync(stat, 'utf8').replace('(node)', '(python3)'));
    assert.equal(byPid(sampler.read().processes, 102).command, 'python3 -m worker');
  } finally {
    proc.cleanup();
  }
});

test('an exec that keeps comm (sh exec\'ing sh) is seen by the moved argv address', () => {
  const proc = fakeProc();
  try {
    const sampler = fakeSampler(proc.root);
    sampler.read();
    writeFileSync(join(proc.root, '100', 'cmdline'), 'sh\0/srv/run-worker.sh\0');
    proc.editStat(100, { 48: 140737000000000 });
    assert.equal(sampler.read().processes[0]!.command, 'sh /srv/run-worker.sh');
  } finally {
    proc.cleanup();
  }
});

test('an empty cmdline of a live process (mid-exec) shows comm but is read again next tick', () => {
  const proc = fakeProc();
  try {
    const sampler = fakeSampler(proc.root);
    assert.equal(byPid(sampler.read().processes, 101).command, 'x) Z 1 1');
    writeFileSync(join(proc.root, '101', 'cmdline'), 'python3\0worker.py\0');
    assert.equal(byPid(sampler.read().processes, 101).command, 'python3 worker.py');
  } finally {
    proc.cleanup();
  }
});

test('with /proc/loadavg, strangers whose pid was not handed out since the last scan are not re-read', () => {
  const proc = fakeProc();
  try {
    const loadavg = (lastPid: number) => writeFileSync(join(proc.root, 'loadavg'), `0.10 0.20 0.30 1/9 ${lastPid}\n`);
    loadavg(301);
    const fs = faultyFs(proc.root);
    const sampler = fakeSampler(proc.root, { fs });
    sampler.read();
    sampler.read(); // the first range starts from here
    fs.opened.length = 0;
    proc.editStat(300, { 4: 100, 22: 5100 }); // an impossible change: pid 300 was never handed out again
    sampler.read();
    const statsRead = fs.opened.filter((path) => path.endsWith('/stat')).map((path) => path.split('/').at(-2));
    assert.deepEqual(statsRead, ['100', '101', '102', '103', '200']);
    // Now the kernel wraps past pid_max and hands out 300 again: the new process is read and adopted.
    loadavg(300);
    const { processes } = sampler.read();
    assert.deepEqual(pids(processes), [100, 101, 102, 103, 200, 300]);
  } finally {
    proc.cleanup();
  }
});
