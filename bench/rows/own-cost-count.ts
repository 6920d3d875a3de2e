// Counting the samples each tool took within a window, from what it wrote.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Enough of the file's end to hold a few complete sample rows. */
const TAIL_BYTES = 8192;

/** The sample number (seq, 2nd column) of the last complete row of leakhunt's live CSV; 0 before any. */
export function lastCsvSeq(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 0;
  }
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, TAIL_BYTES));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    const rows = buf.toString('utf8').split('\r\n');
    rows.pop(); // an incomplete last row, or the empty string after the final CRLF
    for (let i = rows.length - 1; i >= 0; i--) {
      const seq = Number(rows[i]!.split(',')[1]);
      if (Number.isInteger(seq)) return seq;
    }
    return 0;
  } finally {
    closeSync(fd);
  }
}

/** mprof's `MEM <MiB> <epoch seconds>` lines stamped within [from, to]. */
export function mprofSamples(text: string, from: number, to: number): number {
  let count = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('MEM ')) continue;
    const at = Number(line.split(' ')[2]);
    if (at >= from && at <= to) count++;
  }
  return count;
}

/** pidstat -h -H rows carry whole epoch seconds; one sample is one distinct second within (from, to]. */
export function pidstatSamples(text: string, from: number, to: number): number {
  const seconds = new Set<number>();
  for (const line of text.split('\n')) {
    const at = Number(line.trim().split(/\s+/)[0]);
    if (Number.isInteger(at) && at > from && at <= to) seconds.add(at);
  }
  return seconds.size;
}
