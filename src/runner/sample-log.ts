// Where a recording keeps its sample rows: on disk, not in the heap. Each row held as an object
// cost ~570 B, so a 10-minute watch at 50 ms grew leakhunt by 12 MiB and a day at 1 s by far
// more. The log appends rows as JSON lines to an unlinked temp file (spill-file.ts). The durable
// record is the live CSV; this is the writers' read-back copy.
import { tmpdir } from 'node:os';
import type { Sample, SampleRows } from '../model.js';
import { writeFully } from '../write-fully.js';
import { openSpillFile, readJsonLines } from './spill-file.js';

/** A store the recorder appends to; writers read it as SampleRows. */
export interface SampleStore extends SampleRows {
  append(rows: readonly Sample[]): void;
  /** A plain array, for JSON.stringify of a result by a program that embeds leakhunt. */
  toJSON(): Sample[];
}

export class SpilledSamples implements SampleStore {
  private rows = 0;
  private readonly fd: number;

  /** Throws when the directory refuses a file (read-only, full); see createSampleStore. */
  constructor(directory = tmpdir()) {
    this.fd = openSpillFile(this, 'samples', directory);
  }

  get length(): number {
    return this.rows;
  }

  /**
   * One write(2) per call (per tick), never a buffer kept across ticks: text that lived for seconds
   * would outlive the young generation and pile up as old-space garbage until a full GC, which
   * reads as growth of leakhunt's own RSS.
   */
  append(rows: readonly Sample[]): void {
    if (rows.length === 0) return;
    let text = '';
    for (const row of rows) text += `${JSON.stringify(row)}\n`;
    writeFully(this.fd, text);
    this.rows += rows.length;
  }

  [Symbol.iterator](): Iterator<Sample> {
    return readJsonLines<Sample>(this.fd);
  }

  toJSON(): Sample[] {
    return [...this];
  }
}

/** Rows held in memory: where no temp file can be made, and for tests. */
export class MemorySamples implements SampleStore {
  private readonly rows: Sample[] = [];

  get length(): number {
    return this.rows.length;
  }

  append(rows: readonly Sample[]): void {
    for (const row of rows) this.rows.push(row);
  }

  [Symbol.iterator](): Iterator<Sample> {
    return this.rows[Symbol.iterator]();
  }

  toJSON(): Sample[] {
    return [...this.rows];
  }
}

/** A spilled log in the temp directory, or memory when the temp directory refuses a file. */
export function createSampleStore(directory = tmpdir()): SampleStore {
  try {
    return new SpilledSamples(directory);
  } catch {
    return new MemorySamples();
  }
}
