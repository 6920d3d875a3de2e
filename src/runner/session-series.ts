// What the sessions of one run share beyond the recorder and the channel (compare's isolated and
// recycle modes run a session per worker): one sampler, retargeted at each new worker, and one
// watchdog, held from the first worker to the last.
import { SamplerKeeper } from './sampler-keeper.js';
import { holdWatchdog } from './watchdog.js';

export class SessionSeries {
  readonly samplers = new SamplerKeeper();
  private readonly watchdog = holdWatchdog();

  close(): void {
    this.samplers.close();
    this.watchdog.release();
  }
}
