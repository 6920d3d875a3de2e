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
// The shell also makes the boundary channel's FIFO (`fifo <path>`, answered `made` or `failed` on
// its stdout): Node has no mkfifo(), and a run that spawned `mkfifo` itself paid a fork of the whole
// Node process for it, on top of this shell's.
// `kill -SIG "-pgid"` without `--`: dash (Debian's /bin/sh) rejects `--` as an illegal number,
// which silently left the whole tree running. The script uses builtins only, but for mkfifo: no
// fork per line. It ignores SIGPIPE: an answer written after leakhunt died must not kill it before
// it kills the groups it guards.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** Guards one process group until release(). */
export interface Watchdog {
  /** The worker is over (or leakhunt is exiting normally): the group is no longer guarded. */
  release(): void;
}

const SCRIPT = [
  "trap '' PIPE",
  'groups=""',
  'while read -r line; do',
  '  case "$line" in',
  '    done) exit 0 ;;',
  '    "fifo "*) if mkfifo -m 600 "${line#fifo }" 2>/dev/null; then echo made; else echo failed; fi ;;',
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

interface Shell {
  child: ChildProcess;
  /** Answers awaited from this shell, in the order the requests were sent. */
  awaiting: Array<(answer: string | null) => void>;
}

let shell: Shell | null = null;
/** Groups guarded plus runs holding the watchdog: at 0 it leaves. */
let users = 0;

function send(line: string): void {
  const stdin = shell?.child.stdin;
  if (!stdin || stdin.destroyed) return;
  stdin.write(`${line}\n`);
}

/** Pipes to the shell must not keep leakhunt's event loop alive, but while an answer is due. */
type Handle = { ref?: () => void; unref?: () => void };
const unref = (pipe: Readable | Writable | null): void => (pipe as Handle | null)?.unref?.();
const ref = (pipe: Readable | Writable | null): void => (pipe as Handle | null)?.ref?.();

function startShell(): Shell | null {
  try {
    const child = spawn('/bin/sh', ['-c', SCRIPT, 'leakhunt-watchdog', String(GRACE_SECONDS)], {
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true,
    });
    const started: Shell = { child, awaiting: [] };
    const gone = (): void => {
      if (shell === started) shell = null;
      for (const answer of started.awaiting.splice(0)) answer(null);
    };
    child.on('error', gone);
    child.on('exit', gone);
    child.stdin?.on('error', () => {});
    child.stdout?.setEncoding('utf8');
    let partial = '';
    child.stdout?.on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      for (const line of lines) started.awaiting.shift()?.(line);
      if (started.awaiting.length === 0) unref(child.stdout);
    });
    child.unref();
    unref(child.stdin);
    unref(child.stdout);
    return started;
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
        shell.child.stdin?.end('done\n');
        shell = null;
      }
    },
  };
}

/**
 * Starts the shell ahead of its first use, so that it is up by the time the channel's FIFO is asked
 * of it: its start-up (an exec of /bin/sh) then overlaps leakhunt's own. A shell never used leaves
 * when leakhunt exits (its stdin closes), touching nothing.
 */
export function startWatchdogEarly(): void {
  shell ??= startShell();
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

/**
 * Makes a FIFO at `path` (mode 0600) through the watchdog's shell, and keeps the shell until the
 * returned hold is released: the worker the FIFO is for is then guarded by the same shell.
 */
export async function makeFifo(path: string): Promise<Watchdog> {
  if (path.includes('\n')) throw new Error(`mkfifo: a path with a line break: ${JSON.stringify(path)}`);
  const hold = holdWatchdog();
  shell ??= startShell();
  const asked = shell;
  const answer = await new Promise<string | null>((resolve) => {
    if (!asked?.child.stdin || asked.child.stdin.destroyed) return resolve(null);
    asked.awaiting.push(resolve);
    ref(asked.child.stdout);
    send(`fifo ${path}`);
  });
  if (answer !== 'made') {
    hold.release();
    throw new Error(answer === null ? 'the watchdog shell could not be started' : `mkfifo ${path} failed`);
  }
  return hold;
}
