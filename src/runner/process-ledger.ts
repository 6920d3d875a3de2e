// One summary per process of the tree, keyed by (pid, start time) so a reused pid is a new
// process. Bounded: a worker that forks a child a second meets 86,400 processes a day, and a
// summary each would grow leakhunt by ~35 MiB. Past the cap the oldest exited summary makes room
// (every live process keeps its own, so leftovers can still be named), and the drop is counted.
import type { ProcessReading, ProcessSummary } from '../model.js';

/** Summaries kept; far above any tree alive at once, and 2,000-child bursts still list in full. */
export const MAX_PROCESS_SUMMARIES = 5000;
/**
 * Distinct command lines shared between summaries. A worker that forks its children with the same
 * command line then holds that text once, not once per child (~100 B each, a third of a summary).
 */
const MAX_SHARED_COMMANDS = 1024;

export class ProcessLedger {
  /** Exited processes whose summaries were dropped to stay under the cap. */
  omitted = 0;
  private readonly byKey = new Map<string, ProcessSummary>();
  private readonly commands = new Map<string, string>();

  constructor(private readonly cap = MAX_PROCESS_SUMMARIES) {}

  /** Folds one sample's live processes (zombies already left out) into their summaries. */
  observe(processes: readonly ProcessReading[], at: number): void {
    const fresh: ProcessReading[] = [];
    for (const proc of processes) {
      const summary = this.byKey.get(keyOf(proc));
      if (summary) update(summary, proc, at);
      else fresh.push(proc);
    }
    // Every live process known so far now carries this sample's time, so anything older has exited.
    for (const proc of fresh) this.add(proc, at);
  }

  list(): ProcessSummary[] {
    return [...this.byKey.values()];
  }

  /**
   * Flags the processes still alive after the worker exited. One no sample caught while the worker
   * lived (forked just before it exited) gets its summary from `orphans`, the tree read at the end.
   */
  markLeftovers(keys: ReadonlyArray<{ pid: number; startTime: number }>, orphans: readonly ProcessReading[] = [], at = 0): ProcessSummary[] {
    const found: ProcessSummary[] = [];
    for (const key of keys) {
      let summary = this.byKey.get(keyOf(key));
      const orphan = summary ? undefined : orphans.find((proc) => keyOf(proc) === keyOf(key));
      if (orphan) summary = this.add(orphan, at);
      if (summary) {
        summary.leftover = true;
        found.push(summary);
      }
    }
    return found;
  }

  private add(proc: ProcessReading, at: number): ProcessSummary {
    if (this.byKey.size >= this.cap) this.dropOldestExited(at);
    const summary: ProcessSummary = {
      pid: proc.pid, ppid: proc.ppid, startTime: proc.startTime, command: this.shared(proc.command),
      firstMs: at, lastMs: at, firstRssBytes: proc.rssBytes, lastRssBytes: proc.rssBytes,
      peakRssBytes: proc.rssBytes, lastVmsBytes: proc.vmsBytes, growthBytes: 0, samples: 0,
    };
    this.byKey.set(keyOf(proc), summary);
    update(summary, proc, at);
    return summary;
  }

  private shared(command: string): string {
    const known = this.commands.get(command);
    if (known !== undefined) return known;
    if (this.commands.size < MAX_SHARED_COMMANDS) this.commands.set(command, command);
    return command;
  }

  /** Map order is insertion order: the first exited entry met is the oldest. None exited: the cap bends. */
  private dropOldestExited(at: number): void {
    for (const [key, summary] of this.byKey) {
      if (summary.lastMs < at) {
        this.byKey.delete(key);
        this.omitted++;
        return;
      }
    }
  }
}

const keyOf = (proc: { pid: number; startTime: number }): string => `${proc.pid}:${proc.startTime}`;

function update(summary: ProcessSummary, proc: ProcessReading, at: number): void {
  summary.samples++;
  summary.lastMs = at;
  // Equal text keeps the shared string; only an exec (a new command line) replaces it.
  if (proc.command !== summary.command) summary.command = proc.command;
  summary.lastRssBytes = proc.rssBytes;
  summary.lastVmsBytes = proc.vmsBytes;
  summary.firstRssBytes ??= proc.rssBytes;
  // The kernel's own high-water mark (VmHWM) catches peaks between samples.
  const peak = Math.max(summary.peakRssBytes ?? 0, proc.rssBytes ?? 0, proc.peakRssBytes ?? 0);
  summary.peakRssBytes = peak > 0 ? peak : summary.peakRssBytes;
  summary.growthBytes = summary.lastRssBytes !== null && summary.firstRssBytes !== null
    ? summary.lastRssBytes - summary.firstRssBytes
    : null;
}
