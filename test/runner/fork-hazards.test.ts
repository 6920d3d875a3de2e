import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectForkChild } from '../../src/runner/fork-hazards.js';
import { tempDir } from '../helpers/exec.js';

/** A /proc with processes whose fds point at the given targets, and their parents. */
function fakeProc(root: string, processes: Record<number, { ppid: number; fds: Record<string, string>; tcp?: string }>): void {
  for (const [pid, proc] of Object.entries(processes)) {
    mkdirSync(join(root, pid, 'fd'), { recursive: true });
    mkdirSync(join(root, pid, 'net'), { recursive: true });
    writeFileSync(join(root, pid, 'stat'), `${pid} (python3) S ${proc.ppid} ${pid} ${pid} 0 -1`);
    for (const [fd, target] of Object.entries(proc.fds)) symlinkSync(target, join(root, pid, 'fd', fd));
    symlinkSync('/tmp', join(root, pid, 'cwd'));
    if (proc.tcp) writeFileSync(join(root, pid, 'net', 'tcp'), proc.tcp);
  }
}

const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const tcpRow = (inode: number): string => `   0: 0100007F:A1B2 0100007F:18EB 01 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0 20 4 30 10 -1\n`;

test('the stdio sockets leakhunt gave the worker are not a hazard, even when every child inherits them', () => {
  const tmp = tempDir();
  try {
    const stdio = { '0': 'socket:[100]', '1': 'socket:[101]', '2': 'pipe:[102]', '3': '/dev/null' };
    fakeProc(tmp.dir, { 10: { ppid: 1, fds: stdio }, 11: { ppid: 10, fds: stdio } });
    assert.deepEqual(inspectForkChild(10, 11, tmp.dir), []);
  } finally {
    tmp.cleanup();
  }
});

test('a connection opened by the forking process and inherited by the child is flagged, with its address', () => {
  const tmp = tempDir();
  try {
    const fds = { '0': 'socket:[100]', '1': 'pipe:[101]', '2': 'pipe:[101]', '5': 'socket:[777]' };
    fakeProc(tmp.dir, {
      10: { ppid: 1, fds },
      11: { ppid: 10, fds: { ...fds, '6': 'socket:[888]' }, tcp: TCP_HEADER + tcpRow(777) + tcpRow(888) },
    });
    const hazards = inspectForkChild(10, 11, tmp.dir);
    assert.equal(hazards.length, 1);
    assert.match(hazards[0]!, /^1 socket\(s\) \(tcp 127\.0\.0\.1:6379\) open in both the worker \(pid 10\) and its forked task child/);
  } finally {
    tmp.cleanup();
  }
});

test('the child is compared with the process that forked it, not only with the root worker', () => {
  const tmp = tempDir();
  try {
    // root 10 → sh-like 20 (opens socket 555) → task child 21.
    fakeProc(tmp.dir, {
      10: { ppid: 1, fds: { '0': 'socket:[100]' } },
      20: { ppid: 10, fds: { '0': 'socket:[100]', '4': 'socket:[555]' } },
      21: { ppid: 20, fds: { '0': 'socket:[100]', '4': 'socket:[555]' } },
    });
    assert.match(inspectForkChild(10, 21, tmp.dir)[0]!, /1 socket\(s\) open in both the worker \(pid 20\)/);
    assert.deepEqual(inspectForkChild(10, 10, tmp.dir), []);
  } finally {
    tmp.cleanup();
  }
});
