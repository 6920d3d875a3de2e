// The corpus truth: after each task a worker appends "<pid> <bytes>" to the file named by
// CORPUS_TRUTH, the bytes its long-lived state holds, counted by the worker itself (sizes of what
// it keeps), never read from RSS. Outside the eval (no CORPUS_TRUTH) it does nothing.
import { openSync, writeSync } from 'node:fs';

const path = process.env.CORPUS_TRUTH;
const fd = path ? openSync(path, 'a') : null;

/** Records what this process holds across tasks, in bytes. */
export function recordTruth(bytes) {
  if (fd !== null) writeSync(fd, `${process.pid} ${Math.round(bytes)}\n`);
}

/** The task count for self-driven workers: argv[2], else the default. */
export function taskCount(fallback) {
  const n = Number(process.argv[2]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}
