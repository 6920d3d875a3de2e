// The interface every sampling backend implements (Linux /proc, macOS ps, pidusage).
import type { MetricName, ProcessReading } from '../model.js';

export interface TreeReading {
  /** Every live process of the tree, the root first. Empty when the root is gone. */
  processes: ProcessReading[];
  /** Members listed in this tick that were gone before their first reading: in no sample of the run. */
  vanished: number;
  /**
   * Once the root is gone: what is left of its tree, read but not part of the footprint. It names
   * leftovers no sample caught while the root lived (a worker that forks and exits at once).
   */
  orphans?: ProcessReading[];
}

export interface SamplerOptions {
  /** The worker (or the --pid target). */
  rootPid: number;
  /** false with --no-children: the root alone. */
  children: boolean;
  /** pss/uss add smaps_rollup reads, where the backend can. */
  metric: MetricName;
  /** Linux only: where /proc lives (tests point it at a fake tree). */
  procRoot?: string;
  /**
   * The root was started by leakhunt a moment ago (not attached to, not a spare kept waiting): no
   * process older than it can be of its tree, so a backend may leave older ones unread at first.
   */
  freshRoot?: boolean;
}

/**
 * A stateful reader of one process tree. It remembers every (pid, startTime) it has seen, so a
 * descendant that was reparented (its parent died) stays in the tree, and a reused pid is never
 * mistaken for the old process.
 */
export interface Sampler {
  readonly name: string;
  read(): TreeReading | Promise<TreeReading>;
  /** The members alive at the last read, for safe signalling; pgid (stat field 5) lets the
   *  caller skip members a group signal already reached, so each gets a signal exactly once. */
  members(): Array<{ pid: number; startTime: number; pgid?: number }>;
  /** true when pid is still the same process (same start time), so it may be signalled. */
  isSame(pid: number, startTime: number): boolean;
  /**
   * Where the backend can: watch another tree from now on (same options otherwise), keeping what it
   * knows of the machine's other processes. compare's isolated modes watch a new worker per task.
   */
  retarget?(rootPid: number): void;
  close(): void;
}

export type SamplerFactory = (options: SamplerOptions) => Sampler;
