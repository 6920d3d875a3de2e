import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ForkHazardWatch } from '../../src/runner/fork-hazards.js';
import { parseSocketQuiet } from '../../src/runner/socket-activity.js';
import { tempDir } from '../helpers/exec.js';

/** A /proc with processes whose fds point at the given targets, and their parents. */
function fakeProc(root: string, processes: Record<number, { ppid: number; fds: Record<string, string>; tcp?: string; state?: string }>): void {
  for (const [pid, proc] of Object.entries(processes)) {
    rmSync(join(root, pid), { recursive: true, force: true });
    mkdirSync(join(root, pid, 'fd'), { recursive: true });
    mkdirSync(join(root, pid, 'net'), { recursive: true });
    writeFileSync(join(root, pid, 'stat'), `${pid} (python3) ${proc.state ?? 'S'} ${proc.ppid} ${pid} ${pid} 0 -1`);
    for (const [fd, target] of Object.entries(proc.fds)) symlinkSync(target, join(root, pid, 'fd', fd));
    symlinkSync('/tmp', join(root, pid, 'cwd'));
    if (proc.tcp) writeFileSync(join(root, pid, 'net', 'tcp'), proc.tcp);
  }
}

const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const tcpRow = (inode: number): string => `   0: 0100007F:A1B2 0100007F:18EB 01 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0 20 4 30 10 -1\n`;

/** Runs a test body against an empty fake /proc root, removed afterwards. */
function inFakeProcRoot(body: (root: string) => void): void {
  const tmp = tempDir();
  try {
    body(tmp.dir);
  } finally {
    tmp.cleanup();
  }
}

/** One task child's start and end through a watch; `between` changes the fake /proc in the task. */
function watchTask(root: string, rootPid: number, childPid: number, between?: () => void): string[] {
  const watch = new ForkHazardWatch({ procRoot: root, socketQuiet: () => null });
  watch.taskStarted(rootPid, childPid);
  between?.();
  watch.taskEnded(childPid);
  return watch.notes();
}

const FDS = { '0': 'socket:[100]', '1': 'pipe:[101]', '2': 'pipe:[101]', '5': 'socket:[777]' };

test('the stdio sockets leakhunt gave the worker are not a hazard, even when every child inherits them', () => inFakeProcRoot((root) => {
  const stdio = { '0': 'socket:[100]', '1': 'socket:[101]', '2': 'pipe:[102]', '3': '/dev/null' };
  fakeProc(root, { 10: { ppid: 1, fds: stdio }, 11: { ppid: 10, fds: stdio } });
  assert.deepEqual(watchTask(root, 10, 11), []);
}));

