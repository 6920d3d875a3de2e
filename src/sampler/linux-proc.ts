// The Linux backend: reads /proc directly and synchronously, once per tick, without spawning.
import type { ProcessReading } from '../model.js';
import { pageSize } from './page-size.js';
import { isGone, nodeProcFs, readOnce, type ProcFs } from './proc-fs.js';
import { decodeCommand, KB_FIELD, readKbField } from './proc-parse.js';
import { ProcTable, type ProcEntry } from './proc-table.js';
import { orderedMembers, settleMembership } from './tree.js';
import type { Sampler, SamplerOptions, TreeReading } from './types.js';

export interface LinuxProcOptions extends SamplerOptions {
  /** File access, replaceable to inject faults in tests. */
  fs?: ProcFs;
  /** Bytes per page for stat's rss; read from the kernel when not given. */
  pageSize?: number;
}

/** A Linux reading also says the process state (stat's letter): a zombie legitimately has 0 RSS. */
export type LinuxProcessReading = ProcessReading & { state: string };

/** Every /proc file read here (stat, status, smaps_rollup, the start of cmdline) fits in one read. */
const READ_BUFFER_BYTES = 16 * 1024;
const ZOMBIE = 'Z'.charCodeAt(0);
const EMPTY = Buffer.alloc(0);

/** This backend reads synchronously: its readings are available the moment they are asked for. */
export interface SyncSampler extends Sampler {
  read(): TreeReading;
}

export function createLinuxProcSampler(options: LinuxProcOptions): SyncSampler {
  return new LinuxProcSampler(options);
}

class LinuxProcSampler implements Sampler {
  readonly name = 'linux';
  private readonly buf = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  private readonly procRoot: string;
  private readonly fs: ProcFs;
  private readonly table: ProcTable;
  private readonly pageBytes: number;
  private readonly excludePid: number | undefined;
  private rootPid: number;
  private rootStartTime: number | null = null;
  /** The root's session, when it leads one (leakhunt starts workers with setsid). */
  private sessionId: number | null = null;
  private current: ProcEntry[] = [];

  constructor(private readonly options: LinuxProcOptions) {
    this.rootPid = options.rootPid;
    this.procRoot = options.procRoot ?? '/proc';
    this.fs = options.fs ?? nodeProcFs(this.procRoot);
    this.table = new ProcTable(this.fs, this.procRoot, this.buf);
    if (options.freshRoot) this.table.skipOlderThan(options.rootPid);
    this.pageBytes = options.pageSize ?? pageSize();
    // Watching an ancestor of leakhunt (`--pid $$`) must not measure leakhunt itself.
    this.excludePid = this.procRoot === '/proc' ? process.pid : undefined;
  }

  /**
   * Once the root is gone `processes` is empty (the contract), but the scan goes on: what is left
   * of the tree comes back as `orphans`, and members() lists it for the runner to terminate.
   */
  read(): TreeReading {
    const { rootPid } = this;
    if (this.options.children) this.table.scan(performance.now());
    const root = this.options.children ? this.table.entries.get(rootPid) : this.table.refresh(rootPid);
    const rootAlive = root !== undefined && root !== null && (this.rootStartTime ?? root.startTime) === root.startTime;
    if (rootAlive && this.rootStartTime === null) {
      this.rootStartTime = root.startTime;
      this.sessionId = root.sid === rootPid ? rootPid : null;
    }
    if (this.options.children) {
      // A pid that outlived the root names some other process: the root rule no longer applies.
      const rules = { rootPid: rootAlive ? rootPid : -1, sessionId: this.sessionId, excludePid: this.excludePid };
      settleMembership(this.table.entries, rules);
      this.current = orderedMembers(this.table.entries.values(), rootPid);
    } else {
      if (rootAlive) root.membership = 'member';
      this.current = rootAlive ? [root] : [];
    }
    const { processes, vanished } = this.readCurrent();
    return rootAlive ? { processes, vanished } : { processes: [], vanished, orphans: processes };
  }

  /**
   * Reads every current member and drops those gone since the scan. Only a member never read
   * before is counted as vanished: it is in no sample of the run. One already recorded has simply
   * exited (the root at the end of every run, for one).
   */
  private readCurrent(): TreeReading {
    const processes: LinuxProcessReading[] = [];
    const survivors: ProcEntry[] = [];
    let vanished = 0;
    for (const member of this.current) {
      this.table.keepDescriptors(member);
      const reading = this.readMember(member);
      if (reading) {
        member.recorded = true;
        processes.push(reading);
        survivors.push(member);
      } else {
        if (!member.recorded) vanished++;
        this.table.drop(member);
      }
    }
    this.current = survivors;
    return { processes, vanished };
  }

  /**
   * Every known process is judged afresh against the new root, from what its last stat said: the
   * machine's other processes need not be read again (a fresh sampler reads every one of them).
   */
  retarget(rootPid: number): void {
    this.rootPid = rootPid;
    this.rootStartTime = null;
    this.sessionId = null;
    this.current = [];
    for (const entry of this.table.entries.values()) entry.membership = 'pending';
    settleMembership(this.table.entries, { rootPid, sessionId: null, excludePid: this.excludePid });
  }

