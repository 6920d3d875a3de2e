// Where a recording keeps its rows (samples, finished tasks): on disk, not in the heap. Each
// sample row held as an object cost ~570 B, so a 10-minute watch at 50 ms grew leakhunt by 12 MiB
// and a day at 1 s by far more; each task record ~205 B, so 10^6 tasks held ~200 MiB live and
// peaked near 1 GiB. The store appends rows as JSON lines to an unlinked temp file
// (spill-file.ts). The durable record is the live CSV; this is the writers' read-back copy.
import { tmpdir } from 'node:os';
import { writeFully } from '../write-fully.js';
import { openSpillFile, readJsonLines } from './spill-file.js';

/** Rows a recorder appends to and writers read back by iterating (each pass reads them afresh). */
export interface RowStore<T> extends Iterable<T> {
  readonly length: number;
  append(rows: readonly T[]): void;
  /** A plain array, for JSON.stringify of a result by a program that embeds leakhunt. */
  toJSON(): T[];
}

export class SpilledRows<T> implements RowStore<T> {
  private rows = 0;
  private readonly fd: number;

  /** Throws when the directory refuses a file (read-only, full); see createRowStore. */
  constructor(name: string, directory = tmpdir()) {
    this.fd = openSpillFile(this, name, directory);
  }

  get length(): number {
    return this.rows;
  }

  /**
   * One write(2) per call (per tick, per task end), never a buffer kept across calls: text that
   * lived for seconds would outlive the young generation and pile up as old-space garbage until
   * a full GC, which reads as growth of leakhunt's own RSS.
   */
  append(rows: readonly T[]): void {
    if (rows.length === 0) return;
    let text = '';
    for (const row of rows) text += `${JSON.stringify(row)}\n`;
    writeFully(this.fd, text);
    this.rows += rows.length;
  }

  [Symbol.iterator](): Iterator<T> {
    return readJsonLines<T>(this.fd);
  }

  toJSON(): T[] {
    return [...this];
  }
}

/** Rows held in memory: where no temp file can be made, and for tests. */
export class MemoryRows<T> implements RowStore<T> {
  private readonly rows: T[] = [];

  get length(): number {
    return this.rows.length;
  }

  append(rows: readonly T[]): void {
    for (const row of rows) this.rows.push(row);
  }

  [Symbol.iterator](): Iterator<T> {
    return this.rows[Symbol.iterator]();
  }

  toJSON(): T[] {
    return [...this.rows];
  }
}

/** A spilled store in the temp directory, or memory when the temp directory refuses a file. */
export function createRowStore<T>(name: string, directory = tmpdir()): RowStore<T> {
  try {
    return new SpilledRows<T>(name, directory);
  } catch {
    return new MemoryRows<T>();
  }
}
