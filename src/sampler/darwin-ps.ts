// The macOS backend: one `ps` per tick (async), the tree built from ppid. macOS has no /proc, and
// ps gives neither peak RSS, descriptors nor threads: those are reported missing (null).
import { execFile, execFileSync } from 'node:child_process';
import { partialReading } from './reading.js';
import type { ProcessReading } from '../model.js';
import { parsePsOutput, parsePsStart, PS_ARGS, PS_ENV_OVERRIDES, psStartArgs, type PsRow } from './darwin-ps-parse.js';
import { orderedMembers, settleMembership, type TreeNode } from './tree.js';
import type { Sampler, SamplerOptions, TreeReading } from './types.js';

/** Runs ps: async per tick, sync for the rare isSame check before a signal. */
export interface PsRunner {
  /** stdout of ps, and the pid of that ps process (it lists itself; it is never a member). */
  list(args: string[]): { output: Promise<string>; pid: number | undefined };
  once(args: string[]): string;
}

export interface DarwinPsOptions extends SamplerOptions {
  ps?: PsRunner;
}

/**
 * ps of every process takes about 15 ms; after 10 s it hangs (a stuck NFS mount in an argv lookup):
 * it is killed, and the ticks that waited on it report their figures missing.
 */
const PS_TIMEOUT_MS = 10_000;
/** ps -A -ww of a busy machine with long command lines stays far below this. */
const PS_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export const execPs: PsRunner = {
  list(args) {
    let child: ReturnType<typeof execFile> | undefined;
    const output = new Promise<string>((resolve, reject) => {
      child = execFile('ps', args, psOptions(), (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });
    return { output, pid: child?.pid };
  },
  once: (args) => execFileSync('ps', args, { ...psOptions(), stdio: ['ignore', 'pipe', 'ignore'] }),
};

function psOptions() {
  return {
    encoding: 'utf8' as const,
    env: { ...process.env, ...PS_ENV_OVERRIDES },
    timeout: PS_TIMEOUT_MS,
    maxBuffer: PS_MAX_OUTPUT_BYTES,
  };
}

export function createDarwinPsSampler(options: DarwinPsOptions): Sampler {
  return new DarwinPsSampler(options);
}

type PsNode = TreeNode & { row: PsRow };

class DarwinPsSampler implements Sampler {
  readonly name = 'darwin';
  private readonly ps: PsRunner;
  private rootStartTime: number | null = null;
  private rootAlive = false;
  /** The members of the last reading by pid: they stay members while alive (same start time). */
  private memberRows = new Map<number, PsRow>();
  private inFlight: Promise<TreeReading> | null = null;

  constructor(private readonly options: DarwinPsOptions) {
    this.ps = options.ps ?? execPs;
  }

  /** Ticks faster than ps share the call in flight instead of piling up ps processes. */
  read(): Promise<TreeReading> {
    this.inFlight ??= this.readOnce().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  members(): Array<{ pid: number; startTime: number; pgid: number }> {
    return [...this.memberRows.values()].map(({ pid, startTime, pgid }) => ({ pid, startTime, pgid }));
  }

  isSame(pid: number, startTime: number): boolean {
    try {
      return parsePsStart(this.ps.once(psStartArgs(pid))) === startTime;
    } catch {
      return false; // ps exits 1 when the pid is gone
    }
  }

  close(): void {
    this.memberRows.clear();
  }

  /**
   * A failed ps (EAGAIN at the process limit, a timeout) must not end the run nor read as "the
   * worker is gone": the members last seen are reported with every figure missing.
   */
  private async readOnce(): Promise<TreeReading> {
    let rows: PsRow[];
    let psPid: number | undefined;
    try {
      const call = this.ps.list(PS_ARGS);
      psPid = call.pid;
      rows = parsePsOutput(await call.output);
    } catch {
      const last = this.rootAlive ? [...this.memberRows.values()] : [];
      return { processes: last.map((row) => ({ ...this.toReading(row), rssBytes: null, vmsBytes: null })), vanished: 0 };
    }
    return this.fromRows(rows, psPid);
  }

  private fromRows(rows: PsRow[], psPid: number | undefined): TreeReading {
    const nodes = new Map<number, PsNode>();
    for (const row of rows) {
      if (row.pid === psPid) continue; // ps lists itself
      const remembered = this.memberRows.get(row.pid)?.startTime === row.startTime;
      const { pid, ppid, startTime } = row;
      nodes.set(pid, { pid, ppid, startTime, sid: null, row, membership: remembered ? 'member' : 'pending' });
    }
    const { rootPid } = this.options;
    const root = nodes.get(rootPid);
    this.rootAlive = root !== undefined && (this.rootStartTime ?? root.startTime) === root.startTime;
    if (this.rootAlive) this.rootStartTime ??= root!.startTime;
    let members: PsNode[];
    if (this.options.children) {
      // A pid that outlived the root names some other process: the root rule no longer applies.
      settleMembership(nodes, { rootPid: this.rootAlive ? rootPid : -1, sessionId: null, excludePid: process.pid });
      members = orderedMembers(nodes.values(), rootPid);
    } else {
      members = this.rootAlive ? [root!] : [];
    }
    this.memberRows = new Map(members.map((node) => [node.pid, node.row]));
    const processes = members.map((node) => this.toReading(node.row));
    return this.rootAlive ? { processes, vanished: 0 } : { processes: [], vanished: 0, orphans: processes };
  }

  private toReading(row: PsRow): ProcessReading {
    return partialReading({
      pid: row.pid,
      ppid: row.ppid,
      startTime: row.startTime,
      command: row.command,
      rssBytes: row.rssBytes,
      vmsBytes: row.vmsBytes,
    }, this.options.metric);
  }
}
