// LEAKHUNT_ISOLATE=fork for Node: each task runs in a fresh child process, so whatever the task
// loads or leaks is returned to the OS when the child exits and the parent stays small.
// Node cannot fork(2), so this is child_process.fork() of the same script with the same
// execArgv: every task pays a Node start-up plus the worker's own imports (measured 280 ms a
// task for a small worker on a busy 2-core machine, against 2 ms in-process; more for big apps)
// and, unlike a real fork, shares nothing with the parent.
import { fork } from 'node:child_process';
import { writeBoundary, warn, type WorkerTask } from './boundary.js';

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
  // The child asks when it is listening: a script may do async set-up before serveTasks, and
  // a message sent before anyone listens is lost.
  let sent = false;
  child.on('message', (message: unknown) => {
    if (sent || !isRecord(message) || message.leakhuntReady !== true) return;
    sent = true;
    child.send({ leakhuntTask: task } satisfies TaskMessage);
  });
  return new Promise((resolve) => {
    let settled = false;
    // leakhunt waits for every task's end before sending the next, so when the child could not
    // write it (killed by a signal, died before it took the task, never started) we do.
    const settle = (failure: string | null, metrics: Record<string, string>): void => {
      if (settled) return;
      settled = true;
      if (failure !== null) {
        warn(`task ${task.task} (${task.name}): ${failure}`);
        writeBoundary({ event: 'end', task: task.task, name: task.name, ok: false, metrics });
      }
      resolve();
    };
    child.once('error', (error) => settle(`could not start a child: ${error.message}`, { error: error.message }));
    child.once('exit', (code, signal) => {
      if (signal !== null) settle(`child ${child.pid} was killed by ${signal}`, { signal });
      else if (!sent) settle(`child ${child.pid} exited with ${code} before taking the task`, { exitCode: String(code) });
      else settle(null, {});
    });
  });
}

/** Child side: takes one task over IPC, runs it between boundaries, and exits. */
export function serveOneForkedTask(run: (task: WorkerTask) => Promise<boolean>): Promise<void> {
  return new Promise(() => {
    const onMessage = (message: unknown): void => {
      if (!isRecord(message) || !isRecord(message.leakhuntTask)) return;
      process.off('message', onMessage);
      const task = message.leakhuntTask as unknown as WorkerTask;
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
    process.send!({ leakhuntReady: true });
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
