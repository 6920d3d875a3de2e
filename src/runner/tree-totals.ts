// The tree's total per sample, all that the detector and the peak need of a run, in typed arrays:
// 21 bytes a sample instead of a Snapshot object with its process list.
//
// Stored in fixed-size chunks, and only the latest few in memory: older chunks are written to an
// unlinked temp file and read back when a verdict or the peak needs them. Held in memory, a day
// at 50 ms was 36 MiB, and even at 21 bytes a sample a watch's own RSS kept growing (1.5 MiB/h at
// 50 ms), which leakhunt's own detector reads as growth. With the spill, the totals hold
// RESIDENT_CHUNKS + 1 chunks (252 KiB) whatever the run's length, all of them allocated and
// touched at the start: made as they were first needed (at 0 s, 205 s and ~410 s of a watch at
// 50 ms) and filled a page at a time, they were 252 KiB of leakhunt's RSS arriving in steps over
// its first seven minutes, which its own detector reads as growth. A chunk's memory is reused when
// it is spilled, never freed and allocated again. Where the temp directory refuses a file, every
// chunk stays in memory, made as needed.
import { MinDecimator } from '../series/decimate.js';
import { readSync } from 'node:fs';
import type { SampleEvent } from '../model.js';
import { writeFully } from '../write-fully.js';
import { openSpillFile } from './spill-file.js';

const EVENTS: readonly SampleEvent[] = ['tick', 'start', 'exit', 'task-start', 'task-end'];
/** Samples per chunk: 84 KiB, under glibc's mmap threshold, 205 s of ticks at 50 ms. */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const OFFSET_MASK = CHUNK - 1;
/** elapsed (8) + bytes (8) + process count (4) + event (1). */
export const BYTES_PER_SAMPLE = 21;
const CHUNK_BYTES = CHUNK * BYTES_PER_SAMPLE;
/** Chunks kept in memory while spilling: the one being filled and the one before it. */
const RESIDENT_CHUNKS = 2;
const EXIT_EVENT = EVENTS.indexOf('exit');

/** A time series as the detector reads it. */
export interface TimeSeries {
  ms: Float64Array;
  values: Float64Array;
  /** The latest value, which a decimated series' last point (a group's minimum) may not be. */
  lastBytes: number | null;
}

/** One chunk's four columns, views into one buffer: written to and read from the file whole. */
class Chunk {
  readonly data = new Uint8Array(CHUNK_BYTES);
  readonly elapsed = new Float64Array(this.data.buffer, 0, CHUNK);
  readonly bytes = new Float64Array(this.data.buffer, CHUNK * 8, CHUNK);
  readonly counts = new Uint32Array(this.data.buffer, CHUNK * 16, CHUNK);
  readonly events = new Uint8Array(this.data.buffer, CHUNK * 20, CHUNK);
}

export interface TreeTotalsOptions {
  /** Where spilled chunks go: the temp directory by default; null keeps every chunk in memory. */
  spillDirectory?: string | null;
}

export class TreeTotals {
  private size = 0;
  /** The latest chunks, in order; chunk i is resident[i - spilled]. */
  private readonly resident: Chunk[] = [];
  /** Chunks 0 … spilled-1 are in the file, chunk i at offset i × CHUNK_BYTES. */
  private spilled = 0;
  /** The spill file, or -1 when none could be made. */
  private fd = -1;
  /** False without a file, or once a write failed: later chunks stay in memory. */
  private spilling = false;
  /** The spilled chunk read back last, so a pass over the samples reads each chunk once. */
  private readBack: { index: number; chunk: Chunk } | null = null;
  /** Chunks allocated at the start and not in use yet (spilling only). */
  private readonly spares: Chunk[] = [];

  constructor(options: TreeTotalsOptions = {}) {
    if (options.spillDirectory === null) return;
    try {
      this.fd = openSpillFile(this, 'totals', options.spillDirectory);
      this.spilling = true;
      for (let i = 0; i <= RESIDENT_CHUNKS; i++) this.spares.push(touchedChunk());
    } catch {
      // No temp file (read-only, full): the totals stay in memory, as small as they are.
    }
  }

  get length(): number {
    return this.size;
  }

  push(elapsedMs: number, treeBytes: number, processCount: number, event: SampleEvent): void {
    const offset = this.size & OFFSET_MASK;
    if (offset === 0) this.resident.push(this.freshChunk());
    const chunk = this.resident[this.resident.length - 1]!;
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
    return this.chunkOf(last).bytes[last & OFFSET_MASK]!;
  }

