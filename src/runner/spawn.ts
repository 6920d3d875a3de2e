// Start the worker without a shell, in its own session (setsid) so leakhunt can signal its
// whole process group and the terminal's Ctrl-C reaches leakhunt alone (which then forwards
// it exactly once). Start failures map to tini's codes: 127 not found, 126 not executable.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { SpawnError } from '../errors.js';

export interface WorkerSpec {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  stdin: 'inherit' | 'pipe' | 'ignore';
  /** 'pipe' when leakhunt must read the output (markers, a live status on a pipe). */
  output: 'inherit' | 'pipe';
  cwd?: string;
}

export function startWorker(spec: WorkerSpec): Promise<ChildProcess> {
  const stdio: StdioOptions = [spec.stdin, spec.output, spec.output];
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(spec.command, spec.args, {
        stdio,
        env: spec.env,
        cwd: spec.cwd,
        detached: true,
        shell: false,
      });
    } catch (error) {
      reject(toSpawnError(spec.command, error));
      return;
    }
    child.once('spawn', () => resolve(child));
    child.once('error', (error) => reject(toSpawnError(spec.command, error)));
  });
}

function toSpawnError(command: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new SpawnError(`${command}: command not found`, 127, { cause: error });
  if (code === 'EACCES' || code === 'EISDIR' || code === 'ENOEXEC' || code === 'EPERM') {
    return new SpawnError(`${command}: cannot execute (${code})`, 126, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
