// Lockstep dispatch (DESIGN "Dispatch"): one task line on the worker's stdin, and the next only
// after that task's `end`, so the boundary sample sees an idle worker. stdin is closed after
// the last task, which is how the worker knows to exit. Only one line is ever queued, so a
// worker that never reads its stdin costs leakhunt nothing.
import type { Writable } from 'node:stream';
import type { TaskSpec } from '../protocol/tasks.js';

export interface Dispatcher {
  /** Call on every `end` boundary. */
  ended(task: string): void;
  /** How many tasks were written to the worker. */
  readonly sent: number;
  /** The task written last and not yet ended, if any. */
  readonly pending: string | null;
  readonly remaining: number;
  close(): void;
}

export function dispatchTasks(stdin: Writable, tasks: TaskSpec[]): Dispatcher {
  let next = 0;
  let pending: string | null = null;
  let closed = false;
  stdin.on('error', () => {
    // EPIPE: the worker exited or closed stdin; the session reports what never ran.
    closed = true;
  });
  const send = (): void => {
    if (closed) return;
    if (next >= tasks.length) {
      closed = true;
      pending = null;
      stdin.end();
      return;
    }
    const spec = tasks[next++]!;
    pending = spec.task;
    stdin.write(spec.line.endsWith('\n') ? spec.line : `${spec.line}\n`);
  };
  send();
  return {
    ended(task) {
      if (task !== pending) return; // a nested or foreign task (markTask inside a task)
      send();
    },
    get sent() {
      return next;
    },
    get pending() {
      return pending;
    },
    get remaining() {
      return tasks.length - next;
    },
    close() {
      if (!closed) {
        closed = true;
        stdin.end();
      }
    },
  };
}