  /**
   * The samples a verdict reads. `withProcesses` keeps only samples that saw a live process;
   * otherwise only the final exit sample of an empty tree is left out (the worker is gone, and
   * its 0 B would read as a drop). `from` skips the samples before that index. Past `capacity`
   * samples, each point is the lowest of a group of consecutive ones (series/decimate.ts).
   */
  series(keep: 'withProcesses' | 'allButEmptyExit', from = 0, capacity = Infinity): TimeSeries {
    const start = Math.max(0, from);
    // Plain loops, no callback: the live verdict builds its series every few seconds, and a new
    // closure each time is optimised code that V8 compiles again after each full collection.
    if (this.size - start > capacity) {
      const kept = new MinDecimator(capacity);
      for (let i = start; i < this.size; i++) {
        const chunk = this.chunkOf(i);
        const offset = i & OFFSET_MASK;
        if (isKept(chunk, offset, keep)) kept.push(chunk.elapsed[offset]!, chunk.bytes[offset]!);
      }
      const { positions, values } = kept.view();
      return { ms: positions, values, lastBytes: kept.rawLength > 0 ? kept.lastValue : null };
    }
    // Sized once and trimmed by a view: grown by push, 2·10^6 samples left ~80 MiB of outgrown copies.
    const ms = new Float64Array(Math.max(0, this.size - start));
    const values = new Float64Array(ms.length);
    let count = 0;
    for (let i = start; i < this.size; i++) {
      const chunk = this.chunkOf(i);
      const offset = i & OFFSET_MASK;
      if (!isKept(chunk, offset, keep)) continue;
      ms[count] = chunk.elapsed[offset]!;
      values[count] = chunk.bytes[offset]!;
      count++;
    }
    return { ms: ms.subarray(0, count), values: values.subarray(0, count), lastBytes: count > 0 ? values[count - 1]! : null };
  }


  /** The largest total over the samples that saw a process, or null when none did. */
  peakBytes(): number | null {
    let peak: number | null = null;
    for (let i = 0; i < this.size; i++) {
      const chunk = this.chunkOf(i);
      const offset = i & OFFSET_MASK;
      if (chunk.counts[offset] !== 0 && (peak === null || chunk.bytes[offset]! > peak)) peak = chunk.bytes[offset]!;
    }
    return peak;
  }

  /** Bytes of samples held in memory: whole chunks, the read-back one included. */
  heldBytes(): number {
    return (this.resident.length + (this.readBack ? 1 : 0) + this.spares.length) * CHUNK_BYTES;
  }

  /**
   * The chunk the next samples go to. While spilling, once RESIDENT_CHUNKS are held the oldest is
   * written out and its memory reused. A failed write (disk full) stops the spill: that chunk and
   * the later ones stay in memory, and the ones already written are still read back.
   */
  private freshChunk(): Chunk {
    if (!this.spilling || this.resident.length < RESIDENT_CHUNKS) return this.spares.pop() ?? new Chunk();
    const oldest = this.resident[0]!;
    try {
      // Appended: chunk i lands at i × CHUNK_BYTES, as every earlier write was whole.
      writeFully(this.fd, oldest.data);
    } catch {
      this.spilling = false;
      return new Chunk();
    }
    this.resident.shift();
    this.spilled++;
    return oldest;
  }

  private chunkOf(sample: number): Chunk {
    const index = sample >>> CHUNK_BITS;
    if (index >= this.spilled) return this.resident[index - this.spilled]!;
    if (this.readBack?.index !== index) {
      const chunk = this.readBack?.chunk ?? this.spares.pop() ?? new Chunk();
      readFully(this.fd, chunk.data, index * CHUNK_BYTES);
      this.readBack = { index, chunk };
    }
    return this.readBack.chunk;
  }
}

/** Whether a chunk's sample belongs in a series (see TreeTotals.series). */
function isKept(chunk: Chunk, offset: number, keep: 'withProcesses' | 'allButEmptyExit'): boolean {
  if (chunk.counts[offset] !== 0) return true;
  return keep === 'allButEmptyExit' && chunk.events[offset] !== EXIT_EVENT;
}

/**
 * A chunk whose pages are resident now: a fresh buffer this size is its own mapping, whose pages
 * the kernel supplies only as they are first written.
 */
function touchedChunk(): Chunk {
  const chunk = new Chunk();
  chunk.data.fill(0);
  return chunk;
}

/** pread until `into` is full: the file offset, where the next chunk is appended, stays put. */
function readFully(fd: number, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.length) {
    const read = readSync(fd, into, done, into.length - done, position + done);
    if (read === 0) throw new Error('leakhunt: the spilled totals ended early');
    done += read;
  }
}
