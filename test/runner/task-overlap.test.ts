// Which change a task's growth is (Recorder.taskEnded): its own process's when a task of another
// process ran at the same time, the tree's otherwise, and none when its process was gone at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attribute } from '../../src/detect/index.js';
import type { ProcessReading, TaskRecord } from '../../src/model.js';
import { Recorder } from '../../src/runner/recorder.js';

const KB = 1024;
const MB = 1024 * KB;
const ROOT = 10;

function proc(pid: number, rssBytes: number): ProcessReading {
  return {
    pid, ppid: pid === ROOT ? 1 : ROOT, startTime: 500 + pid, command: 'python3 pool.py',
    rssBytes, vmsBytes: 4 * rssBytes, peakRssBytes: rssBytes, fds: 4, threads: 1, state: 'S',
  };
}

/** A tree whose processes hold these RSS figures (pid → bytes). */
class Tree {
  readonly rss = new Map<number, number>([[ROOT, 20 * MB]]);
  reading(): { processes: ProcessReading[]; vanished: number } {
    return { processes: [...this.rss].map(([pid, bytes]) => proc(pid, bytes)), vanished: 0 };
  }
}

class Run {
  readonly recorder = new Recorder(null);
  readonly tree = new Tree();
  private at = 0;
  constructor() {
    this.recorder.record(this.tree.reading(), this.at, 'start', 0.1);
  }
  start(task: string, name: string, pid: number): void {
    const snapshot = this.recorder.record(this.tree.reading(), (this.at += 5), 'task-start', 0.1, { task });
    this.recorder.taskStarted({ event: 'start', task, name, pid }, snapshot, ROOT);
  }
  end(task: string, pid: number): void {
    const snapshot = this.recorder.record(this.tree.reading(), (this.at += 5), 'task-end', 0.1, { task });
    this.recorder.taskEnded({ event: 'end', task, ok: true, pid }, snapshot, ROOT);
  }
  grow(pid: number, bytes: number): void {
    this.tree.rss.set(pid, (this.tree.rss.get(pid) ?? 0) + bytes);
  }
  tasks(): TaskRecord[] {
    return [...this.recorder.tasks];
  }
}

/**
 * A prefork pool of two: child 11 and child 12 each take tasks, overlapping in time. `store`
 * keeps 64 KB in its process on every run; `ping` keeps nothing.
 */
function poolRun(rounds: number): Run {
  const run = new Run();
  run.tree.rss.set(11, 30 * MB);
  run.tree.rss.set(12, 30 * MB);
  let id = 0;
  for (let round = 0; round < rounds; round++) {
    // Alternate which child gets the leaking type, as a shared queue would.
    const [storePid, pingPid] = round % 2 === 0 ? [11, 12] : [12, 11];
    const store = String(++id);
    const ping = String(++id);
    run.start(store, 'store', storePid);
    run.start(ping, 'ping', pingPid);
    run.grow(storePid, 64 * KB);
    run.end(ping, pingPid);
    run.end(store, storePid);
  }
  return run;
}

test('a pool of two running tasks at once: each task gets its own process\'s change, not the tree\'s', () => {
  const tasks = poolRun(30).tasks();
  for (const task of tasks) {
    assert.equal(task.treeDeltaBytes, null, `task ${task.task} overlapped another process's task`);
    assert.equal(task.deltaBytes, task.name === 'store' ? 64 * KB : 0);
  }
  const byName = new Map(attribute(tasks).map((a) => [a.name, a]));
  assert.equal(byName.get('store')!.kind, 'leak');
  assert.equal(byName.get('store')!.repeatBytesPerRun, 64 * KB);
  assert.equal(byName.get('ping')!.kind, 'flat');
  assert.equal(byName.get('ping')!.repeatBytesPerRun, 0);
  assert.equal(byName.get('ping')!.retainedBytes, 0);
});

