// Shared tools of the fault-matrix tests: start the built CLI and keep hold of it, read /proc
// figures of a process, wait for a condition with a deadline, and end whatever a test started.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { BIN, ROOT } from '../helpers/paths.js';

export const node = process.execPath;

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From spawn to the 'exit' event. */
  ms: number;
}

export interface Started {
  child: ChildProcess;
  pid: number;
  /** Settles at 'exit' (not 'close': a test may leave a grandchild holding a pipe on purpose). */
  finished: Promise<Finished>;
  /** Resolves with the first stdout line matching the pattern. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Kill leakhunt and fail after this long. */
  timeoutMs?: number;
  /** 'ignore' for runs that print gigabytes. */
  stdout?: 'pipe' | 'ignore';
  cwd?: string;
}

/** Starts `leakhunt <args>` through the built bin, without colour, with a hard deadline. */
export function startLeakhunt(args: string[], options: StartOptions = {}): Started {
  const started = performance.now();
  const child = spawn(node, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', CI: 'true', GITHUB_STEP_SUMMARY: '', GITHUB_ACTIONS: '', ...options.env },
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const waiter of [...waiters]) {
      const line = stdout.split('\n').find((l) => waiter.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (d: Buffer) => {
    // Only the first 64 KiB: enough for any message, bounded for runs that flood stderr.
    if (stderr.length < 65_536) stderr += d.toString();
  });
  const finished = new Promise<Finished>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`leakhunt ${args.join(' ')} did not end within ${options.timeoutMs ?? 30_000} ms\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      // Give the pipes a moment to deliver what is left, but never wait on a held pipe.
      setTimeout(() => resolve({ code, signal, stdout, stderr, ms }), 50);
    });
  });
  return {
    child,
    pid: child.pid!,
    finished,
    line(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const already = stdout.split('\n').find((l) => pattern.test(l));
        if (already !== undefined) return resolve(already);
        const timer = setTimeout(() => reject(new Error(`no line ${pattern} within ${timeoutMs} ms; stdout: ${stdout.slice(-500)}`)), timeoutMs);
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      });
    },
  };
}

/** Polls until `check` is true; false when the deadline passed first. */
export async function waitUntil(check: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (check()) return true;
    await delay(everyMs);
  }
  return check();
}

/** true while the pid exists and is not a zombie. */
export function alive(pid: number): boolean {
  const state = procState(pid);
  return state !== null && state !== 'Z';
}

/** The one-letter state from /proc/<pid>/stat (R, S, Z…), or null when there is no such process. */
export function procState(pid: number): string | null {
  const stat = readOrNull(`/proc/${pid}/stat`);
  if (stat === null) return null;
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

/** A "Name: N kB" figure of /proc/<pid>/status, in bytes (VmRSS, VmHWM…); null when gone. */
export function statusBytes(pid: number | 'self', field: string): number | null {
  const status = readOrNull(`/proc/${pid}/status`);
  const match = status && new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/** Samples a process's high-water mark (VmHWM) until it exits: its peak RSS, kept by the kernel. */
export function trackPeak(pid: number, everyMs = 50): { stop(): number } {
  let peak = 0;
  const read = (): void => {
    peak = Math.max(peak, statusBytes(pid, 'VmHWM') ?? 0);
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      return peak;
    },
  };
}

/** SIGKILLs each pid still alive (for test cleanup: never throws). */
export function killAll(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export type CsvRow = Record<string, string>;

/** A CSV file through a real RFC 4180 parser, one object per row. */
export function readCsv(path: string): CsvRow[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, relax_column_count: false }) as CsvRow[];
}

export function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** A file under /proc, or null when its process is gone meanwhile. */
export function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Processes whose environment holds LEAKHUNT_TEST_TAG=<tag>: the workers (and their children)
 * of one leakhunt run started with that tag, told apart from other tests running the same fixture.
 */
export function processesTagged(tag: string): number[] {
  const needle = `LEAKHUNT_TEST_TAG=${tag}\u0000`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const environ = readOrNull(`/proc/${entry}/environ`);
    if (environ?.includes(needle) && alive(Number(entry))) found.push(Number(entry));
  }
  return found;
}
