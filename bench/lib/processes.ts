// Starting and ending the processes the bench measures. Everything is started in its own process
// group and ended by group, so a failed measurement never leaves sleepers behind.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { childrenOf } from './proc.js';

function findRoot(start: string): string {
  let dir = resolve(start);
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'bench'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no leakhunt checkout above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The checkout, found from the working directory (npm run bench runs from it). */
export const ROOT = findRoot(process.cwd());
export const BIN = join(ROOT, 'bin', 'leakhunt.cjs');
export const benchFixture = (name: string): string => join(ROOT, 'bench', 'fixtures', name);

/** SIGKILL to a whole process group; quiet when it is gone. */
export function killGroup(pgid: number | undefined): void {
  if (!pgid) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * A shell with size-1 `sleep` children (size 1: the sleep alone). Every member is started before
 * this resolves. The sleepers give up after lifeSeconds, so even a crashed bench leaves nothing.
 */
export async function startSleepTree(size: number, lifeSeconds = 120): Promise<ChildProcess> {
  const script = size === 1 ? `exec sleep ${lifeSeconds}` : sleepTreeScript(size, lifeSeconds);
  const root = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  const deadline = Date.now() + 30_000;
  while (size > 1 && childrenOf(root.pid!).length < size - 1) {
    if (Date.now() > deadline) {
      killGroup(root.pid);
      throw new Error(`the ${size}-process tree did not start in 30 s`);
    }
    await delay(20);
  }
  return root;
}

/** The shell script of a tree: one sh, size-1 sleepers, waiting for them. */
export function sleepTreeScript(size: number, lifeSeconds: number): string {
  return `i=1; while [ $i -lt ${size} ]; do sleep ${lifeSeconds} & i=$((i+1)); done; wait`;
}

export interface Captured {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** Runs a command to its end (killing its group after timeoutMs) and captures its output. */
export function capture(command: string, args: string[], options: SpawnOptions & { timeoutMs: number }): Promise<Captured> {
  const start = performance.now();
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const timer = setTimeout(() => killGroup(child.pid), options.timeoutMs);
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid); // anything the command left behind
      done({ code, signal, stdout, stderr, wallMs: performance.now() - start });
    });
  });
}
