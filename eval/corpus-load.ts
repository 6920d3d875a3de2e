// The competing load of a loaded corpus run: one busy-loop process per core, started before the
// runs and always stopped after them (also when the eval is interrupted).
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';

export class CpuLoad {
  private readonly spinners: ChildProcess[] = [];

  start(): number {
    for (let i = 0; i < availableParallelism(); i++) {
      this.spinners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    }
    process.once('exit', () => this.stop());
    return this.spinners.length;
  }

  stop(): void {
    for (const spinner of this.spinners.splice(0)) {
      if (spinner.exitCode === null && spinner.signalCode === null) spinner.kill('SIGKILL');
    }
  }
}
