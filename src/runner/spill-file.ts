// A private scratch file for what a long run records but need not hold in memory: created in a
// private directory (mkdtemp: mode 0700, an unpredictable name), opened 'wx+' (a new file only,
// never one an attacker placed there) and unlinked at once with its directory, so the kernel frees it when leakhunt exits, however it exits
// (even SIGKILL), and no other process can find it.
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processHeapKeeper } from '../heap-keeper.js';

/** Closes the file of a store that a program dropped without closing it. */
const closer = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
});

/**
 * The descriptor of a new unlinked file, closed when `owner` is collected. Throws when the
 * directory refuses a file (read-only, full): callers then keep their data in memory. An owner
 * holds one spill file at a time.
 */
export function openSpillFile(owner: object, name: string, directory = tmpdir()): number {
  // The C library's mkdtemp picks the name (and retries while one is taken), and the directory is
  // private, so nothing in it was placed by anyone else: no node:crypto for random bytes, whose
  // loading cost every run ~10 ms of start-up.
  const dir = mkdtempSync(join(directory, `.leakhunt-${name}-${process.pid}-`));
  try {
    const path = join(dir, 'spill');
    const fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
    closer.register(owner, fd, owner);
    return fd;
  } finally {
    rmdirSync(dir);
  }
}

/**
 * Closes an owner's spill file now. The registry forgets it first: closed later, at collection,
 * its number could by then name another file.
 */
export function closeSpillFile(owner: object, fd: number): void {
  closer.unregister(owner);
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/** Read-back chunk: one line never spans more than a few of these. */
const READ_BYTES = 1024 * 1024;

/**
 * The JSON lines of a spill file, from its start up to `endByte` (the end of the last line known
 * to be whole) or to its end. A partial last line (a write cut by a full disk) is left out.
 */
export function* readJsonLines<T>(fd: number, endByte = Infinity): Generator<T> {
  const keeper = processHeapKeeper();
  // No larger than what there is to read: a run of 100 tasks spills ~30 KB, and a 1 MiB buffer
  // per pass, once freed, raised glibc's mmap threshold, so later blocks that size stayed in its
  // heap (an isolated compare's RSS ended 1.3–3.2 MiB higher instead of −0.1–0.8).
  let buffer = Buffer.allocUnsafe(Math.max(1, Math.min(READ_BYTES, endByte, fstatSync(fd).size)));
  let position = 0;
  while (position < endByte) {
    const read = readSync(fd, buffer, 0, Math.min(buffer.length, endByte - position), position);
    if (read === 0) return;
    // Decode up to the last whole line only, so no line (nor a multi-byte character) is cut;
    // the next read starts right after it.
    const lastNewline = buffer.lastIndexOf(0x0a, read - 1);
    if (lastNewline < 0) {
      // Only a partial last line is left: the rows before it are all.
      if (read < buffer.length) return;
      // One line longer than the buffer (a huge command line): read it again with room for it.
      buffer = Buffer.allocUnsafe(buffer.length * 2);
      continue;
    }
    position += lastNewline + 1;
    for (const line of buffer.toString('utf8', 0, lastNewline).split('\n')) yield JSON.parse(line) as T;
    // A pass over 10^6 rows parses ~200 MB of objects that die at once; the CLI's keeper collects
    // between chunks, before that garbage builds up (see heap-keeper.ts).
    keeper.checkpoint();
  }
}
