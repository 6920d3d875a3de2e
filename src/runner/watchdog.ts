// If leakhunt itself is SIGKILLed, nothing in Node runs, and the worker would live on as an
// orphan (Node cannot set PR_SET_PDEATHSIG). A tiny sh process holds the read end of a pipe
// whose write end only leakhunt has: when leakhunt dies by any means the kernel closes it,
// `read` sees EOF, and the watchdog kills the worker's process group. On a normal exit
// leakhunt writes "done" first and the watchdog leaves quietly.
// `kill -SIG "-pgid"` without `--`: dash (Debian's /bin/sh) rejects `--` as an illegal number,
// which silently left the whole tree running.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Watchdog {
  /** leakhunt is exiting normally: the watchdog leaves without touching anything. */
  release(): void;
}

const SCRIPT = [
  'read line',
  '[ "$line" = done ] && exit 0',
  'kill -TERM "-$1" 2>/dev/null',
  'sleep "$2"',
  'kill -KILL "-$1" 2>/dev/null',
  'exit 0',
].join('\n');

export function startWatchdog(pgid: number, graceSeconds: number): Watchdog {
  let child: ChildProcess | null = null;
  try {
    child = spawn('/bin/sh', ['-c', SCRIPT, 'leakhunt-watchdog', String(pgid), String(graceSeconds)], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    child.on('error', () => {});
    child.stdin?.on('error', () => {});
    child.unref();
    (child.stdin as unknown as { unref?: () => void })?.unref?.();
  } catch {
    child = null;
  }
  return {
    release() {
      if (!child?.stdin || child.stdin.destroyed) return;
      child.stdin.end('done\n');
    },
  };
}
