// leakhunt's heap agent: preloaded into every Node process of the worker's tree (NODE_OPTIONS
// --require), so Node workers that report tasks without the helper (raw channel lines) are judged
// on their heap after GC too, not on RSS alone, where V8 commits memory in steps that can hide a
// leak for a hundred tasks. Two ways, the first exact: an `end` line the worker writes to the
// channel with a synchronous call gets the figures added as it is written (channel-writes.cts);
// for any other end of this process that carries none, leakhunt sends the task's id over the
// agent's socket and the agent answers, when the event loop next turns, with the heap after a
// full GC. Its socket is unref'd: it never keeps a worker alive. Outside leakhunt (no
// LEAKHUNT_HEAP_AGENT) it does nothing.
// This file runs inside users' workers: node builtins only, and the .cts files beside it.
// Types only at the top: the modules are required once leakhunt is known to be there, so a Node
// process that inherits NODE_OPTIONS outside a run pays for reading this file and nothing more.
import type { Socket } from 'node:net';

type Fs = typeof import('node:fs');
type Net = typeof import('node:net');
type HeapAfterGc = typeof import('./heap-after-gc.cjs');
type ChannelWrites = typeof import('./channel-writes.cjs');

/** Requests are a task id each; a longer line is no request of leakhunt's. */
const MAX_REQUEST_CHARS = 512;

/**
 * Says on the boundary channel that this process has an agent, before any boundary of its own:
 * lines of one process reach leakhunt in the order written, so leakhunt knows to wait for the
 * agent's connection when this process's first task ends. A full or closed channel: no agent.
 */
function announce(channel: string): boolean {
  const fs = require('node:fs') as Fs;
  try {
    const fd = fs.openSync(channel, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    try {
      fs.writeSync(fd, `${JSON.stringify({ event: 'agent', pid: process.pid })}\n`);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}

const heapAfterGc = (): ReturnType<HeapAfterGc['heapAfterGc']> => (require('./heap-after-gc.cjs') as HeapAfterGc).heapAfterGc();

function answer(socket: Socket, tasks: string[]): void {
  // One collection answers every request that arrived together.
  const { heapUsed, heapTotal, external } = heapAfterGc();
  for (const task of tasks) socket.write(`${JSON.stringify({ task, heapUsed, heapTotal, external })}\n`);
}

function serve(path: string): void {
  const socket = (require('node:net') as Net).connect(path);
  socket.unref();
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.write(`${JSON.stringify({ pid: process.pid })}\n`);
  let pending = '';
  socket.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    if (pending.length > MAX_REQUEST_CHARS) pending = '';
    const tasks: string[] = [];
    for (const line of lines) {
      try {
        const request: unknown = JSON.parse(line);
        const task = (request as { task?: unknown } | null)?.task;
        if (typeof task === 'string') tasks.push(task);
      } catch {
        // not a request: ignored
      }
    }
    if (tasks.length > 0) answer(socket, tasks);
  });
}

function start(): void {
  const { LEAKHUNT_CHANNEL: channel, LEAKHUNT_HEAP_AGENT: path } = process.env;
  // Worker threads share the process's heap figures and pid: the main thread answers for them.
  if (!channel || !path) return;
  if (!(require('node:worker_threads') as typeof import('node:worker_threads')).isMainThread) return;
  if (!announce(channel)) return;
  serve(path);
  (require('./channel-writes.cjs') as ChannelWrites).hookChannelWrites(channel, heapAfterGc);
}

try {
  start();
} catch {
  // Whatever goes wrong here, the worker runs as it would without leakhunt's agent.
}
