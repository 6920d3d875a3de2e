// LEAKHUNT_ISOLATE=fork for Node: each task runs in a fresh child process, so whatever the task
// loads or leaks is returned to the OS when the child exits and the parent stays small.
// Node cannot fork(2), so this is child_process.fork() of the same script with the same
// execArgv: every task pays a Node start-up plus the worker's own imports (tens of ms, more for
// big apps) and, unlike a real fork, shares nothing with the parent.
import { fork } from 'node:child_process';
import { writeBoundary, warn } from './boundary.js';
import type { WorkerTask } from './index.js';

interface TaskMessage {
  leakhuntTask: WorkerTask;
}

/** Parent side: runs one task in a fresh child and waits for it to exit. */
export function runTaskInChild(task: WorkerTask): Promise<void> {
  const script = process.argv[1];
  if (!script) throw new Error('LEAKHUNT_ISOLATE=fork needs a worker started from a script file');
  const child = fork(script, process.argv.slice(2), {
    execArgv: process.execArgv,
    env: { ...process.env, LEAKHUNT_FORK_CHILD: '1' },
    // The child does not read stdin: the parent owns the task stream.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send({ leakhuntTask: task } satisfies TaskMessage);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      warn(`task ${task.task} (${task.name}) could not start a child: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      // A child that exits normally has written its end boundary (see serveOneForkedTask); one
      // killed by a signal could not, and leakhunt waits for an end before the next task.
      if (signal !== null || code === null) {
        warn(`task ${task.task} (${task.name}) child ${child.pid} was killed by ${signal}`);
        writeBoundary({ event: 'end', task: task.task, name: task.name, ok: false, metrics: { signal: signal ?? 'unknown' } });
      }
      resolve();
    });
  });
}

/** Child side: takes one task over IPC, runs it between boundaries, and exits. */
export function serveOneForkedTask(run: (task: WorkerTask) => Promise<boolean>): Promise<void> {
  return new Promise(() => {
    const onMessage = (message: unknown): void => {
      if (typeof message !== 'object' || message === null || !('leakhuntTask' in message)) return;
      process.off('message', onMessage);
      const task = (message as TaskMessage).leakhuntTask;
      let ended = false;
      // The handler may call process.exit() itself or throw past us: still report the end.
      process.once('exit', () => {
        if (!ended) writeBoundary({ event: 'end', task: task.task, name: task.name, ok: false });
      });
      void run(task).then((ok) => {
        ended = true;
        process.exit(ok ? 0 : 1);
      });
    };
    process.on('message', onMessage);
  });
}
