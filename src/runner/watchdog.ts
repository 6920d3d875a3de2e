// If leakhunt itself is SIGKILLed, nothing in Node runs, and the worker would live on as an
// orphan (Node cannot set PR_SET_PDEATHSIG). A tiny sh process holds the read end of a pipe
// whose write end only leakhunt has: when leakhunt dies by any means the kernel closes it,
// `read` sees EOF, and the watchdog kills every process group it guards. leakhunt tells it
// `+<pgid>` when a worker starts and `-<pgid>` when it is over; on a normal exit it writes "done"
// and the watchdog leaves without touching anything.
// One watchdog serves every session of the process: compare starts a worker per task, and a shell
// per worker cost a spawn (~4 ms of leakhunt's own time) per task. A run of many sessions holds it
// (holdWatchdog) so it lives from one worker to the next; once nothing is guarded or held it leaves,
// so neither the CLI nor an API caller's process is left with a child.
// `kill -SIG "-pgid"` without `--`: dash (Debian's /bin/sh) rejects `--` as an illegal number,
// which silently left the whole tree running. The script uses builtins only: no fork per line.
import { spawn, type ChildProcess } from 'node:child_process';

/** Guards one process group until release(). */
export interface Watchdog {
  /** The worker is over (or leakhunt is exiting normally): the group is no longer guarded. */
  release(): void;
}

const SCRIPT = [
  'groups=""',
  'while read line; do',
  '  case "$line" in',
  '    done) exit 0 ;;',
  '    +*) groups="$groups ${line#+}" ;;',
  '    -*) kept=""; for g in $groups; do [ "$g" = "${line#-}" ] || kept="$kept $g"; done; groups=$kept ;;',
  '  esac',
  'done',
  '[ -n "$groups" ] || exit 0',
  'for g in $groups; do kill -TERM "-$g" 2>/dev/null; done',
  'sleep "$1"',
  'for g in $groups; do kill -KILL "-$g" 2>/dev/null; done',
  'exit 0',
].join('\n');

/** Grace between the watchdog's TERM and its KILL. */
const GRACE_SECONDS = 1;

let shell: ChildProcess | null = null;
/** Groups guarded plus runs holding the watchdog: at 0 it leaves. */
let users = 0;

function send(line: string): void {
  if (!shell?.stdin || shell.stdin.destroyed) return;
  shell.stdin.write(`${line}\n`);
}

function startShell(): ChildProcess | null {
  try {
    const child = spawn('/bin/sh', ['-c', SCRIPT, 'leakhunt-watchdog', String(GRACE_SECONDS)], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    child.on('error', () => {});
    child.on('exit', () => {
      if (shell === child) shell = null;
    });
    child.stdin?.on('error', () => {});
    // Neither the shell nor its pipe keeps leakhunt's event loop alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void })?.unref?.();
    return child;
  } catch {
    return null;
  }
}

/** One more user; `onRelease` runs (once) before the count drops, and the last user out retires the shell. */
function use(onRelease: () => void): Watchdog {
  users++;
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      onRelease();
      if (--users === 0 && shell) {
        shell.stdin?.end('done\n');
        shell = null;
      }
    },
  };
}

/** Guard a worker's process group (its pid: workers are started with setsid) until release(). */
export function guardGroup(pgid: number): Watchdog {
  shell ??= startShell();
  send(`+${pgid}`);
  return use(() => send(`-${pgid}`));
}

/** Keep the watchdog between the sessions of one run, so each worker does not start a new one. */
export function holdWatchdog(): Watchdog {
  return use(() => {});
}
