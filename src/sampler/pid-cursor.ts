// Which pids the kernel may have handed out since the previous scan. The kernel hands pids out
// upwards from a cursor and wraps at pid_max; /proc/loadavg shows the last one. A process listed in
// two scans with a pid outside that range is the same process: it need not be read again. And when
// no pid at all was handed out, listing /proc again would find nothing new: the scan can skip it.
import { join } from 'node:path';
import { readOnce, type ProcFs } from './proc-fs.js';
import { parseLastPid } from './proc-parse.js';

/**
 * Longest gap between scans for which the range is trusted. Within it the kernel would have to go
 * through the whole pid space (pid_max, 32768 by default) to reuse a pid unnoticed: 32,000+ forks a
 * second. After a longer gap, every process is read again.
 */
const TRUST_RANGE_FOR_MS = 1000;

/** Every pid handed out since the previous listing lies in the cyclic range (from, to]. */
export interface PidRange {
  from: number;
  to: number;
}

export class PidCursor {
  private lastPidBeforePrevious: number | null = null;
  private lastPidAfterPrevious: number | null = null;
  private lastPidBeforeThis: number | null = null;
  /** When the cursor was last read by a listing, or found unmoved: the chain of trust starts here. */
  private previousScanMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly fs: ProcFs,
    private readonly procRoot: string,
    private readonly buf: Buffer,
  ) {}

  /**
   * Call right before listing the processes. False when no pid was handed out from just before the
   * previous listing until now: that listing saw every process alive now (bar those that died since),
   * so a new listing would find nothing. A listing that a fork raced (the cursor moved while /proc
   * was read) is never trusted this way. Unmoved reads chain, each within TRUST_RANGE_FOR_MS of the
   * last, so no wrap through the whole pid space can hide between them.
   */
  needsListing(nowMs: number): boolean {
    const now = this.readLastPid();
    const unmoved =
      now !== null &&
      nowMs - this.previousScanMs <= TRUST_RANGE_FOR_MS &&
      now === this.lastPidBeforePrevious &&
      now === this.lastPidAfterPrevious;
    if (unmoved) {
      this.previousScanMs = nowMs;
      return false;
    }
    this.lastPidBeforeThis = now;
    return true;
  }

  /**
   * Call right after listing. A process born since the previous listing got a pid after the cursor
   * as it stood before that listing, and no later than the cursor now. Null: trust nothing (first
   * scan, a long gap, no loadavg as in a fake /proc).
   */
  afterListing(nowMs: number): PidRange | null {
    const from = this.lastPidBeforePrevious;
    const to = this.readLastPid();
    const trusted = nowMs - this.previousScanMs <= TRUST_RANGE_FOR_MS;
    this.lastPidBeforePrevious = this.lastPidBeforeThis;
    this.lastPidAfterPrevious = to;
    this.previousScanMs = nowMs;
    return trusted && from !== null && to !== null ? { from, to } : null;
  }

  /** The last pid handed out as the latest listing ended; null before any (or without loadavg). */
  lastPidListed(): number | null {
    return this.lastPidAfterPrevious;
  }

  private readLastPid(): number | null {
    try {
      return parseLastPid(this.buf, readOnce(this.fs, join(this.procRoot, 'loadavg'), this.buf));
    } catch {
      return null;
    }
  }
}

/** pid lies in the cyclic range (from, to]. */
export function allocatedBetween(pid: number, from: number, to: number): boolean {
  return from <= to ? pid > from && pid <= to : pid > from || pid <= to;
}
