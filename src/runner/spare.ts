// Isolation that costs little: while one worker runs its task, the next ones are already
// started and waiting on stdin, so a task never waits for a process to boot. One spare is not
// enough when booting takes longer than a worker's turn (a Node worker boots in ~50–300 ms; a task
// may take 10 ms), so the pool keeps ceil(boot time / turn) spares, at most MAX_SPARES; a turn is
// one task under isolated, N under recycle:N.
// Replacements are started once the taken worker has begun its task (replenish), not before its
// task line is written: a spawn costs the parent a few ms of CPU, which would otherwise sit
// between one task and the next.
import type { ChildProcess } from 'node:child_process';
import { startWorker, type WorkerSpec } from './spawn.js';
import { signalPid } from './terminate.js';
import { guardGroup, type Watchdog } from './watchdog.js';

/** More spares than this mostly compete with the running task for CPU. */
export const MAX_SPARES = 4;

/** A worker handed out by the pool, with when it was started (performance.now()). */
export interface TakenWorker {
  child: Promise<ChildProcess>;
  startedAtMs: number;
  /** Started ahead as a spare (false: started on the spot because none was waiting). */
  warm: boolean;
}

/**
 * A spare waiting for its turn. The watchdog guards its group meanwhile: if leakhunt is
 * SIGKILLed, a spare deaf to the end of its stdin would otherwise live on. The session that
 * takes it guards it from then on.
 */
interface Waiting extends TakenWorker {
  taken: boolean;
  guard: Watchdog | null;
}

export interface SparePool {
  /** A started worker: a spare, or a fresh one when none is waiting. */
  take(): TakenWorker;
  /** Start spares until `remaining` (processes still needed after the running one) or the depth is covered. */
  replenish(remaining: number): void;
  /** What the last worker cost: its boot (spawn → first task start) and its turn (the time of its tasks). */
  observe(bootMs: number, turnMs: number): void;
  /** Kill the spares that were not needed. */
  dispose(): void;
  /** The most spares kept at once (0 without spares). */
  readonly most: number;
}

/** Spares to keep: enough that one is booted by the time each worker's turn is over. */
export function spareDepth(bootMs: number, turnMs: number): number {
  if (!(bootMs > 0)) return 1;
  return Math.max(1, Math.min(MAX_SPARES, Math.ceil(bootMs / Math.max(turnMs, 1))));
}

export function createSparePool(spec: WorkerSpec, keepSpares: boolean): SparePool {
  const spares: Waiting[] = [];
  let depth = 1;
  let most = 0;
  const boot = (warm: boolean): Waiting => {
    const startedAtMs = performance.now();
    const child = startWorker(spec);
    const spare: Waiting = { child, startedAtMs, warm, taken: !warm, guard: null };
    child.then((started) => {
      // Workers start in a group of their own (setsid): the group is the pid.
      if (!spare.taken && started.pid) spare.guard = guardGroup(started.pid);
    }, () => {}); // a failed start is reported when taken
    return spare;
  };
  const handOut = (spare: Waiting): TakenWorker => {
    spare.taken = true;
    spare.guard?.release();
    spare.guard = null;
    return spare;
  };
  return {
    take() {
      return handOut(spares.shift() ?? boot(false));
    },
    replenish(remaining) {
      const wanted = keepSpares ? Math.min(depth, remaining) : 0;
      while (spares.length < wanted) spares.push(boot(true));
      most = Math.max(most, spares.length);
    },
    observe(bootMs, turnMs) {
      depth = Math.max(depth, spareDepth(bootMs, turnMs));
    },
    get most() {
      return most;
    },
    dispose() {
      for (const spare of spares.splice(0)) {
        spare.taken = true;
        void spare.child.then((child) => {
          if (child.pid && child.exitCode === null) signalPid(-child.pid, 'SIGKILL');
          spare.guard?.release();
        }).catch(() => {});
      }
    },
  };
}
