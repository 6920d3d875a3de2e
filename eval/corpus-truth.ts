// What a corpus worker truly did, from its own account of what it keeps (never from RSS, never
// from leakhunt): after each task each process appends "<pid> <bytes>" (or "<pid> -" once it is
// gone) to the truth file. The tree's retained bytes after each line are the sum over the
// processes alive. Pure.
import type { TruthClass } from './corpus-cases.js';

export type MeasuredTruth = TruthClass | 'ambiguous';

/**
 * A leak: the second half of the run kept at least 1 KB a task on average (4× below the
 * smallest leak in the corpus, and a rate a user would act on: 1 MB per 1,000 tasks), and the
 * last quarter kept at least half that pace (still growing at the end, not a fill slowing down).
 */
export const LEAK_BYTES_PER_TASK = 1024;
export const STILL_GROWING_SHARE = 0.5;
/** Not a leak: the second half kept at most 64 KB in all (16 pages: nothing RSS could show). */
export const BOUNDED_BYTES = 64 * 1024;

export interface TruthFigures {
  points: number;
  /** Retained bytes at the first, middle, three-quarter and last points. */
  firstBytes: number;
  halfBytes: number;
  quarterBytes: number;
  lastBytes: number;
  /** Growth per point over the second half and over the last quarter. */
  secondHalfPace: number;
  lastQuarterPace: number;
  truth: MeasuredTruth;
}

/** The tree's retained bytes after each truth line. */
export function retainedSeries(text: string): number[] {
  const held = new Map<string, number>();
  let total = 0;
  const series: number[] = [];
  for (const line of text.split('\n')) {
    const [pid, value] = line.trim().split(/\s+/);
    if (!pid || value === undefined) continue;
    total -= held.get(pid) ?? 0;
    if (value === '-') held.delete(pid);
    else {
      const bytes = Number(value);
      if (!Number.isFinite(bytes)) continue;
      held.set(pid, bytes);
      total += bytes;
    }
    series.push(total);
  }
  return series;
}

/** The class a retained series says, by the rule above; null with fewer than 8 points. */
export function classifyTruth(series: readonly number[]): TruthFigures | null {
  const n = series.length;
  if (n < 8) return null;
  const at = (share: number): number => series[Math.min(n - 1, Math.floor(share * (n - 1)))]!;
  const first = series[0]!;
  const half = at(0.5);
  const quarter = at(0.75);
  const last = series[n - 1]!;
  const halfSpan = n - 1 - Math.floor(0.5 * (n - 1));
  const quarterSpan = n - 1 - Math.floor(0.75 * (n - 1));
  const secondHalfPace = (last - half) / halfSpan;
  const lastQuarterPace = (last - quarter) / quarterSpan;
  let truth: MeasuredTruth = 'ambiguous';
  if (secondHalfPace >= LEAK_BYTES_PER_TASK && lastQuarterPace >= STILL_GROWING_SHARE * secondHalfPace) truth = 'leak';
  else if (last - half <= BOUNDED_BYTES && Math.max(...series.slice(Math.floor(0.5 * (n - 1)))) - half <= BOUNDED_BYTES) truth = 'not-leak';
  return { points: n, firstBytes: first, halfBytes: half, quarterBytes: quarter, lastBytes: last, secondHalfPace, lastQuarterPace, truth };
}
