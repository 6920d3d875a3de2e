// Runs `compare --modes isolated` (the core the CLI and the API share) inside this process and prints,
// as one JSON line, what it cost this process: open fds, RSS and heap before and after, and any
// child left behind (a zombie or a live one). Run it with --expose-gc so both readings follow a
// full collection. Used by test/reliability/isolated-compare.test.ts (small counts) and the soak
// (500 tasks). It lives outside test/ because the test runner runs every file under test/.
// Usage: node --expose-gc isolated-probe.js <tasks> [warmupTasks] [settleMs]
import { readdirSync, readFileSync } from 'node:fs';
import { runComparison } from '../src/commands/compare-workload.js';
import { parseTasksArg } from '../src/protocol/tasks.js';
import { endedTaskCount } from '../src/series/rows.js';
import { parseModes } from '../src/runner/modes.js';
import { keepProcessHeapCollected } from '../src/heap-keeper.js';
import { fixture } from '../test/helpers/paths.js';

export interface ProbeFigures {
  tasks: number;
  done: number;
  wallMs: number;
  msPerTask: number | null;
  fds: { before: number; after: number };
  /**
   * `settled`: RSS again `settleMs` after the run, when one was asked for (else null). Building the
   * run's result touches V8 heap pages that V8 keeps in its pool until its memory reducer runs,
   * 10-15 s after the last full collection (measured on Node 20.20 and 22.23): on Node 22, 500 tasks
   * read +4.8 MiB just after the run and +0.6 MiB 15 s later, all of the difference V8's 256 KiB pages.
   */
  rssBytes: { before: number; after: number; settled: number | null };
  heapBytes: { before: number; after: number };
  /** RSS and live heap every 100 tasks during the run (after a full GC): a plateau, or growth. */
  checkpoints: Array<{ done: number; rssBytes: number; heapBytes: number }>;
  /** Children of this process still present after the run, by state letter (Z = zombie). */
  leftChildren: Array<{ pid: number; state: string }>;
}

const worker = ['sh', fixture('faults', 'quick-task.sh')];
const CHECKPOINT_TASKS = 100;

/** One isolated compare; `onHundred` runs after every CHECKPOINT_TASKS tasks, during the run. */
async function isolated(tasks: number, onHundred?: (done: number) => void): Promise<{ done: number; msPerTask: number | null }> {
  const { result } = await runComparison({
    command: worker,
    tasks: parseTasksArg(String(tasks), () => ''),
    modes: parseModes('isolated'),
    intervalMs: 50,
    killAfterMs: 2000,
    taskTimeoutMs: 60_000,
    children: true,
    metric: 'rss',
    limit: null,
    onTask: (_mode, done) => {
      if (done > 0 && done % CHECKPOINT_TASKS === 0) onHundred?.(done);
    },
  });
  const mode = result.modes![0]!;
  return { done: endedTaskCount(mode.tasks), msPerTask: mode.msPerTask };
}

type Gc = (options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

function collect(): void {
  (globalThis as { gc?: Gc }).gc?.();
}

/**
 * The collection V8 runs under memory pressure: it also hands back the free pages V8 keeps pooled
 * after a busy stretch. Node 22 pools the pages that building a run's result touched until its
 * memory reducer runs, 10-15 s later: read after a plain collection, 100 tasks read +4.2 MiB once
 * on a loaded machine (and 0.0-0.8 MiB on a quiet one), all of it memory no longer in use. Read
 * after this one, RSS is what the process still holds, before the run and after it alike.
 */
function collectAll(): void {
  (globalThis as { gc?: Gc }).gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/**
 * A full collection, then a turn of the event loop: a finished run's spill files (samples, tasks,
 * totals, process summaries) are closed by finalizers, which V8 runs as a task after the
 * collection. Counted before they run, the fds depended on their timing (23 → 27 in one soak).
 */
async function settle(): Promise<void> {
  collect();
  await new Promise((resolve) => setTimeout(resolve, 50));
  collectAll();
}

const fdCount = (): number => readdirSync('/proc/self/fd').length;

function childrenOfSelf(): Array<{ pid: number; state: string }> {
  const found: Array<{ pid: number; state: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === process.pid) found.push({ pid: Number(entry), state: fields[0]! });
  }
  return found;
}

export async function probe(tasks: number, warmup: number, settleMs = 0): Promise<ProbeFigures> {
  // What the CLI does for its own heap (heap-keeper.ts), so the figures are the CLI's.
  keepProcessHeapCollected();
  // A first run loads every module and warms the JIT, so the measured run shows only what a run costs.
  if (warmup > 0) await isolated(warmup);
  await new Promise((r) => setTimeout(r, 100));
  await settle();
  const before = { fds: fdCount(), rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
  const started = performance.now();
  const checkpoints: ProbeFigures['checkpoints'] = [];
  const { done, msPerTask } = await isolated(tasks, (count) => {
    collect();
    checkpoints.push({ done: count, rssBytes: process.memoryUsage().rss, heapBytes: process.memoryUsage().heapUsed });
  });
  const wallMs = Math.round(performance.now() - started);
  // Let the last exits be reaped and the spare pool's kills land.
  await new Promise((r) => setTimeout(r, 300));
  await settle();
  const after = { fds: fdCount(), rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed };
  const leftChildren = childrenOfSelf();
  let settled: number | null = null;
  if (settleMs > 0) {
    await new Promise((r) => setTimeout(r, settleMs));
    settled = process.memoryUsage().rss;
  }
  return {
    tasks,
    done,
    wallMs,
    msPerTask,
    checkpoints,
    fds: { before: before.fds, after: after.fds },
    rssBytes: { before: before.rss, after: after.rss, settled },
    heapBytes: { before: before.heap, after: after.heap },
    leftChildren,
  };
}

if (process.argv[1] && import.meta.url.endsWith('/isolated-probe.js') && process.argv[1].endsWith('isolated-probe.js')) {
  const figures = await probe(Number(process.argv[2] ?? 100), Number(process.argv[3] ?? 60), Number(process.argv[4] ?? 0));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
