// The repeat deltas attribution keeps of each task type: every one while all types together hold
// no more than DELTA_BUDGET, and past that a uniform random sample of each type's, so its memory
// is bounded however long the run. Keeping them all cost 8 B a task, and the arrays' growth and
// the medians' copies made attribution ~60 MiB of a 10^6-task run's peak at the end.
import { mulberry32 } from '../seeded-random.js';
import { widened } from '../typed-arrays.js';

/**
 * Deltas kept over all types: 1 MiB. A run with no more repeats than this (a day of one task a
 * second is 86,400) keeps every one, and its medians are exact.
 */
export const DELTA_BUDGET = 131_072;

/**
 * A type keeps at least this many once the budget is shared out: its median then sits within a
 * few percentiles of the exact one. 1,000 task names (the recorder's cap) × 128 fit the budget;
 * beyond that many types, memory grows with the types, not the tasks.
 */
export const MIN_PER_TYPE = 128;

/** Fixed: the same run, read in the same order, keeps the same sample (a report rebuilt from its files says the same). */
const SEED = 0x5eed_de17;

/** One type's deltas: `values[0, length)` holds every delta offered, or a uniform sample of them. */
export interface DeltaSample {
  values: Float64Array;
  length: number;
  /** Deltas offered, kept or not: what the median's standard error and the shares count. */
  offered: number;
}

export class DeltaSampler {
  /** Most deltas one type keeps: the whole budget, halved each time the types together pass it. */
  private perType = DELTA_BUDGET;
  private kept = 0;
  private readonly random = mulberry32(SEED);
  private readonly samples: DeltaSample[] = [];

  /** A new type's (empty) sample. */
  open(): DeltaSample {
    const sample: DeltaSample = { values: new Float64Array(8), length: 0, offered: 0 };
    this.samples.push(sample);
    return sample;
  }

  add(sample: DeltaSample, delta: number): void {
    sample.offered++;
    if (sample.length < this.perType) {
      if (sample.length === sample.values.length) sample.values = widened(sample.values, Math.min(this.perType, 2 * sample.length));
      sample.values[sample.length++] = delta;
      if (++this.kept > DELTA_BUDGET) this.shrink();
      return;
    }
    // Reservoir sampling (Vitter's algorithm R): the n-th delta takes a random kept one's place
    // with probability length/n, which leaves every delta offered equally likely to be kept.
    const slot = Math.floor(this.random() * sample.offered);
    if (slot < sample.length) sample.values[slot] = delta;
  }

  private shrink(): void {
    while (this.kept > DELTA_BUDGET && this.perType > MIN_PER_TYPE) {
      this.perType /= 2;
      for (const sample of this.samples) if (sample.length > this.perType) this.thin(sample);
    }
  }

  /**
   * Keeps `perType` of a sample's values, chosen at random (a partial Fisher-Yates shuffle): a
   * uniform subset of a uniform sample is one too, so reservoir sampling can go on from it.
   */
  private thin(sample: DeltaSample): void {
    const { values } = sample;
    for (let i = 0; i < this.perType; i++) {
      const j = i + Math.floor(this.random() * (sample.length - i));
      const chosen = values[j]!;
      values[j] = values[i]!;
      values[i] = chosen;
    }
    this.kept -= sample.length - this.perType;
    sample.length = this.perType;
    sample.values = values.slice(0, this.perType);
  }
}

/** A sample's values as one view (reordered in place by whoever takes its median). */
export function keptDeltas(sample: DeltaSample): Float64Array {
  return sample.values.subarray(0, sample.length);
}
