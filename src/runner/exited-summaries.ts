// The summaries of processes that have exited, kept on disk rather than in the heap. A worker that
// forks a child a second meets 3,600 processes an hour; held in memory their summaries (~240 B
// each) grew leakhunt by 0.8 MiB/h, which leakhunt's own detector reads as growth. Appended as
// JSON lines to an unlinked temp file (spill-file.ts) and read back once, for the report.
//
// The file holds at most twice the ledger's cap: past that, the latest `keep` summaries are
// copied to a new file and the old one is closed, so a fork-heavy worker cannot fill the disk.
// Where the temp directory refuses a file, or a write fails, summaries stay in memory.
import { tmpdir } from 'node:os';
import type { ProcessSummary } from '../model.js';
import { writeFully } from '../write-fully.js';
import { closeSpillFile, openSpillFile, readJsonLines } from './spill-file.js';

/** A summary and its place in the order processes were first seen. */
export interface Numbered {
  seq: number;
  summary: ProcessSummary;
}

export class ExitedSummaries {
  /** Summaries handed in, ever (some may since have been compacted away). */
  total = 0;
  /** The spill file; -1 until the first summary comes, or when no file could be made. */
  private fd = -1;
  /** False once a file was refused or a write failed: from then on summaries are held in memory. */
  private spilling: boolean;
  /** Bytes of whole lines in the file: a write cut short leaves nothing past this counted. */
  private bytes = 0;
  private inFile = 0;
  /** Summaries that could not go to the file (no file, or a write failed): in memory, in order. */
  private readonly held: Numbered[] = [];

  /**
   * keep: how many of the latest summaries must survive a compaction (the ledger's cap).
   * directory: where the file goes; null keeps everything in memory.
   */
  constructor(private readonly keep: number, private readonly directory: string | null = tmpdir()) {
    // The file is made on the first summary: a run whose processes never exit needs none.
    this.spilling = directory !== null;
  }

  get length(): number {
    return this.inFile + this.held.length;
  }

  append(batch: readonly Numbered[]): void {
    if (batch.length === 0) return;
    this.total += batch.length;
    if (this.spilling && this.fd < 0) this.fd = this.openFile();
    if (this.spilling) {
      let text = '';
      for (const { seq, summary } of batch) text += `${JSON.stringify([seq, summary])}\n`;
      try {
        writeFully(this.fd, text);
        this.bytes += Buffer.byteLength(text);
        this.inFile += batch.length;
        if (this.inFile > 2 * this.keep) this.compact();
        return;
      } catch {
        // A full disk: what was written whole stays readable, the rest is held from here on.
        this.spilling = false;
      }
    }
    for (const numbered of batch) this.held.push(numbered);
    // Held in memory, the same bound as the file's.
    if (this.held.length > 2 * this.keep) this.held.splice(0, this.held.length - this.keep);
  }

  /** Every summary kept, in the order they were handed in. */
  all(): Numbered[] {
    const found: Numbered[] = [];
    if (this.fd >= 0) {
      for (const [seq, summary] of readJsonLines<[number, ProcessSummary]>(this.fd, this.bytes)) found.push({ seq, summary });
    }
    for (const numbered of this.held) found.push(numbered);
    return found;
  }

  /** Copies the latest `keep` summaries to a fresh file; the older ones are let go. */
  private compact(): void {
    const latest = this.all().slice(-this.keep);
    closeSpillFile(this, this.fd);
    this.fd = -1;
    this.bytes = 0;
    this.inFile = 0;
    const total = this.total;
    this.append(latest);
    this.total = total;
  }

  private openFile(): number {
    try {
      return openSpillFile(this, 'processes', this.directory!);
    } catch {
      this.spilling = false;
      return -1;
    }
  }
}
