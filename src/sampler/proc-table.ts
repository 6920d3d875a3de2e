// Every process /proc lists, keyed by pid and checked against its start time on every read.
// One scan per tick: members are re-read through descriptors kept open on their stat files; other
// processes are re-read only when their pid may have been handed out since the last scan.
import { join } from 'node:path';
import { isGone, readOnce, type ProcFs } from './proc-fs.js';
import { allocatedBetween, PidCursor } from './pid-cursor.js';
import { newStatFields, parseStat } from './proc-parse.js';
import type { TreeNode } from './tree.js';

export interface ProcEntry extends TreeNode {
  /** "<procRoot>/<pid>", built once per process rather than joined on every tick. */
  dir: string;
  /** Character code of the stat state letter ('Z' = 90 for a zombie). */
  state: number;
  pgid: number;
  threads: number;
  vsizeBytes: number;
  rssPages: number;
  /** Descriptors kept open while the process is a member (-1: none). */
  statFd: number;
  statusFd: number;
  smapsFd: number;
  /** comm bytes and argv address as last read: a change of either means the process exec'd. */
  comm: Buffer | null;
  argStart: number;
  command: string | null;
  /** Number of the scan that last listed this pid. */
  listedIn: number;
  /** A reading of this process reached the run: from then on its exit is an ordinary one, not a vanishing. */
  recorded: boolean;
}

/**
 * Members whose stat and status (and smaps_rollup, when asked) stay open between ticks: a kept
 * descriptor reads in a third of the time of open+read+close. Past this many, members are read by
 * path, so a fork storm cannot exhaust the descriptor table.
 */
const MAX_MEMBERS_WITH_DESCRIPTORS = 256;

export class ProcTable {
  readonly entries = new Map<number, ProcEntry>();
  private readonly fields = newStatFields();
  private readonly cursor: PidCursor;
  private scanNumber = 0;
  private withDescriptors = 0;
  /** Reused by refreshKnown on every quiet tick. */
  private readonly known: ProcEntry[] = [];
  /** Set by skipOlderThan: the first listing reads only pids handed out after this one. */
  private firstListingAfter: number | null = null;

  constructor(
    private readonly fs: ProcFs,
    private readonly procRoot: string,
    private readonly buf: Buffer,
  ) {
    this.cursor = new PidCursor(fs, procRoot, buf);
  }

  /**
   * For a root started a moment ago: its first listing reads only the pids handed out since the
   * root's own, (rootPid - 1, last pid] on the kernel's cyclic cursor, where every descendant's pid
   * lies, since each was born after the root. That spares a start-up ~100 stat reads (~10 ms of cold
   * code on a quiet machine: the one full scan a short run made). The processes skipped are unknown
   * to the table, so the next listing, a tick later, reads them as it reads any newcomer.
   */
  skipOlderThan(rootPid: number): void {
    if (this.scanNumber === 0) this.firstListingAfter = rootPid - 1;
  }

  /**
   * Lists the processes and refreshes them. A member found gone here exited since the last tick,
   * whose reading it is in: an ordinary exit, not counted (linux-proc.ts counts the vanishings).
   */
  scan(nowMs: number): void {
    const scan = ++this.scanNumber;
    // No process born since the last listing: the members are re-read, strangers left as they are
    // (one that died is dropped by the next listing, before its pid can name anyone else).
    if (!this.cursor.needsListing(nowMs)) {
      this.refreshKnown(scan);
      return;
    }
    const names = this.fs.list(this.procRoot);
    const range = this.cursor.afterListing(nowMs);
    const after = this.firstListingAfter;
    this.firstListingAfter = null;
    const lastPid = this.cursor.lastPidListed();
    const since = after !== null && lastPid !== null ? { from: after, to: lastPid } : null;
    for (const name of names) {
      const first = name.charCodeAt(0);
      if (first < 0x30 || first > 0x39) continue;
      const pid = Number(name);
      if (since && !allocatedBetween(pid, since.from, since.to)) continue;
      const known = this.entries.get(pid);
      // A stranger whose pid was not handed out again is still the same stranger: skip its stat.
      if (known?.membership === 'stranger' && range && !allocatedBetween(pid, range.from, range.to)) {
        known.listedIn = scan;
        continue;
      }
      const entry = this.refresh(pid);
      if (!entry) continue;
      entry.listedIn = scan;
      if (entry.membership === 'stranger') entry.membership = 'pending';
    }
    for (const entry of this.entries.values()) if (entry.listedIn !== scan) this.drop(entry);
  }

  /** Re-reads every process that is not a stranger. */
  private refreshKnown(scan: number): void {
    // A copy: refresh() may replace an entry, which must not be visited again.
    const known = this.known;
    for (const entry of this.entries.values()) if (entry.membership !== 'stranger') known.push(entry);
    for (const { pid } of known) {
      const entry = this.refresh(pid);
      if (entry) entry.listedIn = scan;
    }
    known.length = 0;
  }

