// leakhunt's own native memory, held still. Over a long watch glibc's malloc lets leakhunt's RSS
// creep while the bytes it holds stay flat: V8's compiler zones and libuv's /proc listings churn
// through small and mid-sized blocks, glibc raises its mmap threshold on its own as blocks are
// freed, and from then on those blocks land in the main heap and the worker threads' arenas, whose
// free space gets touched bit by bit (main heap in use 3.19 → 3.20 MB while its RSS grew ~30 KiB a
// minute). Fixing the threshold at 16 KiB makes glibc map larger blocks and hand them back when
// freed: in 10-minute soaks side by side, leakhunt read `stable` at 0.7–0.9 MiB/h with it and
// `suspect` at 13.9 MiB/h without. One arena for every thread as well: each of V8's worker
// threads otherwise fills an arena of its own, and those four grew ~150 KiB over a soak's first
// minutes (smaps at minutes 1, 5 and 10), a step the detector could read as growth; the three
// soaks with one arena all read `stable`. glibc reads GLIBC_TUNABLES only at start-up, so the CLI sets it
// and re-executes itself in place (same pid), where Node has process.execve (22.15 and later).
// The worker must not inherit the tuning: watching a process must not change its allocator, so
// the caller's own GLIBC_TUNABLES is kept aside and given back to the worker.
import { readFileSync } from 'node:fs';

/** leakhunt's own tunables, appended after the caller's (the last one given wins). */
export const OWN_TUNABLES = 'glibc.malloc.mmap_threshold=16384:glibc.malloc.arena_max=1';
/** Set once leakhunt has re-executed itself with the tunable, so it never does twice. */
const TUNED = 'LEAKHUNT_ALLOCATOR_TUNED';
/** The caller's GLIBC_TUNABLES, present only when the caller had one (even an empty one). */
const CALLERS_TUNABLES = 'LEAKHUNT_CALLERS_GLIBC_TUNABLES';
/** The commands that run long enough for the creep to show. */
const LONG_RUNNING_COMMANDS = new Set(['watch', 'compare']);

/**
 * The environment to re-execute with, or null when there is nothing to do: already tuned, or the
 * caller chose an mmap threshold of their own (which is also how to opt out).
 */
export function tunedEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv | null {
  if (env[TUNED] !== undefined) return null;
  const callers = env.GLIBC_TUNABLES;
  if (callers?.includes('glibc.malloc.mmap_threshold=')) return null;
  const tuned: NodeJS.ProcessEnv = { ...env, [TUNED]: '1', GLIBC_TUNABLES: callers ? `${callers}:${OWN_TUNABLES}` : OWN_TUNABLES };
  if (callers !== undefined) tuned[CALLERS_TUNABLES] = callers;
  return tuned;
}

/** The environment as the caller gave it: what the worker inherits. A no-op when leakhunt did not tune itself. */
export function callersEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env[TUNED] === undefined) return env;
  const restored: NodeJS.ProcessEnv = { ...env };
  delete restored[TUNED];
  delete restored[CALLERS_TUNABLES];
  if (env[CALLERS_TUNABLES] === undefined) delete restored.GLIBC_TUNABLES;
  else restored.GLIBC_TUNABLES = env[CALLERS_TUNABLES];
  return restored;
}

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;

/** Node's process.execve (22.15 and later, not on Windows); undefined on older Node. */
export function processExecve(): Execve | undefined {
  return (process as { execve?: Execve }).execve?.bind(process);
}

/**
 * Re-executes this process with the tunable when it runs a long command on glibc and Node can
 * exec in place; otherwise returns and the CLI runs as it is. `args` are the CLI's arguments.
 */
export function tuneOwnAllocator(args: readonly string[]): void {
  const execve = processExecve();
  if (!execve || process.platform !== 'linux' || !LONG_RUNNING_COMMANDS.has(args[0] ?? '')) return;
  const env = tunedEnvironment(process.env);
  if (!env || !linkedToGlibc()) return;
  try {
    execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], env);
  } catch {
    // execve failed and this process is unchanged: run untuned rather than not at all.
  }
}

/** musl and other C libraries ignore GLIBC_TUNABLES: re-executing there would only cost a start-up. */
function linkedToGlibc(): boolean {
  try {
    return /\/libc\.so\.6$/m.test(readFileSync('/proc/self/maps', 'utf8'));
  } catch {
    return false;
  }
}
