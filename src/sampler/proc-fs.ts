// The few file operations the Linux sampler needs, behind an interface so tests can inject the
// faults a real /proc produces (EACCES as a non-root user, a process gone between list and read).
import { closeSync, openSync, readdirSync, readSync, statSync, statfsSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export interface ProcFs {
  /** Entry names of a directory. */
  list(path: string): string[];
  open(path: string): number;
  /** Reads from offset 0 into buf (one read: /proc files are generated whole); returns the length. */
  readAt(fd: number, buf: Buffer): number;
  close(fd: number): void;
  /** How many entries a directory holds (used for /proc/<pid>/fd). */
  countEntries(path: string): number;
  /**
   * True on a real procfs, where a descriptor kept open on /proc/<pid>/stat answers ESRCH once that
   * process is gone, even if its pid was reused. Only then may descriptors be cached across ticks.
   */
  readonly keepsDescriptors: boolean;
}

/** statfs(2) f_type of procfs. */
const PROC_SUPER_MAGIC = 0x9fa0;

/** The real file system. On procfs under Linux 6.2+, stat() of /proc/<pid>/fd gives its entry count. */
export function nodeProcFs(procRoot: string): ProcFs {
  const isProcfs = detectProcfs(procRoot);
  // Before 6.2 the size is 0; a process always has its own descriptors open, so 0 means "unsupported".
  const sizeCountsEntries = isProcfs && sizeOf(join(procRoot, 'self', 'fd')) > 0;
  return {
    list: (path) => readdirSync(path),
    open: (path) => openSync(path, 'r'),
    readAt: (fd, buf) => readSync(fd, buf, 0, buf.length, 0),
    close: (fd) => closeSync(fd),
    countEntries: sizeCountsEntries ? countByStat() : (path) => readdirSync(path).length,
    keepsDescriptors: isProcfs,
  };
}

/**
 * stat(2)'s size of /proc/<pid>/fd, keeping the last Stats object alive. Every Stats a tick makes is
 * garbage by the next full collection, and with no Stats alive V8 frees the hidden classes it
 * built for them; the optimized code of statSync (and of every caller that inlined it) embeds
 * those classes, so each full collection threw that code away and the next ticks compiled it
 * again: ~6 compilations a minute in a watch, each leaving malloc arenas a little more fragmented.
 * One live Stats keeps its hidden classes, and the optimized code, alive (measured: 24 "weak
 * objects" deoptimizations in 20 s with a collection every 3 s, 0 with the Stats kept).
 */
function countByStat(): (path: string) => number {
  let kept: Stats | null = null;
  return (path) => {
    kept = statSync(path);
    return kept.size;
  };
}

function detectProcfs(procRoot: string): boolean {
  try {
    return statfsSync(procRoot).type === PROC_SUPER_MAGIC;
  } catch {
    return false;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Reads a whole small file into buf with open/read/close; returns the length. */
export function readOnce(fs: ProcFs, path: string, buf: Buffer): number {
  const fd = fs.open(path);
  try {
    return fs.readAt(fd, buf);
  } finally {
    fs.close(fd);
  }
}

const errorCode = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/** The process exited between being listed and being read. */
export const isGone = (error: unknown): boolean => {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ESRCH';
};

/** Another user's process (or hardened /proc): the figure is missing, not zero. */
export const isDenied = (error: unknown): boolean => {
  const code = errorCode(error);
  return code === 'EACCES' || code === 'EPERM';
};
