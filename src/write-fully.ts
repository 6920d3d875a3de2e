// One write(2) of a whole string or buffer, for the files written as the run goes (the live CSV,
// the spilled samples) and the reports.
//
// A string goes to writeSync as it is: Node encodes it into a scratch buffer that is freed at
// once. Buffer.from(text) per tick instead made a JS Buffer (from an 8 KiB pool slab) that
// lived long enough to be promoted, and its memory came back only at the next full GC: over a
// long watch that read as growth of leakhunt's own RSS.
import { writeSync } from 'node:fs';

/** Writes all of data at the file's offset; a short write (a full disk, a signal) is resumed. */
export function writeFully(fd: number, data: string | Uint8Array): void {
  if (typeof data === 'string') {
    const written = writeSync(fd, data);
    if (written === Buffer.byteLength(data)) return;
    data = Buffer.from(data).subarray(written);
  }
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}
