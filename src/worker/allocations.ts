// Allocation sites that keep memory across tasks, per task type (leakhunt --allocations), for
// the Node helper. Active only when LEAKHUNT_ALLOCATIONS names a directory; otherwise nothing
// here runs and no profiler is started.
//
// How: V8's sampling heap profiler, through the in-process inspector. Its profile holds only
// objects still alive, so after a full GC (the helper's own, no --expose-gc needed)
// the profile taken at a task's end minus the one at its start is what that task kept, per
// stack. V8 records which function allocated, not the line: a site is that function, at the
// line where it starts (source-mapped when node runs with --enable-source-maps).
//
// Why a file and not the channel: a table of sites with their stacks is far larger than the
// channel's 4096-byte line cap. It is written whole (temp file, then rename) at most every
// WRITE_EVERY_MS at task ends and at exit, and leakhunt reads it once the worker has gone.
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { findSourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TypeRuns, type StackFrame } from './allocation-runs.js';
import gcModule from './heap-after-gc.cjs';

const FORMAT = 'leakhunt/allocations@1';
const DEFAULT_FRAMES = 16;
/** V8's default: one sample per 32 KiB allocated on average. Big retained objects are always seen. */
const SAMPLING_INTERVAL_BYTES = 32 * 1024;
const WRITE_EVERY_MS = 5000;

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  selfSize: number;
  children: ProfileNode[];
}

/** Live bytes per stack (the stack's key), and each key's frames. */
type LiveHeap = Map<string, number>;

/** Allocations of the recorder (anywhere below its frames) and of the inspector are not the task's. */
const OWN_URLS = new Set(['node:inspector', import.meta.url, new URL('./allocation-hooks.js', import.meta.url).href]);

export class AllocationRecorder {
  private readonly session = new Session();
  private readonly types = new Map<string, TypeRuns>();
  private readonly stacks = new Map<string, StackFrame[]>();
  /** Profile node id → its stack's key (null: the recorder's own): V8 keeps node ids for the whole sampling session. */
  private readonly keys = new Map<number, string | null>();
  private before: LiveHeap | null = null;
  private open = 0;
  private tracing: { name: string; run: number } | null = null;
  private lastWrite = 0;

  constructor(private readonly directory: string, private readonly frames: number) {
    this.session.connect();
    this.post('HeapProfiler.enable');
    // Collected objects leave the profile: what remains is what is still alive.
    this.post('HeapProfiler.startSampling', { samplingInterval: SAMPLING_INTERVAL_BYTES });
    this.write();
    process.on('exit', () => this.write());
  }

  /** reuseLast: nothing ran since the previous task's end (the helper's own loop). */
  async taskStarted(name: string, reuseLast: boolean): Promise<void> {
    this.open += 1;
    let runs = this.types.get(name);
    if (!runs) this.types.set(name, (runs = new TypeRuns()));
    runs.runs += 1;
    if (this.open > 1 || !runs.wants(runs.runs)) {
      this.tracing = null;
      this.before = null;
      return;
    }
    this.tracing = { name, run: runs.runs };
    if (!(reuseLast && this.before)) this.before = await this.liveHeap();
  }

  /** collected: the helper has just run a full GC (memoryMetrics), so no second one is needed. */
  async taskEnded(name: string, collected = false): Promise<void> {
    this.open = Math.max(0, this.open - 1);
    const tracing = this.tracing;
    this.tracing = null;
    if (!tracing || tracing.name !== name || !this.before) {
      this.before = null;
      return;
    }
    const before = this.before;
    const after = await this.liveHeap(collected && gcModule.fullCollector() !== null);
    const deltas = new Map<string, number>();
    for (const [key, bytes] of after) {
      const delta = bytes - (before.get(key) ?? 0);
      if (delta !== 0) deltas.set(key, delta);
    }
    for (const [key, bytes] of before) if (!after.has(key)) deltas.set(key, -bytes);
    this.types.get(name)!.add(tracing.run, deltas);
    this.before = after;
    if (performance.now() - this.lastWrite >= WRITE_EVERY_MS) this.write();
  }

