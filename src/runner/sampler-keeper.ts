// One sampler for a run of many sessions (compare's isolated and recycle modes start a worker per
// task or per N tasks). A fresh sampler reads the stat of every process on the machine at its first
// scan; one kept and retargeted at the next worker reads only the processes born since.
import type { Sampler, SamplerFactory, SamplerOptions } from '../sampler/types.js';

export class SamplerKeeper {
  private kept: Sampler | null = null;

  /** A sampler of options.rootPid's tree: the kept one, retargeted where its backend can, else a new one. */
  take(factory: SamplerFactory, options: SamplerOptions): Sampler {
    const kept = this.kept;
    this.kept = null;
    if (kept?.retarget) {
      kept.retarget(options.rootPid);
      return kept;
    }
    kept?.close();
    return factory(options);
  }

  /** The session is done with it: kept for the next one. */
  give(sampler: Sampler): void {
    if (this.kept && this.kept !== sampler) this.kept.close();
    this.kept = sampler;
  }

  close(): void {
    this.kept?.close();
    this.kept = null;
  }
}