test('a connection the forked child still holds with its forker at the task end is flagged, with its address', () => inFakeProcRoot((root) => {
  fakeProc(root, {
    10: { ppid: 1, fds: FDS },
    11: { ppid: 10, fds: { ...FDS, '6': 'socket:[888]' }, tcp: TCP_HEADER + tcpRow(777) + tcpRow(888) },
  });
  const hazards = watchTask(root, 10, 11);
  assert.equal(hazards.length, 1);
  assert.match(hazards[0]!, /^1 socket\(s\) \(tcp 127\.0\.0\.1:6379\) open in both the worker \(pid 10\) and its forked task child from the task's start to its end: .* reconnect in the child$/);
}));

test('a connection the child closed during the task (a client that reconnects after fork) is not a hazard', () => inFakeProcRoot((root) => {
  fakeProc(root, { 10: { ppid: 1, fds: FDS }, 11: { ppid: 10, fds: FDS, tcp: TCP_HEADER + tcpRow(777) } });
  // redis-py's pool sees a new pid, drops the inherited connection and opens its own (socket 999).
  const notes = watchTask(root, 10, 11, () => fakeProc(root, { 11: { ppid: 10, fds: { ...FDS, '5': 'socket:[999]' } } }));
  assert.deepEqual(notes, []);
}));

test('a child gone (or a zombie) before any later look gives no finding: an inherited socket alone is no evidence of use', () => inFakeProcRoot((root) => {
  fakeProc(root, {
    10: { ppid: 1, fds: FDS },
    11: { ppid: 10, fds: FDS, tcp: TCP_HEADER + tcpRow(777) },
    12: { ppid: 10, fds: FDS, tcp: TCP_HEADER + tcpRow(777) },
  });
  const watch = new ForkHazardWatch({ procRoot: root, socketQuiet: () => null });
  watch.taskStarted(10, 11);
  watch.taskStarted(10, 12);
  rmSync(join(root, '11'), { recursive: true });
  fakeProc(root, { 12: { ppid: 10, fds: FDS, state: 'Z' } });
  watch.taskEnded(11);
  watch.taskEnded(12);
  assert.deepEqual(watch.notes(), []);
}));

test('the child is compared with the process that forked it, not only with the root worker; the root itself is no fork', () => inFakeProcRoot((root) => {
  // root 10 → sh-like 20 (opens socket 555) → task child 21.
  fakeProc(root, {
    10: { ppid: 1, fds: { '0': 'socket:[100]' } },
    20: { ppid: 10, fds: { '0': 'socket:[100]', '4': 'socket:[555]' } },
    21: { ppid: 20, fds: { '0': 'socket:[100]', '4': 'socket:[555]' } },
  });
  assert.match(watchTask(root, 10, 21)[0]!, /1 socket\(s\) open in both the worker \(pid 20\)/);
  assert.deepEqual(watchTask(root, 10, 10), []);
}));

test('a task child whose end never came is read when the notes are asked for', () => inFakeProcRoot((root) => {
  fakeProc(root, { 10: { ppid: 1, fds: FDS }, 11: { ppid: 10, fds: FDS } });
  const watch = new ForkHazardWatch({ procRoot: root, socketQuiet: () => null });
  watch.taskStarted(10, 11);
  assert.match(watch.notes()[0]!, /from the task's start until the run stopped/);
}));

test('a connection held by both but idle through the whole task (RQ\'s pub/sub socket in its work horse) is not a hazard; one that carried data is', () => inFakeProcRoot((root) => {
  fakeProc(root, { 10: { ppid: 1, fds: { ...FDS, '6': 'socket:[778]' } }, 11: { ppid: 10, fds: { ...FDS, '6': 'socket:[778]' }, tcp: TCP_HEADER + tcpRow(777) + tcpRow(778) } });
  let clock = 1000;
  // At the start both were quiet for 5 s; 300 ms later 777 has been quiet 5.3 s, but 778 carried data 20 ms ago.
  let quiet = new Map([['socket:[777]', 5000], ['socket:[778]', 5000]]);
  const watch = new ForkHazardWatch({ procRoot: root, now: () => clock, socketQuiet: () => quiet });
  watch.taskStarted(10, 11);
  clock += 300;
  quiet = new Map([['socket:[777]', 5300], ['socket:[778]', 20]]);
  watch.taskEnded(11);
  const notes = watch.notes();
  assert.equal(notes.length, 1, notes.join('\n'));
  assert.match(notes[0]!, /^1 socket\(s\) \(tcp 127\.0\.0\.1:6379\) open in both the worker \(pid 10\) and its forked task child from the task's start to its end, carrying data: /);
}));

test('ss output: each socket\'s inode and the shorter of its last-send and last-receive times', () => {
  const text = [
    'ESTAB 0      0      127.0.0.1:6412  127.0.0.1:34472 timer:(keepalive,4min59sec,0) ino:1758272 sk:7 cgroup:/ <->',
    '\t ts sack bbr wscale:10,10 rto:204 cwnd:11 bytes_sent:7 lastsnd:212 lastrcv:180 lastack:212 delivered:2',
    'ESTAB 0      0      127.0.0.1:34472 127.0.0.1:6412  ino:1757514 sk:8 cgroup:/ <->',
    '\t ts sack cubic lastsnd:9000 lastrcv:12000 lastack:9000',
    'LISTEN 0 511 127.0.0.1:6379 0.0.0.0:* ino:0 sk:9 <->',
    '',
  ].join('\n');
  assert.deepEqual([...parseSocketQuiet(text)], [['socket:[1758272]', 180], ['socket:[1757514]', 9000]]);
});

test('traffic just before the task (the forker\'s) does not make an idle socket a hazard', () => inFakeProcRoot((root) => {
  fakeProc(root, { 10: { ppid: 1, fds: FDS }, 11: { ppid: 10, fds: FDS } });
  let clock = 0;
  let quiet = new Map([['socket:[777]', 3]]);
  const watch = new ForkHazardWatch({ procRoot: root, now: () => clock, socketQuiet: () => quiet });
  watch.taskStarted(10, 11);
  clock += 500;
  quiet = new Map([['socket:[777]', 504]]);
  watch.taskEnded(11);
  assert.deepEqual(watch.notes(), []);
}));

test('a child that uses the connection and exits before its end is read is caught while its task runs', () => inFakeProcRoot((root) => {
  fakeProc(root, { 10: { ppid: 1, fds: FDS }, 11: { ppid: 10, fds: FDS, tcp: TCP_HEADER + tcpRow(777) } });
  let clock = 0;
  let quiet = new Map([['socket:[777]', 4000]]);
  const watch = new ForkHazardWatch({ procRoot: root, now: () => clock, socketQuiet: () => quiet });
  watch.taskStarted(10, 11);
  clock += 100;
  quiet = new Map([['socket:[777]', 4100]]);
  watch.duringTasks(); // idle so far: no finding yet
  clock += 100;
  quiet = new Map([['socket:[777]', 10]]);
  watch.duringTasks();
  rmSync(join(root, '11'), { recursive: true });
  watch.taskEnded(11);
  assert.deepEqual(watch.notes().map((n) => n.replace(/:.*/, '')), ['1 socket(s) (tcp 127.0.0.1']);
  assert.match(watch.notes()[0]!, /forked task child during a task, carrying data: /);
}));

test('a sampling tick reads socket activity once, however many children are waiting', () => inFakeProcRoot((root) => {
  fakeProc(root, { 10: { ppid: 1, fds: FDS }, 11: { ppid: 10, fds: FDS }, 12: { ppid: 10, fds: FDS } });
  let reads = 0;
  const watch = new ForkHazardWatch({ procRoot: root, now: () => 0, socketQuiet: () => (reads++, new Map([['socket:[777]', 5000]])) });
  watch.taskStarted(10, 11);
  watch.taskStarted(10, 12);
  reads = 0;
  watch.duringTasks();
  assert.equal(reads, 1);
}));
