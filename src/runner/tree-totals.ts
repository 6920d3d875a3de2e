// The tree's total per sample, all that the detector and the peak need of a run, in typed arrays:
// 21 bytes a sample instead of a Snapshot object with its process list (a day at 1 s is 1.7 MiB).
//
// Stored in fixed-size chunks, never in one array that doubles: doubling holds up to twice the
// samples, copies everything at each growth (a day at 50 ms would copy 36 MiB at once), and leaves
// the old array as a hole in the allocator's heap. A chunk is allocated once and kept, so
// leakhunt's own memory grows by one small step every CHUNK samples and by nothing else.
import type { SampleEvent } from '../model.js';

const EVENTS: readonly SampleEvent[] = ['tick', 'start', 'exit', 'task-start', 'task-end'];
/** Samples per chunk: 84 KiB, under glibc's mmap threshold, 205 s of ticks at 50 ms. */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const OFFSET_MASK = CHUNK - 1;

/** A time series as the detector reads it. */
export interface TimeSeries {
  ms: number[];
  values: number[];
}

class Chunk {
  readonly elapsed = new Float64Array(CHUNK);
  readonly bytes = new Float64Array(CHUNK);
  readonly counts = new Uint32Array(CHUNK);
  readonly events = new Uint8Array(CHUNK);
}

export class TreeTotals {
  private size = 0;
  private readonly chunks: Chunk[] = [];

  get length(): number {
    return this.size;
  }

  push(elapsedMs: number, treeBytes: number, processCount: number, event: SampleEvent): void {
    const offset = this.size & OFFSET_MASK;
    if (offset === 0) this.chunks.push(new Chunk());
    const chunk = this.chunks[this.chunks.length - 1]!;
    chunk.elapsed[offset] = elapsedMs;
    chunk.bytes[offset] = treeBytes;
    chunk.counts[offset] = processCount;
    chunk.events[offset] = EVENTS.indexOf(event);
    this.size++;
  }

  /** The latest total, or null before the first sample. */
  lastBytes(): number | null {
    if (this.size === 0) return null;
    const last = this.size - 1;
    return this.chunks[last >>> CHUNK_BITS]!.bytes[last & OFFSET_MASK]!;
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
      const chunk = this.chunks[i >>> CHUNK_BITS]!;
      const offset = i & OFFSET_MASK;
      const empty = chunk.counts[offset] === 0;
      if (empty && (keep === 'withProcesses' || chunk.events[offset] === exit)) continue;
      ms.push(chunk.elapsed[offset]!);
      values.push(chunk.bytes[offset]!);
    }
    return { ms, values };
  }

  /** The largest total over the samples that saw a process, or null when none did. */
  peakBytes(): number | null {
    let peak: number | null = null;
    for (let i = 0; i < this.size; i++) {
      const chunk = this.chunks[i >>> CHUNK_BITS]!;
      const offset = i & OFFSET_MASK;
      if (chunk.counts[offset] !== 0 && (peak === null || chunk.bytes[offset]! > peak)) peak = chunk.bytes[offset]!;
    }
    return peak;
  }

  /** Bytes the stored samples hold, whole chunks included. */
  heldBytes(): number {
    return this.chunks.length * CHUNK * BYTES_PER_SAMPLE;
  }
}

/** elapsed (8) + bytes (8) + process count (4) + event (1). */
export const BYTES_PER_SAMPLE = 21;
