// Where a recording keeps its sample rows: on disk, not in the heap. Each row held as an object
// cost ~570 B, so a 10-minute watch at 50 ms grew leakhunt by 12 MiB and a day at 1 s by far
// more. The log appends rows as JSON lines to an unlinked temp file (spill-file.ts). The durable
// record is the live CSV; this is the writers' read-back copy.
import { readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Sample, SampleRows } from '../model.js';
import { writeFully } from '../write-fully.js';
import { openSpillFile } from './spill-file.js';

/** A store the recorder appends to; writers read it as SampleRows. */
export interface SampleStore extends SampleRows {
  append(rows: readonly Sample[]): void;
  /** A plain array, for JSON.stringify of a result by a program that embeds leakhunt. */
  toJSON(): Sample[];
}

/** Read-back chunk: one line never spans more than a few of these. */
const READ_BYTES = 1024 * 1024;

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

  *[Symbol.iterator](): Iterator<Sample> {
    let buffer = Buffer.allocUnsafe(READ_BYTES);
    let position = 0;
    for (;;) {
      const read = readSync(this.fd, buffer, 0, buffer.length, position);
      if (read === 0) return;
      // Decode up to the last whole line only, so no line (nor a multi-byte character) is cut;
      // the next read starts right after it.
      const lastNewline = buffer.lastIndexOf(0x0a, read - 1);
      if (lastNewline < 0) {
        // Only a partial last line is left (a write cut by a full disk): the rows before it are all.
        if (read < buffer.length) return;
        // One line longer than the buffer (a huge command line): read it again with room for it.
        buffer = Buffer.allocUnsafe(buffer.length * 2);
        continue;
      }
      position += lastNewline + 1;
      for (const line of buffer.toString('utf8', 0, lastNewline).split('\n')) yield JSON.parse(line) as Sample;
    }
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
