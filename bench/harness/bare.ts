// The bare harness: the least a tool can do to run a task stream the way one compare mode does,
// with no sampling, no session and no report. It spawns the worker, feeds task lines, waits for
// its exit, and keeps `spares` workers started ahead of time. The worker still gets a boundary
// channel (a FIFO named by LEAKHUNT_CHANNEL), so it does the same work as under leakhunt, and the
// harness feeds in the same lockstep: the next line (or EOF) once the task's `end` line is read.
// A mode's leakhunt figure divided by this one is what leakhunt itself adds.
//
//   node dist/bench/harness/bare.js --mode isolated|recycle:N|fork --spares K [--replenish before|start] --tasks F -- cmd...
// prints {"wallMs":..,"msPerTask":..,"tasks":..,"processes":..} on stdout.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { constants, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BareOptions {
  command: string[];
  /** One JSON task line each. */
  lines: string[];
  /** 'isolated', 'recycle:N' or 'fork'. */
  mode: string;
  /** Workers started ahead of the one running (isolated, recycle). */
  spares: number;
  /**
   * When the spares are started: 'before' the task line is written (the spawn then sits between
   * one task and the next), or once the taken worker reports its task's 'start', as leakhunt does.
   */
  replenish?: 'before' | 'start';
}

export interface BareResult {
  wallMs: number;
  msPerTask: number;
  tasks: number;
  processes: number;
}

function tasksPerProcess(mode: string, total: number): number {
  if (mode === 'isolated') return 1;
  if (mode === 'fork' || mode === 'in-process') return total;
  const match = /^recycle:(\d+)$/.exec(mode);
  if (!match) throw new Error(`bare harness: unknown mode ${mode}`);
  return Number(match[1]);
}

/** A FIFO channel; `onEnd` hears each task's end line, `onStart` each start line. */
function openFifo(): { path: string; onEnd: (fn: ((task: string) => void) | null) => void; onStart: (fn: (() => void) | null) => void; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bare-harness-'));
  const path = join(dir, 'channel');
  execFileSync('mkfifo', ['-m', '600', path]);
  const socket = new Socket({ fd: openSync(path, constants.O_RDWR | constants.O_NONBLOCK), readable: true, writable: false });
  let handler: ((task: string) => void) | null = null;
  let startHandler: (() => void) | null = null;
  let rest = '';
  socket.setEncoding('utf8').on('data', (text: string) => {
    const lines = (rest + text).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      const event = JSON.parse(line) as { event: string; task: string };
      if (event.event === 'end') handler?.(String(event.task));
      else if (event.event === 'start') startHandler?.();
    }
  });
  return {
    path,
    onEnd: (fn) => void (handler = fn),
    onStart: (fn) => void (startHandler = fn),
    close() {
      socket.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the stream once; wall time from making the channel to the last worker's exit. */
export async function runBare(options: BareOptions): Promise<BareResult> {
  const began = performance.now();
  const fifo = openFifo();
  const [file, ...args] = options.command;
  const env = { ...process.env, LEAKHUNT_CHANNEL: fifo.path, ...(options.mode === 'fork' ? { LEAKHUNT_ISOLATE: 'fork' } : {}) };
  // In a session of its own, as leakhunt starts workers: where the kernel groups scheduling by
  // session (autogroup), that decides the worker's share of a busy machine's CPU.
  const start = (): ChildProcess => spawn(file!, args, { stdio: ['pipe', 'inherit', 'inherit'], env, detached: true });
  const size = tasksPerProcess(options.mode, options.lines.length);
  const chunks: string[][] = [];
  for (let i = 0; i < options.lines.length; i += size) chunks.push(options.lines.slice(i, i + size));
  const spares: ChildProcess[] = [];
  try {
    for (const [index, chunk] of chunks.entries()) {
      const child = spares.shift() ?? start();
      const wanted = Math.min(options.spares, chunks.length - 1 - index);
      const replenish = (): void => {
        fifo.onStart(null);
        while (spares.length < wanted) spares.push(start());
      };
      if (options.replenish === 'start') fifo.onStart(replenish);
      else replenish();
      const exited = new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
        child.once('error', reject);
      });
      feed(child, chunk, fifo.onEnd);
      await exited;
      replenish();
    }
  } finally {
    fifo.onEnd(null);
    fifo.onStart(null);
    for (const spare of spares) spare.kill('SIGKILL');
    fifo.close();
  }
  const wallMs = performance.now() - began;
  return { wallMs, msPerTask: wallMs / options.lines.length, tasks: options.lines.length, processes: chunks.length };
}

/** Lockstep, as leakhunt feeds: each line after the previous task's end, and EOF after the last one's. */
function feed(child: ChildProcess, lines: string[], onEnd: (fn: ((task: string) => void) | null) => void): void {
  const stdin = child.stdin!;
  stdin.on('error', () => {});
  let next = 0;
  let pending = '';
  const send = (): void => {
    if (next === lines.length) {
      onEnd(null);
      stdin.end();
      return;
    }
    const line = lines[next++]!;
    pending = String((JSON.parse(line) as { task: unknown }).task);
    stdin.write(`${line}\n`);
  };
  onEnd((task) => {
    if (task === pending) send();
  });
  send();
}

function parseArgs(argv: string[]): BareOptions {
  const dash = argv.indexOf('--');
  const flags = new Map<string, string>();
  for (let i = 0; i < dash; i += 2) flags.set(argv[i]!, argv[i + 1]!);
  const tasks = flags.get('--tasks');
  if (dash < 0 || !tasks) throw new Error('usage: bare.js --mode M --spares K --tasks file.jsonl -- cmd...');
  return {
    command: argv.slice(dash + 1),
    lines: readFileSync(tasks, 'utf8').split('\n').filter((l) => l.trim() !== ''),
    mode: flags.get('--mode') ?? 'isolated',
    spares: Number(flags.get('--spares') ?? 1),
    replenish: flags.get('--replenish') === 'start' ? 'start' : 'before',
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runBare(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
