import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeProc, fakeSampler, faultyFs, type FakeProc } from './fake-proc.js';
import { createLinuxProcSampler } from '../../src/sampler/linux-proc.js';

const pids = (processes: Array<{ pid: number }>) => processes.map((p) => p.pid);

/** The fake tree with /proc/loadavg, and a file layer that counts listings of the proc root. */
function quietTree(): { proc: FakeProc; setLastPid: (pid: number) => void; listings: () => number; fs: ReturnType<typeof faultyFs> } {
  const proc = fakeProc();
  const setLastPid = (pid: number) => writeFileSync(join(proc.root, 'loadavg'), `0.10 0.20 0.30 1/9 ${pid}\n`);
  setLastPid(301);
  const fs = faultyFs(proc.root);
  let listings = 0;
  const list = fs.list;
  fs.list = (path) => {
    listings++;
    return list(path);
  };
  return { proc, setLastPid, listings: () => listings, fs };
}

/** A new child of the root (pid 100), started after every other process of the tree. */
function addChild(proc: FakeProc, pid: number): void {
  cpSync(join(proc.root, '102'), join(proc.root, String(pid)), { recursive: true });
  proc.editStat(pid, { 4: 100, 22: 6000 + pid });
}

test('while no pid is handed out, ticks re-read the members without listing /proc', () => {
  const { proc, listings, fs } = quietTree();
  try {
    const sampler = fakeSampler(proc.root, { fs });
    const first = pids(sampler.read().processes);
    assert.deepEqual(pids(sampler.read().processes), first);
    assert.deepEqual(pids(sampler.read().processes), first);
    assert.equal(listings(), 1);
  } finally {
    proc.cleanup();
  }
});

test('a new pid ends the quiet: the next tick lists /proc and adopts the new child', () => {
  const { proc, setLastPid, listings, fs } = quietTree();
  try {
    const sampler = fakeSampler(proc.root, { fs });
    sampler.read();
    sampler.read();
    addChild(proc, 302);
    setLastPid(302);
    assert.ok(pids(sampler.read().processes).includes(302));
    assert.equal(listings(), 2);
  } finally {
    proc.cleanup();
  }
});

test('a listing that a fork raced is never trusted to be complete', () => {
  const { proc, setLastPid, listings, fs } = quietTree();
  try {
    const sampler = fakeSampler(proc.root, { fs });
    sampler.read();
    // A short-lived process took pid 310, so the next tick lists /proc; while it does, a child is
    // born too late to be listed, and the cursor moves on to its pid.
    setLastPid(310);
    fs.afterNextList = () => {
      addChild(proc, 311);
      setLastPid(311);
    };
    assert.ok(!pids(sampler.read().processes).includes(311));
    // The cursor does not move again, but the listing it raced cannot be trusted: list again.
    assert.ok(pids(sampler.read().processes).includes(311));
    assert.equal(listings(), 3);
  } finally {
    proc.cleanup();
  }
});

test('a member that exits during quiet ticks is dropped; recorded before, it is not a vanishing', () => {
  const { proc, listings, fs } = quietTree();
  try {
    const sampler = fakeSampler(proc.root, { fs });
    assert.ok(pids(sampler.read().processes).includes(102));
    sampler.read();
    proc.remove(102);
    const after = sampler.read();
    assert.ok(!pids(after.processes).includes(102));
    assert.equal(after.vanished, 0);
    assert.equal(listings(), 1);
  } finally {
    proc.cleanup();
  }
});

test('a root started a moment ago: its first listing reads only the pids handed out since its own, and finds the same tree', () => {
  const { proc, setLastPid, fs } = quietTree();
  try {
    setLastPid(250);
    const full = pids(fakeSampler(proc.root).read().processes);
    fs.opened.length = 0;
    const sampler = createLinuxProcSampler({ rootPid: 100, children: true, metric: 'rss', procRoot: proc.root, pageSize: 4096, fs, freshRoot: true });
    assert.deepEqual(pids(sampler.read().processes), full);
    const statsRead = () => fs.opened.filter((path) => path.endsWith('/stat')).map((path) => path.split('/').at(-2));
    assert.deepEqual(statsRead(), ['100', '101', '102', '103', '104', '200']);
    // A pid handed out since: the next listing reads the older processes too, as any it does not know.
    fs.opened.length = 0;
    addChild(proc, 251);
    setLastPid(251);
    assert.deepEqual(pids(sampler.read().processes), [...full, 251]);
    assert.deepEqual(['1', '300', '301'].filter((pid) => statsRead().includes(pid)), ['1', '300', '301']);
  } finally {
    proc.cleanup();
  }
});
