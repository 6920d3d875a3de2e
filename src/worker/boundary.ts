// Writes task boundaries to leakhunt's channel (LEAKHUNT_CHANNEL): one JSON line per event, in
// one write(2) of at most PIPE_BUF bytes, so lines from concurrent processes never interleave.
// Outside leakhunt (no LEAKHUNT_CHANNEL) every call returns at once and writes nothing.
// This file runs inside users' workers: node builtins only, and heap-after-gc.cts beside it.
import { constants, openSync, writeSync } from 'node:fs';
import heap from './heap-after-gc.cjs';

/** The channel's line cap (PIPE_BUF); leakhunt drops longer lines. */
const MAX_LINE_BYTES = 4096;
/** leakhunt cuts labels to this many characters anyway; cutting here keeps lines short. */
const MAX_LABEL_CHARS = 200;
/** How long a write may wait for leakhunt to drain a full pipe before the boundary is dropped. */
const FULL_PIPE_PATIENCE_MS = 1000;

/** One task as leakhunt dispatches it: one JSON line on stdin. */
export interface WorkerTask {
  task: string;
  name: string;
  params?: unknown;
}

export type Metrics = Record<string, number | string | string[]>;

export interface Boundary {
  event: 'start' | 'end';
  task: string;
  name?: string;
  ok?: boolean;
  metrics?: Metrics;
  /** Written for a process that died before its end: no pid, so leakhunt keeps the task's own. */
  onBehalf?: boolean;
}

let channelFd: number | null | undefined;

/** The channel's fd, opened once; null when there is no channel or it cannot be opened. */
function channel(): number | null {
  if (channelFd !== undefined) return channelFd;
  const path = process.env.LEAKHUNT_CHANNEL;
  channelFd = null;
  if (!path) return null;
  try {
    // O_NONBLOCK: if leakhunt is gone, open fails (ENXIO) instead of hanging the worker.
    channelFd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (error) {
    warn(`cannot open LEAKHUNT_CHANNEL (${(error as NodeJS.ErrnoException).code}); task boundaries will not be reported`);
  }
  return channelFd;
}

export function channelActive(): boolean {
  return channel() !== null;
}

export function writeBoundary(boundary: Boundary): void {
  const fd = channel();
  if (fd === null) return;
  const line = Buffer.from(serialise(boundary));
  const deadline = Date.now() + FULL_PIPE_PATIENCE_MS;
  for (;;) {
    try {
      writeSync(fd, line);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN' && Date.now() < deadline) {
        sleepMs(1);
        continue;
      }
      if (code !== 'EAGAIN') channelFd = null; // EPIPE: leakhunt has gone; stop trying.
      warn(`a task boundary was not reported (${code})`);
      return;
    }
  }
}

/** One line, with metrics dropped from the end until it fits the channel's cap. */
function serialise(boundary: Boundary): string {
  const record: Record<string, unknown> = { event: boundary.event, task: cut(boundary.task) };
  if (boundary.name !== undefined) record.name = cut(boundary.name);
  if (!boundary.onBehalf) record.pid = process.pid;
  if (boundary.ok !== undefined) record.ok = boundary.ok;
  const metrics = Object.entries(boundary.metrics ?? {});
  for (;;) {
    if (metrics.length > 0) record.metrics = Object.fromEntries(metrics);
    else delete record.metrics;
    const line = JSON.stringify(record) + '\n';
    if (metrics.length === 0 || Buffer.byteLength(line) <= MAX_LINE_BYTES) return line;
    metrics.pop();
  }
}

function cut(text: string): string {
  return text.length > MAX_LABEL_CHARS ? text.slice(0, MAX_LABEL_CHARS) : text;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

export function warn(message: string): void {
  process.stderr.write(`leakhunt/worker: ${message}\n`);
}

/**
 * The helper's end-of-task figures: the heap after a full GC (heap-after-gc.cts), and the RSS as
 * `rssBytes`, the name leakhunt counts the process at, read here at the boundary.
 */
export function memoryMetrics(): Metrics {
  const { heapUsed, heapTotal, external, rss } = heap.heapAfterGc();
  return { heapUsed, heapTotal, external, rssBytes: rss };
}

/** The RSS at a task's start, read at the boundary too (no GC: no heap figure is judged there). */
export function startMetrics(): Metrics {
  return { rssBytes: process.memoryUsage.rss() };
}

