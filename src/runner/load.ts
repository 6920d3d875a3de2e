// The load command of --load: started once the worker is up, it fills the worker's queue; when it
// exits the run ends. It runs without a shell in its own process group (so leakhunt can end all
// of it if the worker goes first), its output passes through, and the tail of its stderr is kept
// to say why it failed.
import type { ChildProcess } from 'node:child_process';
import type { LoadResult } from '../model.js';
import { SpawnError } from '../errors.js';
import { startWorker } from './spawn.js';
import { delay, signalPid } from './terminate.js';

export interface LoadSpec {
  command: string[];
  env: NodeJS.ProcessEnv;
}

/** Stderr kept to find the last line: a line longer than this is cut to its end. */
const STDERR_TAIL_BYTES = 4096;
/** The last line is a label in a summary, not a log. */
const LAST_LINE_CHARS = 300;
/** After the load exited, how long its stderr may take to close. */
const STDERR_CLOSE_WAIT_MS = 1000;

export interface LoadHandle {
  /** Ends the load if it still runs (TERM to its group, KILL after graceMs) and tells how it ended. */
  finish(graceMs: number): Promise<LoadResult>;
}

/**
 * Start the load now; `onEnd` is called once, when it exits or cannot start (the run ends either
 * way). Elapsed times are measured from `originMs` (performance.now() at the run's start).
 */
export function driveLoad(spec: LoadSpec, originMs: number, onEnd: () => void): LoadHandle {
  const startMs = performance.now() - originMs;
  let child: ChildProcess | null = null;
  let startError: SpawnError | null = null;
  let stopped = false;
  let tail = Buffer.alloc(0);
  let endMs: number | null = null;
  let exit: LoadResult['exit'] | null = null;

  const exited = new Promise<void>((resolve) => {
    startWorker({ command: spec.command[0]!, args: spec.command.slice(1), env: spec.env, stdin: 'ignore', output: 'pipe' })
      .then((started) => {
        child = started;
        started.stdout!.pipe(process.stdout, { end: false });
        started.stderr!.on('data', (chunk: Buffer) => {
          process.stderr.write(chunk);
          tail = Buffer.concat([tail, chunk]);
          if (tail.length > STDERR_TAIL_BYTES) tail = tail.subarray(tail.length - STDERR_TAIL_BYTES);
        });
        started.once('exit', (code, signal) => {
          endMs = performance.now() - originMs;
          exit = { code, signal };
          // Its last stderr bytes may still be in the pipe; a backgrounded grandchild holding
          // the pipe open must not hold the run, though.
          const timer = setTimeout(resolve, STDERR_CLOSE_WAIT_MS);
          started.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      })
      .catch((error: unknown) => {
        startError = error instanceof SpawnError
          ? error
          : new SpawnError(`${spec.command[0]}: cannot start (${(error as Error).message})`, 126, { cause: error });
        endMs = startMs;
        resolve();
      });
  }).then(onEnd);

  return {
    async finish(graceMs) {
      if (exit === null && startError === null) {
        // Still starting or running: the worker went first.
        await waitForStart(() => child !== null || startError !== null);
        if (child) {
          stopped = true;
          await endGroup(child, exited, graceMs);
        }
      }
      await exited;
      const result: LoadResult = {
        command: spec.command,
        exit: startError ? { code: (startError as SpawnError).exitCode, signal: null, startError: (startError as SpawnError).message } : exit!,
        startMs: round(startMs),
        endMs: endMs === null ? null : round(endMs),
      };
      const line = lastLine(tail);
      if (line) result.stderrTail = line;
      if (stopped) result.stopped = true;
      return result;
    },
  };
}

async function waitForStart(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready() && waited < 5000; waited += 10) await delay(10);
}

async function endGroup(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  const pgid = child.pid!;
  signalPid(-pgid, 'SIGTERM');
  const timer = setTimeout(() => signalPid(-pgid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // Whatever of its group outlived it (a backgrounded helper) goes too.
  signalPid(-pgid, 'SIGKILL');
}

function lastLine(tail: Buffer): string | null {
  const lines = tail.toString('utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const line = lines.at(-1);
  if (line === undefined) return null;
  // eslint-disable-next-line no-control-regex
  const clean = line.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean.length > LAST_LINE_CHARS ? `…${clean.slice(-LAST_LINE_CHARS)}` : clean;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
