// Isolation that costs little: while one worker runs its task, the next ones are already
// started and waiting on stdin, so a task never waits for a process to boot. One spare is not
// enough when booting takes longer than a task (a Node worker boots in ~50–300 ms; a task may
// take 10 ms), so the pool keeps ceil(boot time / task time) spares, at most MAX_SPARES.
import type { ChildProcess } from 'node:child_process';
import { startWorker, type WorkerSpec } from './spawn.js';
import { signalPid } from './terminate.js';

/** More spares than this mostly compete with the running task for CPU. */
export const MAX_SPARES = 4;

export interface SparePool {
  /**
   * A started worker (a spare, or a fresh one), and spares begin booting for the tasks still
   * to come (remaining = processes that will be needed after this one).
   */
  take(remaining: number): Promise<ChildProcess>;
  /** What the last worker cost: its boot (spawn → first task start) and its task time. */
  observe(bootMs: number, taskMs: number): void;
  /** Kill the spares that were not needed. */
  dispose(): void;
  /** The most spares kept at once (0 without spares). */
  readonly most: number;
}

export function spareDepth(bootMs: number, taskMs: number): number {
  if (!(bootMs > 0)) return 1;
  return Math.max(1, Math.min(MAX_SPARES, Math.ceil(bootMs / Math.max(taskMs, 1))));
}

export function createSparePool(spec: WorkerSpec, keepSpares: boolean): SparePool {
  const spares: Array<Promise<ChildProcess>> = [];
  let depth = 1;
  let most = 0;
  const boot = (): Promise<ChildProcess> => {
    const started = startWorker(spec);
    started.catch(() => {}); // reported when taken
    return started;
  };
  return {
    async take(remaining) {
      const next = spares.shift() ?? boot();
      const wanted = keepSpares ? Math.min(depth, remaining) : 0;
      while (spares.length < wanted) spares.push(boot());
      most = Math.max(most, spares.length);
      return next;
    },
    observe(bootMs, taskMs) {
      depth = Math.max(depth, spareDepth(bootMs, taskMs));
    },
    get most() {
      return most;
    },
    dispose() {
      for (const spare of spares.splice(0)) {
        void spare.then((child) => {
          if (child.pid && child.exitCode === null) signalPid(-child.pid, 'SIGKILL');
        }).catch(() => {});
      }
    },
  };
}