  /** The whole table, atomically, in this process's own file. */
  write(): void {
    this.lastWrite = performance.now();
    const table = {
      format: FORMAT,
      language: 'node',
      runtime: `node ${process.version}`,
      pid: process.pid,
      frames: this.frames,
      samplingIntervalBytes: SAMPLING_INTERVAL_BYTES,
      types: [...this.types].map(([name, runs]) => runs.table(name, (key) => this.stacks.get(key) ?? [])),
    };
    const path = join(this.directory, `node-${process.pid}.json`);
    const temp = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, JSON.stringify(table));
      renameSync(temp, path);
    } catch (error) {
      // leakhunt removed the directory: the run is over.
      process.stderr.write(`leakhunt/worker: allocation sites not written (${(error as NodeJS.ErrnoException).code})\n`);
    }
  }

  private post(method: string, params?: object): unknown {
    // The in-process session answers these synchronously: the callback has run when post returns.
    let reply: unknown;
    let failure: Error | null = null;
    this.session.post(method, params ?? {}, (error: Error | null, result?: unknown) => {
      failure = error;
      reply = result;
    });
    if (failure) throw failure;
    return reply;
  }

  /**
   * A full GC: the helper's own synchronous one (boundary.ts), else the inspector's, which
   * answers from the event loop once the GC has run and so must be awaited.
   */
  private async collectGarbage(): Promise<void> {
    const gc = gcModule.fullCollector();
    if (gc) return gc();
    return new Promise((resolve, reject) => {
      this.session.post('HeapProfiler.collectGarbage', (error: Error | null) => (error ? reject(error) : resolve()));
    });
  }

  /** Live bytes per stack of at most `frames` frames, after a full GC (`collected`: one has just run). */
  private async liveHeap(collected = false): Promise<LiveHeap> {
    if (!collected) await this.collectGarbage();
    const { profile } = this.post('HeapProfiler.getSamplingProfile') as { profile: { head: ProfileNode } };
    const heap: LiveHeap = new Map();
    const path: CallFrame[] = [];
    const visit = (node: ProfileNode, ownBelow: boolean): void => {
      const own = ownBelow || OWN_URLS.has(node.callFrame.url);
      path.push(node.callFrame);
      if (node.selfSize > 0) {
        const key = this.keys.has(node.id) ? this.keys.get(node.id)! : this.keyOf(node.id, path, own);
        if (key !== null) heap.set(key, (heap.get(key) ?? 0) + node.selfSize);
      }
      for (const child of node.children) visit(child, own);
      path.pop();
    };
    // The root is V8's "(root)" pseudo-frame: its children are the real stack bottoms.
    for (const child of profile.head.children) visit(child, false);
    return heap;
  }

  /** The key of a node's stack (its innermost `frames` frames), built once per node. */
  private keyOf(id: number, path: CallFrame[], own: boolean): string | null {
    let key: string | null = null;
    if (!own) {
      const frames = path.slice(-this.frames).reverse();
      key = frames.map((f) => `${f.url}:${f.lineNumber}:${f.columnNumber}:${f.functionName}`).join('\n');
      if (!this.stacks.has(key)) this.stacks.set(key, frames.map(describeFrame));
    }
    this.keys.set(id, key);
    return key;
  }
}

/** file:line function, 1-based, through a source map when node keeps one for the file. */
function describeFrame(frame: CallFrame): StackFrame {
  const name = frame.functionName || (frame.lineNumber === 0 && frame.columnNumber === 0 ? '(module)' : '(anonymous)');
  const mapped = sourceMapped(frame);
  if (mapped) return { ...mapped, function: name };
  return { file: filePath(frame.url), line: frame.lineNumber + 1, function: name };
}

function sourceMapped(frame: CallFrame): { file: string; line: number } | null {
  if (!frame.url || frame.url.startsWith('node:')) return null;
  try {
    // Only with --enable-source-maps (or a source map already loaded) does node keep one.
    const entry = findSourceMap(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber) as
      { originalSource?: string; originalLine?: number } | undefined;
    if (!entry?.originalSource || entry.originalLine === undefined) return null;
    return { file: filePath(entry.originalSource), line: entry.originalLine + 1 };
  } catch {
    return null;
  }
}

function filePath(url: string): string {
  if (!url.startsWith('file://')) return url || '(native)';
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}

/** A recorder when LEAKHUNT_ALLOCATIONS names a directory, else null. */
export function startFromEnvironment(): AllocationRecorder | null {
  const directory = process.env.LEAKHUNT_ALLOCATIONS;
  if (!directory) return null;
  const frames = Number.parseInt(process.env.LEAKHUNT_ALLOCATION_FRAMES ?? '', 10);
  return new AllocationRecorder(directory, Number.isFinite(frames) && frames >= 1 ? frames : DEFAULT_FRAMES);
}
