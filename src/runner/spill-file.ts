// A private scratch file for what a long run records but need not hold in memory: created in the
// temp directory under an unpredictable name, opened 'wx+' (a new file only, never one an attacker
// placed there) and unlinked at once, so the kernel frees it when leakhunt exits, however it exits
// (even SIGKILL), and no other process can find it.
import { closeSync, openSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  const path = join(directory, `.leakhunt-${name}-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(path, 'wx+', 0o600);
  unlinkSync(path);
  closer.register(owner, fd, owner);
  return fd;
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