  members(): Array<{ pid: number; startTime: number; pgid: number }> {
    return this.current.map(({ pid, startTime, pgid }) => ({ pid, startTime, pgid }));
  }

  isSame(pid: number, startTime: number): boolean {
    return this.table.isSame(pid, startTime);
  }

  close(): void {
    this.table.close();
    this.current = [];
  }

  /** Everything but stat, which the scan already read. Null when the process vanished meanwhile. */
  private readMember(entry: ProcEntry): LinuxProcessReading | null {
    const zombie = entry.state === ZOMBIE;
    const status = this.readFile(entry, 'status', entry.statusFd);
    if (status === 'gone') return null;
    // RSS, VMS and peak all from this one status read, so they describe the same instant (stat was
    // read earlier in the tick: a process caught mid-exec would pair its old size with its new RSS).
    // And status, not stat, for RSS: since Linux 6.2 stat's rss reads per-CPU batched counters without
    // summing them (measured on 6.18: off by up to 1.6 MB, and 0 for 12% of freshly forked processes).
    // Without Vm lines (a zombie) or without status, stat's figures.
    const found = status !== 'missing';
    const peakRssBytes = found ? readKbField(this.buf, status, KB_FIELD.peakRss) : null;
    const statusRss = found ? readKbField(this.buf, status, KB_FIELD.rss) : null;
    const statusVms = found ? readKbField(this.buf, status, KB_FIELD.vms) : null;
    // A zombie has closed every descriptor already; nothing to count.
    const fds = zombie ? 0 : this.countFds(entry);
    if (fds === 'gone') return null;
    const command = this.commandOf(entry, zombie);
    if (command === null) return null;
    const reading: LinuxProcessReading = {
      pid: entry.pid,
      ppid: entry.ppid,
      startTime: entry.startTime,
      command,
      rssBytes: statusRss ?? entry.rssPages * this.pageBytes,
      vmsBytes: statusVms ?? entry.vsizeBytes,
      peakRssBytes,
      fds,
      threads: entry.threads,
      state: String.fromCharCode(entry.state),
    };
    const { metric } = this.options;
    if (metric === 'pss' || metric === 'uss') {
      // A zombie has no memory map left: nothing to read.
      const smaps = zombie ? 'missing' : this.readFile(entry, 'smaps_rollup', this.table.smapsDescriptor(entry));
      if (smaps === 'gone') return null;
      const rollup = smaps !== 'missing';
      reading.pssBytes = rollup ? readKbField(this.buf, smaps, KB_FIELD.pss) : null;
      const clean = rollup ? readKbField(this.buf, smaps, KB_FIELD.privateClean) : null;
      const dirty = rollup ? readKbField(this.buf, smaps, KB_FIELD.privateDirty) : null;
      reading.ussBytes = clean === null || dirty === null ? null : clean + dirty;
    }
    return reading;
  }

  /**
   * argv, read once per exec. An empty cmdline is kept only for a zombie (it stays empty); for a live
   * process it is the instant inside exec before the new argv is in place, so comm stands in for this
   * reading and cmdline is read again next tick. Null when the process vanished.
   */
  private commandOf(entry: ProcEntry, zombie: boolean): string | null {
    if (entry.command !== null) return entry.command;
    const cmdline = this.readFile(entry, 'cmdline', -1);
    if (cmdline === 'gone') return null;
    if (typeof cmdline === 'number' && cmdline > 0) {
      entry.command = decodeCommand(this.buf, 0, cmdline);
      return entry.command;
    }
    const comm = decodeCommand(entry.comm ?? EMPTY, 0, entry.comm?.length ?? 0);
    if (zombie) entry.command = comm;
    return comm;
  }

  /**
   * Length read into the buffer; 'gone' when the process vanished; 'missing' when the file cannot be
   * read for any other reason (EACCES on another user's process, a file this kernel lacks, such as
   * smaps_rollup before 4.14): a missing figure is reported as null, never as 0.
   */
  private readFile(entry: ProcEntry, file: string, fd: number): number | 'gone' | 'missing' {
    try {
      return fd >= 0 ? this.fs.readAt(fd, this.buf) : readOnce(this.fs, `${entry.dir}/${file}`, this.buf);
    } catch (error) {
      return isGone(error) && !this.stillThere(entry) ? 'gone' : 'missing';
    }
  }

  private countFds(entry: ProcEntry): number | null | 'gone' {
    try {
      return this.fs.countEntries(`${entry.dir}/fd`);
    } catch (error) {
      return isGone(error) && !this.stillThere(entry) ? 'gone' : null;
    }
  }

  /** ENOENT or ESRCH on one file proves little (no such file here, a process turning zombie): ask stat. */
  private stillThere(entry: ProcEntry): boolean {
    return this.table.isSame(entry.pid, entry.startTime);
  }
}
