// Whether a spare count other than the one leakhunt kept would have been faster, read from what the
// run measured and nothing else: when each worker was started, when its task line was written, and
// when its task began. A warm worker that was still booting made its task wait; one that sat ready
// for longer than a worker's turn could have been started a turn later (one spare fewer), leaving the
// cores to the running task. No advice when the evidence is thin or says neither.
import type { SpareAdvice } from '../model.js';
import { median } from '../detect/stats.js';

/** One worker of an isolated or recycle mode, on the run's time axis (ms). */
export interface SpareStart {
  /** Started ahead as a spare; false when started on the spot (the first worker, --no-spare). */
  warm: boolean;
  startedAtMs: number;
  /** When the pool handed it out: its task line followed at once. */
  takenAtMs: number;
  firstTaskStartMs: number;
}

/** Fewer warm workers than this is too little evidence to say anything. */
const MIN_WARM = 3;
/** A wait shorter than this share of a worker's turn is within the run's own jitter. */
const WAIT_SHARE = 0.1;
const MIN_WAIT_MS = 1;

/** From the task line to the task's start. */
const lag = (s: SpareStart): number => s.firstTaskStartMs - s.takenAtMs;

/** The spare count the run's own timings point to, when it differs from `kept`; null when they do not say. */
export function adviseSpares(log: readonly SpareStart[], kept: number, maxSpares: number): SpareAdvice | null {
  const warm = log.filter((s) => s.warm);
  if (kept < 1 || warm.length < MIN_WARM) return null;
  const handedOut = log.map((s) => s.takenAtMs);
  const cycleMs = median(handedOut.slice(1).map((t, i) => t - handedOut[i]!));
  // Boot time (plus the answer to the line) from the workers started on the spot, given their line at once.
  const cold = log.filter((s) => !s.warm).map((s) => s.firstTaskStartMs - s.startedAtMs);
  if (cold.length === 0) return null;
  const coldMs = median(cold);
  // How fast a booted worker answers its line: the least lag of the spares started at least a boot
  // before they were handed out. Where none was, every task may have waited: 0, so the lag is the wait.
  const booted = warm.filter((s) => s.takenAtMs - s.startedAtMs >= coldMs).map(lag);
  const answerMs = booted.length > 0 ? Math.min(...booted) : 0;
  const waitedMs = median(warm.map((s) => lag(s) - answerMs));
  if (waitedMs >= Math.max(MIN_WAIT_MS, WAIT_SHARE * cycleMs)) {
    return kept < maxSpares ? { kept, better: kept + 1, reason: 'waited', medianMs: waitedMs, cycleMs } : null;
  }
  if (kept < 2) return null;
  const bootMs = coldMs - answerMs;
  const idleMs = median(warm.map((s) => s.takenAtMs - s.startedAtMs - bootMs));
  return idleMs > cycleMs ? { kept, better: kept - 1, reason: 'idle', medianMs: idleMs, cycleMs } : null;
}
