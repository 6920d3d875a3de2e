// leakhunt/worker: the Node side of task protocol v1, for workers that want leakhunt to see
// their task boundaries. `serveTasks(handler)` runs the whole stdin loop; `markTask(name, fn)`
// wraps one task inside a worker that has its own loop. Outside leakhunt both are plain function
// calls that cost nothing. This module runs inside users' workers: builtins only, loaded fast.
import { createInterface } from 'node:readline';
import { channelActive, memoryMetrics, startMetrics, warn, writeBoundary, type WorkerTask } from './boundary.js';
import { allocationsAsked, allocationsTaskEnded, allocationsTaskStarted } from './allocation-hooks.js';

export type { Metrics, WorkerTask } from './boundary.js';

export type TaskHandler = (task: WorkerTask) => unknown | Promise<unknown>;

/**
 * Reads one JSON task per stdin line and runs `handler` on each, one at a time, in order,
 * reporting a start and an end boundary (with heap figures after a full GC, with or without
 * --expose-gc: see fullCollector). A handler that throws gets `ok: false`, its error goes to stderr, and the loop
 * goes on. Resolves when stdin ends.
 *
 * With LEAKHUNT_ISOLATE=fork every task runs in a fresh child process instead (see fork.ts).
 */
export async function serveTasks(handler: TaskHandler): Promise<void> {
  if (process.env.LEAKHUNT_FORK_CHILD === '1' && process.send) {
    const { serveOneForkedTask } = await import('./fork.js');
    return serveOneForkedTask((task) => runTask(task, handler));
  }
  const forking = process.env.LEAKHUNT_ISOLATE === 'fork';
  const runInChild = forking ? (await import('./fork.js')).runTaskInChild : null;
  let lineNumber = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const task = parseTask(line, lineNumber);
    if (!task) continue;
    if (runInChild) await runInChild(task);
    else await runTask(task, handler);
  }
}

/** Runs one task between its boundaries; true when the handler did not throw. */
async function runTask(task: WorkerTask, handler: TaskHandler): Promise<boolean> {
  writeBoundary({ event: 'start', task: task.task, name: task.name, ...(channelActive() ? { metrics: startMetrics() } : {}) });
  if (allocationsAsked) await allocationsTaskStarted(task.name, true);
  let ok = true;
  try {
    await handler(task);
  } catch (error) {
    ok = false;
    warn(`task ${task.task} (${task.name}) failed: ${(error as Error)?.stack ?? String(error)}`);
  }
  // Metrics first: their full GC is the one --allocations reads the heap after.
  const metrics = channelActive() ? memoryMetrics() : {};
  if (allocationsAsked) await allocationsTaskEnded(task.name, channelActive());
  writeBoundary({ event: 'end', task: task.task, name: task.name, ok, metrics });
  return ok;
}

let autoId = 0;

/**
 * Reports `fn` as one task of type `name`. Ids default to `<pid>-<n>` (n counting from 1 in
 * each process), unique across every process of the tree. Errors propagate to the caller
 * after the end boundary (`ok: false`) is written.
 */
export async function markTask<T>(name: string, fn: () => T | Promise<T>, id?: string): Promise<T> {
  const task = id ?? `${process.pid}-${++autoId}`;
  if (!channelActive()) return fn();
  writeBoundary({ event: 'start', task, name, metrics: startMetrics() });
  if (allocationsAsked) await allocationsTaskStarted(name, false);
  let ok = false;
  try {
    const result = await fn();
    ok = true;
    return result;
  } finally {
    const metrics = memoryMetrics();
    if (allocationsAsked) await allocationsTaskEnded(name, true);
    writeBoundary({ event: 'end', task, name, ok, metrics });
  }
}

/** Ids may be numbers (coerced) or absent (the stdin line number); names default to "task". */
function parseTask(line: string, lineNumber: number): WorkerTask | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    warn(`stdin line ${lineNumber} is not a JSON task; skipped`);
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    warn(`stdin line ${lineNumber} is not a JSON object; skipped`);
    return null;
  }
  const record = value as Record<string, unknown>;
  const id = record.task;
  const task: WorkerTask = {
    task: typeof id === 'string' || typeof id === 'number' ? String(id) : String(lineNumber),
    name: typeof record.name === 'string' && record.name !== '' ? record.name : 'task',
  };
  if (record.params !== undefined) task.params = record.params;
  return task;
}
