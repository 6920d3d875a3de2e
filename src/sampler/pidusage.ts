// The portable fallback (Windows, the BSDs, anything without a dedicated backend), on the pidusage
// package. It gives RSS only: no VMS, peak, descriptors or threads (reported missing, never 0).
// It sees the root alone: pidusage cannot list children, and the only portable ways to find them
// (wmic on Windows, ps elsewhere) cost 20-200 ms a tick, so `children` is not honoured here.
import { createRequire } from 'node:module';
import { platform } from 'node:os';
import type PidusageModule from 'pidusage';
import { partialReading } from './reading.js';
import type { ProcessReading } from '../model.js';
import type { Sampler, SamplerOptions, TreeReading } from './types.js';

/**
 * pidusage derives the start time as now − elapsed, which jitters by a few milliseconds between
 * calls. Two readings within this tolerance are the same process; a reused pid starts later.
 */
const START_TIME_TOLERANCE_MS = 2000;

/**
 * Where pidusage reads /proc it keeps one descriptor per pid and closes it only when its own
 * 60-second expiry fires; clear() forgets those descriptors without closing them. There close()
 * leaves them to that expiry (its timer does not hold the process open).
 */
const READS_PROC = new Set(['linux', 'android', 'netbsd']);

// Loaded on first use: only platforms without a backend of their own need it, and the CLI's
// start-up should not pay for it everywhere else.
let loaded: typeof PidusageModule | undefined;
const pidusage = (): typeof PidusageModule => (loaded ??= createRequire(import.meta.url)('pidusage') as typeof PidusageModule);

export function createPidusageSampler(options: SamplerOptions): Sampler {
  return new PidusageSampler(options);
}

class PidusageSampler implements Sampler {
  readonly name = 'pidusage';
  private rootStartTime: number | null = null;
  private alive = false;
  private inFlight: Promise<TreeReading> | null = null;

  constructor(private readonly options: SamplerOptions) {}

  /** pidusage on Windows can take longer than a tick: concurrent ticks share one call. */
  read(): Promise<TreeReading> {
    this.inFlight ??= this.readOnce().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  members(): Array<{ pid: number; startTime: number }> {
    return this.alive ? [{ pid: this.options.rootPid, startTime: this.rootStartTime ?? 0 }] : [];
  }

  /**
   * Weaker than the other backends: the start time cannot be re-read synchronously here, so this
   * checks that the pid is alive and was the root when last read (a pid is reused only after the
   * old process died, which the next read notices).
   */
  isSame(pid: number, startTime: number): boolean {
    return pid === this.options.rootPid && startTime === (this.rootStartTime ?? 0) && this.alive && pidExists(pid);
  }

  close(): void {
    this.alive = false;
    if (!READS_PROC.has(platform())) pidusage().clear();
  }

  private async readOnce(): Promise<TreeReading> {
    const { rootPid } = this.options;
    let stat: PidusageModule.Status;
    try {
      stat = await pidusage()(rootPid);
    } catch {
      // Alive but unreadable (another user's process on some platforms): there, with RSS missing.
      this.alive = pidExists(rootPid);
      return { processes: this.alive ? [this.reading(null, null)] : [], vanished: 0 };
    }
    const startTime = stat.timestamp - stat.elapsed;
    if (this.rootStartTime !== null && Math.abs(startTime - this.rootStartTime) > START_TIME_TOLERANCE_MS) {
      this.alive = false; // the pid now names a newer process
      return { processes: [], vanished: 0 };
    }
    this.rootStartTime ??= startTime;
    this.alive = true;
    return { processes: [this.reading(stat.memory, stat.ppid)], vanished: 0 };
  }

  private reading(rssBytes: number | null, ppid: number | null): ProcessReading {
    return partialReading({
      pid: this.options.rootPid,
      ppid: ppid ?? 0,
      startTime: this.rootStartTime ?? 0,
      command: '',
      rssBytes,
      vmsBytes: null,
    }, this.options.metric);
  }
}

/** Signal 0 checks existence; EPERM means it exists but belongs to someone else. */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
