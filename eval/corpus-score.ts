// Scores corpus runs: which verdict is right for a worker's measured truth, false leaks, and
// whether a worker reads the same in enough of its runs. Pure.
import type { CorpusCase, TruthClass } from './corpus-cases.js';
import type { MeasuredTruth } from './corpus-truth.js';

/** A worker is consistent when one verdict came in at least this many of its runs (4 of 5). */
export const CONSISTENT_SHARE = 0.8;

export interface CorpusRun {
  id: string;
  run: number;
  loaded: boolean;
  /** leakhunt's verdict, or 'error' when the run gave none (timeout, crash, no report). */
  status: string;
  reason: string;
  bytesPerTask: number | null;
  tasks: number;
  truth: MeasuredTruth | null;
  secondHalfPace: number | null;
  seconds: number;
  error?: string;
}

const VERDICT_OF: Record<TruthClass, string> = { leak: 'leak', 'not-leak': 'stable' };

/**
 * The verdicts that are right for a run: `leak` for a leak, `stable` for a non-leak; where the
 * truth is ambiguous (kept memory in the second half, but slowing down or small), `suspect` or the
 * worker's labelled class. A run whose truth could not be read is never right.
 */
export function rightVerdicts(label: TruthClass, truth: MeasuredTruth | null): string[] {
  if (truth === null) return [];
  if (truth === 'ambiguous') return ['suspect', VERDICT_OF[label]];
  return [VERDICT_OF[truth]];
}

export function isRight(label: TruthClass, run: CorpusRun): boolean {
  return rightVerdicts(label, run.truth).includes(run.status);
}

/** A `leak` verdict on a run whose truth is not a leak (nor ambiguous on a worker labelled leak). */
export function isFalseLeak(label: TruthClass, run: CorpusRun): boolean {
  if (run.status !== 'leak') return false;
  return run.truth === 'not-leak' || (run.truth === 'ambiguous' && label === 'not-leak');
}

export interface WorkerScore {
  worker: CorpusCase;
  runs: CorpusRun[];
  right: number;
  falseLeaks: number;
  /** The most frequent verdict and how many runs gave it. */
  modal: { status: string; count: number };
  consistent: boolean;
  /** Runs whose measured truth disagrees with the label (a worker that does not do what it says). */
  truthMismatches: number;
}

export function scoreWorker(worker: CorpusCase, runs: CorpusRun[]): WorkerScore {
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.status, (counts.get(run.status) ?? 0) + 1);
  const [status, count] = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? ['none', 0];
  return {
    worker,
    runs,
    right: runs.filter((run) => isRight(worker.label, run)).length,
    falseLeaks: runs.filter((run) => isFalseLeak(worker.label, run)).length,
    modal: { status, count },
    consistent: runs.length > 0 && count >= Math.ceil(CONSISTENT_SHARE * runs.length),
    truthMismatches: runs.filter((run) => run.truth !== null && run.truth !== 'ambiguous' && run.truth !== worker.label).length,
  };
}

export interface ClassScore {
  name: string;
  workers: number;
  runs: number;
  right: number;
  falseLeaks: number;
  consistent: number;
}

/** Totals over a group of workers (a class, a runtime, or all). */
export function totals(name: string, scores: readonly WorkerScore[]): ClassScore {
  return {
    name,
    workers: scores.length,
    runs: scores.reduce((n, s) => n + s.runs.length, 0),
    right: scores.reduce((n, s) => n + s.right, 0),
    falseLeaks: scores.reduce((n, s) => n + s.falseLeaks, 0),
    consistent: scores.filter((s) => s.consistent).length,
  };
}
