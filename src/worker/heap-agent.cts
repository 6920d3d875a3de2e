// leakhunt's Node heap agent: preloaded into every Node process of the worker's tree
// (NODE_OPTIONS --require, heap-agent-env.ts), so Node workers that write their own boundary
// lines, without the helper, are judged on their heap after GC too, not on RSS alone, where V8
// commits memory in steps that can hide a leak for a hundred tasks. An `end` line such a worker
// writes to the channel with a synchronous call gets the figures added as it is written
// (channel-writes.cts). Outside leakhunt (no LEAKHUNT_CHANNEL) it does nothing.
// This file runs inside users' workers: node builtins only, and the .cts files beside it, which
// are required only under leakhunt: a Node process that inherits NODE_OPTIONS elsewhere pays for
// reading this file and nothing more.
type ChannelWrites = typeof import('./channel-writes.cjs');
type HeapAfterGc = typeof import('./heap-after-gc.cjs');
type HeapFigures = ReturnType<HeapAfterGc['heapAfterGc']>;

let mainThread: boolean | undefined;

/**
 * The heap after a full GC, from the main thread only. The preload runs in worker threads too,
 * where process.memoryUsage() gives the thread's own isolate under the process's pid: a series
 * mixing isolates would be no series. Asked at the first end line, not at start-up: loading
 * worker_threads costs ~3 ms, which every Node process of the tree would pay.
 */
function mainThreadFigures(): HeapFigures | null {
  mainThread ??= (require('node:worker_threads') as typeof import('node:worker_threads')).isMainThread;
  return mainThread ? (require('./heap-after-gc.cjs') as HeapAfterGc).heapAfterGc() : null;
}

const channel = process.env.LEAKHUNT_CHANNEL;
if (channel) {
  try {
    (require('./channel-writes.cjs') as ChannelWrites).hookChannelWrites(channel, mainThreadFigures);
  } catch {
    // Whatever goes wrong here, the worker runs as it would without the agent.
  }
}
