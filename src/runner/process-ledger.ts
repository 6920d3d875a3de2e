// One summary per process of the tree, keyed by (pid, start time) so a reused pid is a new
// process. Only the processes seen lately are held in memory; a summary whose process has not been
// seen for RETIRE_AFTER_SAMPLES samples has exited and moves to disk (exited-summaries.ts), so a
// worker that forks a child a second no longer grows leakhunt with every child.
//
// The list is bounded: a day of one child a second is 86,400 processes. Past the cap the summaries
// of the processes that exited first are left out (every live process keeps its own, so leftovers
// can still be named), and the omission is counted.
import { tmpdir } from 'node:os';
import type { ProcessReading, ProcessSummary } from '../model.js';
import { ExitedSummaries, type Numbered } from './exited-summaries.js';

/** Summaries listed; far above any tree alive at once, and 2,000-child bursts still list in full. */
export const MAX_PROCESS_SUMMARIES = 5000;
/**
 * Distinct command lines shared between summaries. A worker that forks its children with the same
 * command line then holds that text once, not once per child (~100 B each, a third of a summary).
 */
const MAX_SHARED_COMMANDS = 1024;
/**
 * A process missing from this many samples in a row has exited. Not from one: a process that
 * one reading missed (a backend's hiccup) and the next one finds again keeps its one summary.
 */
const RETIRE_AFTER_SAMPLES = 4;

export class ProcessLedger {
  /** Processes seen within the last RETIRE_AFTER_SAMPLES samples, and leftovers. */
  private readonly recent = new Map<string, Numbered>();
  private readonly exited: ExitedSummaries;
  private readonly commands = new Map<string, string>();
  /** Times of the latest samples, oldest first: a summary last seen before the first has exited. */
  private readonly sampleTimes: number[] = [];
  private nextSeq = 0;
  /** Sequence numbers of exited summaries taken back as leftovers: their copy on disk is stale. */
  private readonly revived = new Set<number>();

  /** spillDirectory: where exited summaries go; null keeps them in memory. */
  constructor(private readonly cap = MAX_PROCESS_SUMMARIES, spillDirectory: string | null = tmpdir()) {
    this.exited = new ExitedSummaries(cap, spillDirectory);
  }

  /** Folds one sample's live processes (zombies already left out) into their summaries. */
  observe(processes: readonly ProcessReading[], at: number): void {
    for (const proc of processes) {
      const known = this.recent.get(keyOf(proc));
      if (known) update(known.summary, proc, at);
      else this.add(proc, at);
    }
    this.sampleTimes.push(at);
    if (this.sampleTimes.length > RETIRE_AFTER_SAMPLES) this.sampleTimes.shift();
    if (this.sampleTimes.length === RETIRE_AFTER_SAMPLES) this.retireBefore(this.sampleTimes[0]!);
  }

  /** Exited processes left out of list() to stay under the cap (counted, never read from disk). */
  get omitted(): number {
    const { exitedLately, room } = this.splitRecent();
    const stored = this.exited.length - this.revived.size;
    const exitedEver = this.exited.total - this.revived.size + exitedLately.length;
    return exitedEver - Math.min(stored + exitedLately.length, room);
  }

  /** Every summary listed, in the order their processes were first seen. */
  list(): ProcessSummary[] {
    const { alive, exitedLately, room } = this.splitRecent();
    // On disk, in the order they moved there (the order they exited, to a sample or so).
    const onDisk = this.exited.length > 0 ? this.exited.all().filter((n) => !this.revived.has(n.seq)) : [];
    const exited = [...onDisk, ...exitedLately];
    const kept = exited.slice(Math.max(0, exited.length - room));
    return [...kept, ...alive].sort((a, b) => a.seq - b.seq).map((numbered) => numbered.summary);
  }

  /**
   * Flags the processes still alive after the worker exited. One no sample caught while the worker
   * lived (forked just before it exited) gets its summary from `orphans`, the tree read at the end.
   */
  markLeftovers(keys: ReadonlyArray<{ pid: number; startTime: number }>, orphans: readonly ProcessReading[] = [], at = 0): ProcessSummary[] {
    const found: ProcessSummary[] = [];
    for (const key of keys) {
      const summary = this.recent.get(keyOf(key))?.summary ?? this.revive(keyOf(key)) ?? this.fromOrphans(key, orphans, at);
      if (summary) {
        summary.leftover = true;
        found.push(summary);
      }
    }
    return found;
  }

  private fromOrphans(key: { pid: number; startTime: number }, orphans: readonly ProcessReading[], at: number): ProcessSummary | null {
    const orphan = orphans.find((proc) => keyOf(proc) === keyOf(key));
    return orphan ? this.add(orphan, at) : null;
  }

  /** A summary moved to disk whose process turns out to be alive: back in memory (rare, read once). */
  private revive(key: string): ProcessSummary | null {
    const numbered = this.exited.all().find((n) => !this.revived.has(n.seq) && keyOf(n.summary) === key);
    if (!numbered) return null;
    this.revived.add(numbered.seq);
    this.recent.set(key, numbered);
    return numbered.summary;
  }

  private add(proc: ProcessReading, at: number): ProcessSummary {
    const summary: ProcessSummary = {
      pid: proc.pid, ppid: proc.ppid, startTime: proc.startTime, command: this.shared(proc.command),
      firstMs: at, lastMs: at, firstRssBytes: proc.rssBytes, lastRssBytes: proc.rssBytes,
      peakRssBytes: proc.rssBytes, lastVmsBytes: proc.vmsBytes, growthBytes: 0, samples: 0,
    };
    this.recent.set(keyOf(proc), { seq: this.nextSeq++, summary });
    update(summary, proc, at);
    return summary;
  }

  /** Moves the summaries last seen before `time` to disk, in the order they were first seen. */
  private retireBefore(time: number): void {
    let batch: Numbered[] | null = null;
    for (const [key, numbered] of this.recent) {
      if (numbered.summary.lastMs >= time || numbered.summary.leftover) continue;
      (batch ??= []).push(numbered);
      this.recent.delete(key);
    }
    if (batch) this.exited.append(batch);
  }

  /**
   * What list() shows: every process alive at the latest sample (and every leftover), then as
   * many of the exited ones as the cap leaves room for, the latest to exit first.
   */
  private splitRecent(): { alive: Numbered[]; exitedLately: Numbered[]; room: number } {
    const latest = this.sampleTimes.at(-1) ?? -Infinity;
    const alive: Numbered[] = [];
    const exitedLately: Numbered[] = [];
    for (const numbered of this.recent.values()) {
      const { summary } = numbered;
      (summary.lastMs >= latest || summary.leftover ? alive : exitedLately).push(numbered);
    }
    return { alive, exitedLately, room: Math.max(0, this.cap - alive.length) };
  }

  private shared(command: string): string {
    const known = this.commands.get(command);
    if (known !== undefined) return known;
    if (this.commands.size < MAX_SHARED_COMMANDS) this.commands.set(command, command);
    return command;
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
