// What the framework tests need besides Redis: Debian's Python with the framework's modules, a
// bounded run of a load script, and the skip notice when a component is missing.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { leakhunt, type ExecResult } from './exec.js';

/** Debian's interpreter: the one with python3-celery, python3-rq and python3-redis. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** True when DEBIAN_PYTHON imports every one of these modules. */
export function pythonHas(...modules: string[]): boolean {
  const result = spawnSync(DEBIAN_PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore', timeout: 20_000 });
  return result.status === 0;
}

/** Registers one skipped test whose name says what is missing, and prints the notice. */
export function skipWithNotice(what: string, missing: string): void {
  console.log(`NOTICE: ${what} skipped: ${missing}`);
  test.skip(`${what} (skipped: ${missing})`, () => {});
}

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a load script (enqueue and wait) to its end, killed after timeoutMs. */
export function runTool(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface WatchedRun {
  leakhunt: ExecResult;
  load: ToolRun;
}

/**
 * `leakhunt watch <args>` while a load script drives the worker through its broker. Once the load
 * has finished (all its jobs done), the worker's own process gets SIGTERM, as `kill <pid>` or a
 * service manager would send it: Celery, RQ and the BullMQ fixture then shut down warm, letting a
 * task that is still reporting its end finish. (TERM to the whole group would also reach a
 * prefork pool's children, which die at once: the task they were ending would read as lost.)
 */
export async function watchWhileLoading(args: string[], load: { command: string; args: string[] }, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<WatchedRun> {
  let leakhuntPid: number | undefined;
  const watched = leakhunt(args, { env, timeoutMs, onStart: (child) => (leakhuntPid = child.pid) });
  let loadRun: ToolRun;
  try {
    loadRun = await runTool(load.command, load.args, { env, timeoutMs: timeoutMs - 5000 });
  } finally {
    // The worker only: leakhunt's watchdog shell is its child too, and without it a worker left
    // behind by a timed-out test would outlive the test.
    for (const pid of childrenOf(leakhuntPid).filter((child) => !isWatchdog(child))) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // gone already
      }
    }
  }
  // A worker can hang in its own warm shutdown (Celery's main process has, in a logging lock):
  // then stop it as a user would, with TERM to leakhunt, which kills the tree after its grace.
  const stopper = setTimeout(() => {
    try {
      if (leakhuntPid !== undefined) process.kill(leakhuntPid, 'SIGTERM');
    } catch {
      // gone already
    }
  }, WARM_SHUTDOWN_MS);
  try {
    return { leakhunt: await watched, load: loadRun };
  } finally {
    clearTimeout(stopper);
  }
}

/** How long a worker's warm shutdown may take before the helper stops leakhunt itself. */
const WARM_SHUTDOWN_MS = 15_000;

/** leakhunt's watchdog: `/bin/sh -c <script> leakhunt-watchdog <grace>`. */
function isWatchdog(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('leakhunt-watchdog');
  } catch {
    return false;
  }
}

/** The direct children of a process (the worker leakhunt started), from /proc. */
function childrenOf(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