  /**
   * Re-reads one process's stat. A different start time means the pid now names another process:
   * the old entry is dropped and a fresh 'pending' one takes its place. Null when the process is gone.
   */
  refresh(pid: number): ProcEntry | null {
    const length = this.readStatInto(pid);
    let entry = this.entries.get(pid);
    if (length < 0) {
      if (entry) this.drop(entry);
      return null;
    }
    const fields = this.fields;
    if (!parseStat(this.buf, length, fields)) {
      if (entry) this.drop(entry);
      return null;
    }
    if (entry && entry.startTime !== fields.startTime) {
      this.drop(entry);
      entry = undefined;
    }
    if (!entry) {
      entry = newEntry(`${this.procRoot}/${pid}`, pid, fields.startTime);
      this.entries.set(pid, entry);
    }
    entry.ppid = fields.ppid;
    entry.pgid = fields.pgid;
    entry.sid = fields.sid;
    entry.state = fields.state;
    entry.threads = fields.threads;
    entry.vsizeBytes = fields.vsizeBytes;
    entry.rssPages = fields.rssPages;
    const commLength = fields.commEnd - fields.commStart;
    const comm = entry.comm;
    if (!comm || comm.length !== commLength || this.buf.compare(comm, 0, commLength, fields.commStart, fields.commEnd) !== 0) {
      entry.comm = Buffer.from(this.buf.subarray(fields.commStart, fields.commEnd));
      entry.command = null;
    }
    if (entry.argStart !== fields.argStart) {
      entry.argStart = fields.argStart;
      entry.command = null;
    }
    return entry;
  }

  /** Reads pid's stat into the buffer; -1 when the process is gone. */
  private readStatInto(pid: number): number {
    const entry = this.entries.get(pid);
    if (entry && entry.statFd >= 0) {
      try {
        return this.fs.readAt(entry.statFd, this.buf);
      } catch (error) {
        if (!isGone(error)) throw error;
        // The process behind the kept descriptor is gone; the pid may already name a newer one.
        this.drop(entry);
      }
    }
    try {
      return readOnce(this.fs, join(this.procRoot, String(pid), 'stat'), this.buf);
    } catch (error) {
      if (isGone(error)) return -1;
      throw error;
    }
  }

  /**
   * Whether pid still names the process that started at startTime. Start times tick at only 100 Hz,
   * so a pid reused within the same tick reads the same start time: what the table knows decides
   * first, and the start time read afresh only where it knows nothing better.
   */
  isSame(pid: number, startTime: number): boolean {
    const entry = this.entries.get(pid);
    if (entry && entry.startTime === startTime) {
      // The last scan found this pid outside the tree: a newer process took it within the same tick.
      if (entry.membership === 'stranger') return false;
      // A kept descriptor pins the very process: it answers ESRCH once that one is gone.
      if (entry.statFd >= 0) return this.stillOpen(entry);
    }
    return this.probeStartTime(pid) === startTime;
  }

  /**
   * The entry stays, descriptor and all, until the next scan replaces it: asked again, it answers
   * the same (dropped now, the next question would go by path and meet the newcomer).
   */
  private stillOpen(entry: ProcEntry): boolean {
    try {
      this.fs.readAt(entry.statFd, this.buf);
      return true;
    } catch (error) {
      return isGone(error) ? false : this.probeStartTime(entry.pid) === entry.startTime;
    }
  }

  /** The start time of pid read afresh (no kept descriptor), or null when it is gone. */
  private probeStartTime(pid: number): number | null {
    try {
      const length = readOnce(this.fs, join(this.procRoot, String(pid), 'stat'), this.buf);
      return parseStat(this.buf, length, this.fields) ? this.fields.startTime : null;
    } catch {
      return null;
    }
  }

  /** Opens a member's stat and status for the next ticks (procfs only, within the cap). */
  keepDescriptors(entry: ProcEntry): void {
    if (!this.fs.keepsDescriptors || entry.statFd >= 0) return;
    if (this.withDescriptors >= MAX_MEMBERS_WITH_DESCRIPTORS) return;
    try {
      entry.statFd = this.fs.open(`${entry.dir}/stat`);
      this.withDescriptors++;
      entry.statusFd = this.fs.open(`${entry.dir}/status`);
    } catch {
      // Gone or denied: read by path, which reports which.
      this.closeDescriptors(entry);
    }
  }

  /** A kept smaps_rollup descriptor for a member that keeps the others, or -1. */
  smapsDescriptor(entry: ProcEntry): number {
    if (entry.statFd >= 0 && entry.smapsFd < 0) {
      try {
        entry.smapsFd = this.fs.open(`${entry.dir}/smaps_rollup`);
      } catch {
        // read by path, which reports why
      }
    }
    return entry.smapsFd;
  }

  /** Forgets a process and closes its descriptors. */
  drop(entry: ProcEntry): void {
    this.closeDescriptors(entry);
    if (this.entries.get(entry.pid) === entry) this.entries.delete(entry.pid);
  }

  close(): void {
    for (const entry of this.entries.values()) this.drop(entry);
  }

  private closeDescriptors(entry: ProcEntry): void {
    if (entry.statFd >= 0) this.withDescriptors--;
    for (const fd of [entry.statFd, entry.statusFd, entry.smapsFd]) if (fd >= 0) this.closeQuietly(fd);
    entry.statFd = entry.statusFd = entry.smapsFd = -1;
  }

  private closeQuietly(fd: number): void {
    try {
      this.fs.close(fd);
    } catch {
      // already closed or never valid: nothing left to release
    }
  }
}

function newEntry(dir: string, pid: number, startTime: number): ProcEntry {
  return {
    dir, pid, ppid: 0, startTime, sid: null, membership: 'pending',
    state: 0, pgid: 0, threads: 0, vsizeBytes: 0, rssPages: 0,
    statFd: -1, statusFd: -1, smapsFd: -1, comm: null, argStart: 0, command: null, listedIn: 0, recorded: false,
  };
}
