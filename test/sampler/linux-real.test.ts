// The Linux backend against the real /proc, on processes these tests start (and always end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createLinuxProcSampler, type LinuxProcessReading, type SyncSampler } from '../../src/sampler/linux-proc.js';
import type { TreeReading } from '../../src/sampler/types.js';

const skip = process.platform !== 'linux' ? 'needs Linux /proc' : false;

/** Reads every 20 ms until `accept` returns a value, or fails after `timeoutMs`. */
async function readUntil<T>(sampler: SyncSampler, accept: (reading: TreeReading) => T | null, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = accept(sampler.read());
    if (found !== null) return found;
    if (Date.now() > deadline) throw new Error('the expected tree never showed up');
    await delay(20);
  }
}

/** SIGKILLs every process of the tree that is still the one the sampler saw, and the shell's group. */
function endTree(sampler: SyncSampler | null, shell: ChildProcess, extra: number[] = []): void {
  for (const member of sampler?.members() ?? []) {
    if (sampler!.isSame(member.pid, member.startTime)) tryKill(member.pid);
  }
  for (const pid of extra) tryKill(pid);
  if (shell.pid) tryKill(-shell.pid);
  shell.kill('SIGKILL');
  sampler?.close();
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const sleeps = (reading: TreeReading) => reading.processes.filter((p) => p.command === 'sleep 30') as LinuxProcessReading[];

test('two sleep children of a shell: ppid, rss, vms, peak, threads, fds', { skip, timeout: 10_000 }, async () => {
  const shell = spawn('sh', ['-c', 'sleep 30 & sleep 30 & wait'], { stdio: 'ignore', detached: true });
  let sampler: SyncSampler | null = null;
  try {
    sampler = createLinuxProcSampler({ rootPid: shell.pid!, children: true, metric: 'rss' });
    const reading = await readUntil(sampler, (r) => (sleeps(r).length === 2 ? r : null));
    const root = reading.processes[0] as LinuxProcessReading;
    assert.equal(root.pid, shell.pid);
    assert.equal(root.command, 'sh -c sleep 30 & sleep 30 & wait');
    assert.equal(reading.vanished, 0);
    for (const child of sleeps(reading)) {
      assert.equal(child.ppid, shell.pid);
      assert.ok(child.rssBytes! > 0, 'rss > 0');
      assert.ok(child.vmsBytes! > child.rssBytes!, 'vms > rss');
      assert.ok(child.peakRssBytes! >= child.rssBytes!, 'peak >= rss');
      assert.ok(child.threads! >= 1, 'threads >= 1');
      assert.ok(child.fds! >= 3, 'fds >= 3 (stdio)');
      assert.ok(child.startTime >= root.startTime);
      assert.ok(sampler.isSame(child.pid, child.startTime));
      assert.equal(sampler.isSame(child.pid, child.startTime + 1), false);
    }
  } finally {
    endTree(sampler, shell);
  }
});

test('an orphaned grandchild (its shell backgrounds it and exits) stays tracked', { skip, timeout: 10_000 }, async () => {
  // The inner shell backgrounds a sleep, then waits for a flag file before exiting. Not detached: the
  // root leads no session, so only the sampler's memory can keep the orphan once it is reparented.
  const flagDir = mkdtempSync(join(tmpdir(), 'leakhunt-orphan-'));
  const inner = 'sleep 30 & while [ ! -e "$FLAG" ]; do sleep 0.02; done';
  const shell = spawn('sh', ['-c', `sh -c '${inner}'; sleep 30`], {
    stdio: 'ignore', env: { ...process.env, FLAG: join(flagDir, 'exit') },
  });
  let sampler: SyncSampler | null = null;
  const seen = new Set<number>();
  try {
    sampler = createLinuxProcSampler({ rootPid: shell.pid!, children: true, metric: 'rss' });
    const { orphan, parent } = await readUntil(sampler, (r) => {
      r.processes.forEach((p) => seen.add(p.pid));
      const innerShell = r.processes.find((p) => p.command.startsWith('sh -c sleep 30 &'));
      const child = innerShell && sleeps(r).find((p) => p.ppid === innerShell.pid);
      return innerShell && child ? { orphan: child.pid, parent: innerShell.pid } : null;
    });
    writeFileSync(join(flagDir, 'exit'), '');
    // Every reading until the kernel has reparented it must still hold the orphan.
    const after = await readUntil(sampler, (r) => {
      r.processes.forEach((p) => seen.add(p.pid));
      const kept = r.processes.find((p) => p.pid === orphan);
      assert.ok(kept, 'the orphan is still in the tree');
      return kept.ppid !== parent ? r : null;
    });
    // (The inner shell itself may still be listed here: the kernel reparents its children while
    // it exits, before it turns zombie, and zombies are kept until reaped.)
    assert.ok(after.processes.some((p) => p.pid === orphan));
    assert.ok(sampler.members().some((m) => m.pid === orphan));
  } finally {
    endTree(sampler, shell, [...seen].filter((pid) => pid !== process.pid));
    rmSync(flagDir, { recursive: true, force: true });
  }
});

test('a member pid reused by an unrelated process is not adopted (forced with ns_last_pid)', { skip, timeout: 10_000 }, async (t) => {
  // The root reaps its child once we kill it, then execs: the root lives on, the child's pid is free.
  const shell = spawn('sh', ['-c', 'sleep 30 & wait; exec sleep 30'], { stdio: 'ignore', detached: true });
  let sampler: SyncSampler | null = null;
  let stranger: ChildProcess | null = null;
  try {
    sampler = createLinuxProcSampler({ rootPid: shell.pid!, children: true, metric: 'rss' });
    const first = await readUntil(sampler, (r) => sleeps(r).find((p) => p.ppid === shell.pid) ?? null);
    process.kill(first.pid, 'SIGKILL');
    while (existsSync(`/proc/${first.pid}`)) await delay(10); // reaped; the sampler still holds its descriptor
    for (let attempt = 0; attempt < 5 && stranger?.pid !== first.pid; attempt++) {
      stranger?.kill('SIGKILL');
      try {
        writeFileSync('/proc/sys/kernel/ns_last_pid', String(first.pid - 1));
      } catch {
        t.skip('cannot steer pid allocation here (needs root)');
        return;
      }
      stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    }
    if (stranger?.pid !== first.pid) {
      t.skip('another process took the pid first');
      return;
    }
    // Often both started within the same 10 ms tick, so stat's start time alone cannot tell them apart.
    assert.equal(sampler.isSame(first.pid, first.startTime), false, 'before the scan, by the kept descriptor');
    const reading = sampler.read();
    // On failure, say who was adopted: the stranger (its ppid is this test) or a survivor of the old entry.
    const adopted = reading.processes.find((p) => p.pid === first.pid);
    assert.equal(adopted, undefined, `adopted ${JSON.stringify(adopted)}; first ${JSON.stringify(first)}; test pid ${process.pid}`);
    assert.equal(reading.vanished, 0);
    assert.equal(sampler.isSame(first.pid, first.startTime), false, 'after the scan');
    assert.equal(sampler.members().some((m) => m.pid === first.pid), false);
  } finally {
    stranger?.kill('SIGKILL');
    endTree(sampler, shell);
  }
});

test('pss and uss of a real process: 0 < uss <= pss <= rss; children:false reads the root alone', { skip, timeout: 10_000 }, async () => {
  const shell = spawn(process.execPath, ['-e', 'require("child_process").spawn("sleep", ["30"]); setTimeout(() => {}, 30000)'], {
    stdio: 'ignore', detached: true,
  });
  let sampler: SyncSampler | null = null;
  try {
    sampler = createLinuxProcSampler({ rootPid: shell.pid!, children: false, metric: 'uss' });
    // Node starts its platform threads a few milliseconds after exec.
    const root = await readUntil(sampler, (r) => {
      const first = r.processes[0];
      return first?.command.includes('setTimeout') && first.threads! > 1 ? first : null;
    });
    const again = sampler.read().processes;
    assert.equal(again.length, 1);
    assert.ok(root.ussBytes! > 0);
    assert.ok(root.ussBytes! <= root.pssBytes!);
    assert.ok(root.pssBytes! <= root.rssBytes!);
  } finally {
    endTree(sampler, shell);
  }
});

test('leakhunt never measures itself when watching one of its ancestors', { skip }, () => {
  const sampler = createLinuxProcSampler({ rootPid: process.ppid, children: true, metric: 'rss' });
  try {
    const reading = sampler.read();
    assert.equal(reading.processes[0]?.pid, process.ppid);
    assert.equal(reading.processes.some((p) => p.pid === process.pid), false);
  } finally {
    sampler.close();
  }
});

test('a tree that forks and reaps 150 short-lived processes reads cleanly at a 2 ms pace', { skip, timeout: 15_000 }, async () => {
  const script = 'i=0; while [ $i -lt 150 ]; do sleep 0.0$((i % 5)) & i=$((i+1)); done; wait';
  const shell = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  let sampler: SyncSampler | null = null;
  try {
    sampler = createLinuxProcSampler({ rootPid: shell.pid!, children: true, metric: 'rss' });
    let reads = 0;
    let most = 0;
    for (const end = Date.now() + 3000; Date.now() < end; reads++) {
      const reading: TreeReading = sampler.read();
      if (reading.processes.length === 0) break; // the shell is done
      const unique = new Set(reading.processes.map((p) => p.pid));
      assert.equal(unique.size, reading.processes.length);
      // 0 is a real value here (a zombie, or a process past releasing its memory on exit); null is not.
      for (const p of reading.processes) assert.ok(p.rssBytes !== null && p.rssBytes >= 0 && p.vmsBytes !== null);
      most = Math.max(most, reading.processes.length);
      await delay(2);
    }
    assert.ok(reads > 5, `read ${reads} times`);
    assert.ok(most > 5, `saw up to ${most} processes at once`);
  } finally {
    endTree(sampler, shell);
  }
});
