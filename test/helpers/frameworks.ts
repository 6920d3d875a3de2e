// What the framework tests need besides Redis: Debian's Python with the framework's modules, a
// bounded run of a load script, and the skip notice when a component is missing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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
 * `leakhunt watch <args>` while a load script drives the worker through its broker; once the load
 * has finished (all its jobs done), leakhunt gets SIGTERM, which it relays to the worker, and the
 * run ends as it would for a user pressing Ctrl-C.
 */
export async function watchWhileLoading(args: string[], load: { command: string; args: string[] }, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<WatchedRun> {
  let leakhuntProcess: ChildProcess | null = null;
  const watched = leakhunt(args, { env, timeoutMs, onStart: (child) => (leakhuntProcess = child) });
  let loadRun: ToolRun;
  try {
    loadRun = await runTool(load.command, load.args, { env, timeoutMs: timeoutMs - 5000 });
  } finally {
    (leakhuntProcess as ChildProcess | null)?.kill('SIGTERM');
  }
  return { leakhunt: await watched, load: loadRun };
}