test('one task at a time across two processes keeps the tree\'s change', () => {
  const run = new Run();
  run.tree.rss.set(11, 30 * MB);
  run.tree.rss.set(12, 30 * MB);
  run.start('1', 'store', 11);
  run.grow(11, 64 * KB);
  run.grow(ROOT, 8 * KB); // the parent keeps a little for the task too: the tree sees it
  run.end('1', 11);
  run.start('2', 'ping', 12);
  run.end('2', 12);
  const [store, ping] = run.tasks();
  assert.equal(store!.treeDeltaBytes, 72 * KB);
  assert.equal(store!.deltaBytes, 64 * KB);
  assert.equal(ping!.treeDeltaBytes, 0);
});

test('tasks that overlap within one process keep the tree\'s change', () => {
  const run = new Run();
  run.start('1', 'a', ROOT);
  run.start('2', 'b', ROOT);
  run.grow(ROOT, 16 * KB);
  run.end('2', ROOT);
  run.end('1', ROOT);
  assert.deepEqual(run.tasks().map((t) => t.treeDeltaBytes), [16 * KB, 16 * KB]);
});

test('a task in a child of its own that exits leaves what the worker kept; the child\'s change is its own figure', () => {
  const run = new Run();
  for (let i = 1; i <= 3; i++) {
    const child = 100 + i;
    run.tree.rss.set(child, 20 * MB); // forked: starts as big as the parent
    run.start(String(i), 'job', child);
    run.grow(child, 2 * MB);
    run.grow(ROOT, i === 2 ? 64 * KB : 0); // the second task's result, kept by the worker
    run.end(String(i), child);
    run.tree.rss.delete(child);
  }
  run.recorder.record(run.tree.reading(), 100, 'exit', 0.1);
  assert.deepEqual(run.tasks().map((t) => t.treeDeltaBytes), [0, 64 * KB, 0]);
  assert.deepEqual(run.tasks().map((t) => t.treeRssAfterBytes), [20 * MB, 20 * MB + 64 * KB, 20 * MB + 64 * KB]);
  assert.deepEqual(run.tasks().map((t) => t.deltaBytes), [2 * MB, 2 * MB, 2 * MB]);
});

test('a task whose process is gone at its end sample has no figure, never minus its whole RSS', () => {
  const run = new Run();
  run.tree.rss.set(101, 9 * MB);
  run.start('1', 'job', 101);
  run.tree.rss.delete(101); // the child exited before leakhunt read the tree at its end
  run.end('1', 101);
  const [task] = run.tasks();
  assert.equal(task!.deltaBytes, null);
  assert.equal(task!.treeDeltaBytes, null);
  assert.equal(task!.treeRssAfterBytes, 20 * MB);
  const [only] = attribute(run.tasks());
  assert.equal(only!.firstRunBytes, null);
  assert.equal(only!.retainedBytes, 0);
});

test('an end written by another process than the start (a parent reporting its killed child) has no own-process figure', () => {
  const run = new Run();
  run.tree.rss.set(101, 9 * MB);
  run.start('1', 'job', 101);
  run.tree.rss.delete(101);
  run.end('1', ROOT);
  const [task] = run.tasks();
  assert.equal(task!.rssAfterBytes, 20 * MB);
  assert.equal(task!.deltaBytes, null);
  assert.equal(task!.treeDeltaBytes, null);
});

test('a task that overlapped another process\'s task only briefly is still judged on its own process', () => {
  const run = new Run();
  run.tree.rss.set(11, 30 * MB);
  run.tree.rss.set(12, 30 * MB);
  run.start('1', 'long', 11);
  run.start('2', 'short', 12);
  run.grow(12, 1 * MB);
  run.end('2', 12);
  // Task 1 alone from here; task 3 starts after task 2 ended, in the same process as task 1.
  run.start('3', 'same', 11);
  run.end('3', 11);
  run.end('1', 11);
  const [short, same, long] = run.tasks();
  assert.equal(short!.treeDeltaBytes, null);
  assert.equal(short!.deltaBytes, 1 * MB);
  assert.equal(long!.treeDeltaBytes, null);
  assert.equal(long!.deltaBytes, 0);
  assert.equal(same!.treeDeltaBytes, 0);
});
