// Isolation that costs little: while one worker runs its task, the next one is already
// started and waiting on stdin, so a task never waits for a process to boot.
import type { ChildProcess } from 'node:child_process';
import { startWorker, type WorkerSpec } from './spawn.js';
import { signalPid } from './terminate.js';

export interface SparePool {
  /** A started worker (the spare, or a fresh one); with moreAfter, the next spare begins booting. */
  take(moreAfter: boolean): Promise<ChildProcess>;
  /** Kill the spare that was not needed. */
  dispose(): void;
}

export function createSparePool(spec: WorkerSpec, keepSpare: boolean): SparePool {
  let spare: Promise<ChildProcess> | null = null;
  const boot = (): Promise<ChildProcess> => {
    const started = startWorker(spec);
    started.catch(() => {}); // reported when taken
    return started;
  };
  return {
    async take(moreAfter) {
      const next = spare ?? boot();
      spare = keepSpare && moreAfter ? boot() : null;
      return next;
    },
    dispose() {
      const last = spare;
      spare = null;
      void last?.then((child) => {
        if (child.pid && child.exitCode === null) signalPid(-child.pid, 'SIGKILL');
      }).catch(() => {});
    },
  };
}
