// The heap after a full collection, as the Node helper (boundary.ts) and leakhunt's preloaded heap
// agent (heap-agent.cts) both read it. CommonJS: the agent is loaded with --require, which any
// Node takes in NODE_OPTIONS, and the helper's ES modules import it as they would any CommonJS.
// This file runs inside users' workers: node builtins only.
import v8 = require('node:v8');
import vm = require('node:vm');

let fullGc: (() => void) | null | undefined;

/**
 * A function that runs a full collection: the global gc() when node runs with --expose-gc, else
 * one obtained at run time. V8 reads --expose-gc when it creates a context, so enabling the flag
 * and creating one context hands us its gc(); the flag is then switched off again, so contexts the
 * worker creates later get no gc() they did not ask for. null when V8 refuses.
 */
function fullCollector(): (() => void) | null {
  if (fullGc !== undefined) return fullGc;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return (fullGc = exposed);
  fullGc = null;
  try {
    v8.setFlagsFromString('--expose-gc');
    const found: unknown = vm.runInNewContext('gc');
    if (typeof found === 'function') fullGc = found as () => void;
  } catch {
    // An embedder that forbids flag changes: heap figures are then read as they are.
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
  return fullGc;
}

interface HeapFigures {
  heapUsed: number;
  heapTotal: number;
  external: number;
  rss: number;
}

/**
 * What V8 and the OS say after a full GC (without one only if V8 refused us gc()). A full GC
 * leaves the dead Buffers' memory to V8's concurrent ArrayBuffer sweeper, so right after it
 * `external` (and RSS, where the allocator unmaps) still count them: a dropped 4 MB Buffer read
 * 5.07 MB external after gc() and 1.07 MB after one more collection, on Node 20 and 22. The next
 * GC finishes that sweep before anything else; a minor one (~0.1–0.2 ms) is enough.
 */
function heapAfterGc(): HeapFigures {
  const gc = fullCollector();
  if (gc) {
    gc();
    finishSweeping(gc);
  }
  const { heapUsed, heapTotal, external, rss } = process.memoryUsage();
  return { heapUsed, heapTotal, external, rss };
}

/** A minor collection, which first finishes the previous one's ArrayBuffer sweep. */
function finishSweeping(gc: (options?: { type: 'minor' }) => void): void {
  try {
    gc({ type: 'minor' });
  } catch {
    // A gc() without options (not V8's extension): the figures stay as the full GC left them.
  }
}

export = { fullCollector, heapAfterGc };
