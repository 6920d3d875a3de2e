// The tree's total per sample, all that the detector and the peak need of a run, in typed arrays:
// 17 bytes a sample instead of a Snapshot object with its process list (a day at 1 s is 1.4 MiB).
import type { SampleEvent } from '../model.js';

const EVENTS: readonly SampleEvent[] = ['tick', 'start', 'exit', 'task-start', 'task-end'];
const INITIAL_CAPACITY = 1024;

/** A time series as the detector reads it. */
export interface TimeSeries {
  ms: number[];
  values: number[];
}

export class TreeTotals {
  private size = 0;
  private elapsed = new Float64Array(INITIAL_CAPACITY);
  private bytes = new Float64Array(INITIAL_CAPACITY);
  private counts = new Uint32Array(INITIAL_CAPACITY);
  private events = new Uint8Array(INITIAL_CAPACITY);

  get length(): number {
    return this.size;
  }

  push(elapsedMs: number, treeBytes: number, processCount: number, event: SampleEvent): void {
    if (this.size === this.elapsed.length) this.grow();
    this.elapsed[this.size] = elapsedMs;
    this.bytes[this.size] = treeBytes;
    this.counts[this.size] = processCount;
    this.events[this.size] = EVENTS.indexOf(event);
    this.size++;
  }

  /** The latest total, or null before the first sample. */
  lastBytes(): number | null {
    return this.size > 0 ? this.bytes[this.size - 1]! : null;
  }

  /**
   * The samples a verdict reads. `withProcesses` keeps only samples that saw a live process;
   * otherwise only the final exit sample of an empty tree is left out (the worker is gone, and
   * its 0 B would read as a drop). `from` skips the samples before that index.
   */
  series(keep: 'withProcesses' | 'allButEmptyExit', from = 0): TimeSeries {
    const ms: number[] = [];
    const values: number[] = [];
    const exit = EVENTS.indexOf('exit');
    for (let i = Math.max(0, from); i < this.size; i++) {
      const empty = this.counts[i] === 0;
      if (empty && (keep === 'withProcesses' || this.events[i] === exit)) continue;
      ms.push(this.elapsed[i]!);
      values.push(this.bytes[i]!);
    }
    return { ms, values };
  }

  /** The largest total over the samples that saw a process, or null when none did. */
  peakBytes(): number | null {
    let peak: number | null = null;
    for (let i = 0; i < this.size; i++) {
      if (this.counts[i] !== 0 && (peak === null || this.bytes[i]! > peak)) peak = this.bytes[i]!;
    }
    return peak;
  }

  private grow(): void {
    const capacity = this.elapsed.length * 2;
    const widen = <T extends Float64Array | Uint32Array | Uint8Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.elapsed = widen(this.elapsed, new Float64Array(capacity));
    this.bytes = widen(this.bytes, new Float64Array(capacity));
    this.counts = widen(this.counts, new Uint32Array(capacity));
    this.events = widen(this.events, new Uint8Array(capacity));
  }
}
