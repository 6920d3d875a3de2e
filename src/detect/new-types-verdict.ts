// The verdict when growth comes with new task types: `leak` while new types keep arriving and
// each brings memory that stays, `suspect` once arrivals taper off. A run that has clearly grown
// is judged however short it is: the growth is there, and it is the first runs that explain it.
import type { Explanation } from '../model.js';
import { CLOSE_BIC } from './explain.js';
import type { FirstRunRises } from './first-run-rises.js';
import { CLEAR_GROWTH_SHARE, newTypesFigures } from './new-types.js';
import type { Trend } from './trend.js';
import { describe, type SeriesData, type SeriesVerdict } from './series-verdict.js';

/** How much the run grew, as a share of where it started: lower envelopes of its first and last tenth. */
function runGrowthShare(values: ArrayLike<number>): number {
  const tenth = Math.max(1, Math.floor(values.length / 10));
  let head = Infinity;
  let tail = Infinity;
  for (let i = 0; i < tenth; i++) head = Math.min(head, values[i]!);
  for (let i = values.length - tenth; i < values.length; i++) tail = Math.min(tail, values[i]!);
  return head > 0 ? (tail - head) / head : 0;
}

/** The BIC by which new types beat a flat level: the evidence that the growth is real at all. */
function evidenceOverFlat(explanation: Explanation): number {
  const flat = explanation.fits.find((f) => f.kind === 'flat');
  const types = explanation.fits.find((f) => f.kind === 'new-task-types');
  return flat && types ? flat.bic - types.bic : 0;
}

/**
 * `rises`: the window's rises land on first runs beyond chance (first-run-rises.ts), or null.
 * That is evidence of real growth by another route than its size, so the run has clearly grown
 * without reaching CLEAR_GROWTH_SHARE: the 10% stands for "no warm-up wobble or page rounding in
 * doubt", and a wobble does not choose first runs to rise at.
 */
export function judgeNewTypes(data: SeriesData, trend: Trend, explanation: Explanation, run: { start: number; shortRun: boolean; rises: FirstRunRises | null }): SeriesVerdict {
  const newTypes = newTypesFigures(data.positions, data.values, data.firstRuns ?? [], run.start);
  if (run.rises) {
    const { rises, atFirstRuns, chance, deltaBic } = run.rises;
    newTypes.rises = { count: rises, atFirstRuns, chance, deltaBic: Math.round(deltaBic * 100) / 100 };
  }
  const explained: Explanation = { ...explanation, newTypes };
  const verdict = (status: SeriesVerdict['status'], reason: string): SeriesVerdict => describe(data, trend, status, reason, explained);
  const grown = runGrowthShare(data.values) >= CLEAR_GROWTH_SHARE || run.rises !== null;
  const clear = grown && evidenceOverFlat(explanation) >= CLOSE_BIC;
  if (clear && newTypes.stillArriving) return verdict('leak', 'new task types (still arriving)');
  if (clear) return verdict('suspect', 'new task types (arrivals tapering off)');
  if (run.shortRun) return verdict('insufficient', 'too few tasks to tell (new task types)');
  return verdict('suspect', 'new task types');
}
