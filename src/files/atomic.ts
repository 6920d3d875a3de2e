// Writing report files safely: whole files appear at once (temp file + rename), live CSV loses at
// most the tick being written, and no output path is ever written through a symbolic link.
//
// Why refuse symlinks: an output path in a shared directory (/tmp) that someone replaced with a
// link to a victim file would otherwise make leakhunt overwrite the victim (CWE-377/59). rename()
// itself replaces a link rather than following it, so the refusal is about telling the user, not
// the only line of defence; openCsvStream relies on O_NOFOLLOW, which the kernel enforces.
import { closeSync, constants, fsyncSync, lstatSync, openSync, renameSync, statSync, unlinkSync, accessSync } from 'node:fs';
import type { randomBytes as RandomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { processHeapKeeper } from '../heap-keeper.js';
import { writeFully } from '../write-fully.js';
import type { FileData } from '../report/chunks.js';

export type { FileData } from '../report/chunks.js';

/**
 * Random hex from node:crypto, loaded on the first file written: loading it costs ~10 ms, which
 * every run paid at start-up, reports asked for or not.
 */
function randomHex(bytes: number): string {
  const { randomBytes } = createRequire(import.meta.url)('node:crypto') as { randomBytes: typeof RandomBytes };
  return randomBytes(bytes).toString('hex');
}

const symlinkMessage = (path: string): string => `${path} is a symbolic link; refusing to write through it`;

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`${path}: cannot check (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Checks an output path before the run starts, so a typo fails in a second, not after an hour. */
export function checkWritable(path: string): void {
  const existing = lstatOrNull(path);
  if (existing?.isSymbolicLink()) throw new UsageError(symlinkMessage(path));
  if (existing?.isDirectory()) throw new UsageError(`${path} is a directory; give a file name`);
  const directory = dirname(path);
  let info;
  try {
    info = statSync(directory);
  } catch {
    throw new UsageError(`${path}: directory ${directory} does not exist`);
  }
  if (!info.isDirectory()) throw new UsageError(`${path}: ${directory} is not a directory`);
  try {
    accessSync(directory, constants.W_OK);
    // The live CSV is truncated in place, so an existing file must be writable too.
    if (existing) accessSync(path, constants.W_OK);
  } catch {
    throw new UsageError(`${path}: not writable`);
  }
}

/** Makes the rename itself durable; best effort, some file systems refuse fsync on a directory. */
function syncDirectory(directory: string): void {
  try {
    const fd = openSync(directory, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // The data is already safe in the file; only the directory entry's durability is at stake.
  }
}

/**
 * Writes data to path all at once: readers see the old file or the new one, never half of one.
 * The temp file sits in the same directory (rename is atomic only within one file system) under a
 * name no one can predict (pid + random), created with 'wx' so it never follows or reuses a file.
 */
export function writeFileAtomic(path: string, data: FileData): void {
  if (lstatOrNull(path)?.isSymbolicLink()) throw new UsageError(symlinkMessage(path));
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomHex(6)}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o666);
  } catch (error) {
    throw new UsageError(`${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let closed = false;
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) writeFully(fd, data);
    else {
      const keeper = processHeapKeeper();
      for (const chunk of data) {
        writeFully(fd, chunk);
        // A report of 10^6 tasks makes its text as garbage, chunk after chunk: a quiet point.
        keeper.checkpoint();
      }
    }
    fsyncSync(fd);
    closeSync(fd);
    closed = true;
    renameSync(temp, path);
  } catch (error) {
    if (!closed) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // never created or already renamed
    }
    throw error;
  }
  syncDirectory(dirname(path));
}

/** A file that grows as the run goes, for the live CSV. */
export interface CsvStream {
  readonly path: string;
  /** Appends text with one write(2): a kill of leakhunt loses at most this chunk. */
  write(text: string): void;
  close(): void;
}

/** Creates or truncates path for appending; refuses a symbolic link (O_NOFOLLOW). */
export function openCsvStream(path: string): CsvStream {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o666);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UsageError(symlinkMessage(path));
    if (code === 'EISDIR') throw new UsageError(`${path} is a directory; give a file name`);
    throw new UsageError(`${path}: cannot write (${code ?? 'error'})`);
  }
  let open = true;
  return {
    path,
    write(text: string): void {
      if (open && text.length > 0) writeFully(fd, text);
    },
    close(): void {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
