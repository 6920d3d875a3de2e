// Where memory rises, task by task: at the first runs of task types, or anywhere. An import or a
// per-type cache adds memory in the task that first runs the type, in lumps as uneven as the
// modules are (one pulls in half a framework, the next a few KB). Lumps that uneven fit one or two
// level shifts better than a + b·(types seen); what gives them away is where they land. When
// rises land on first runs far more often than first runs occur, the new types explain them.
import { PAGE_BYTES } from './fit.js';
import { robustSigma } from './stats.js';

/**
 * A task-to-task change is a rise when it exceeds 3 robust σ of the window's changes (and a page):
 * noise that crosses it lands at first runs no more often than first runs occur, so it adds no
 * evidence either way.
 */
const RISE_SIGMAS = 3;

export interface FirstRunRises {
  /** Rises in the window, and how many of them came at a first run. */
  rises: number;
  atFirstRuns: number;
  /** Share of the window's tasks that were first runs: where rises would land by chance. */
  chance: number;
  /** Bytes the rises at first runs added in the window. */
  bytesAtFirstRuns: number;
  /**
   * Evidence that rises follow first runs, on the BIC scale: the likelihood-ratio statistic of
   * "rises land on first runs at their own rate" against "at the rate first runs occur"
   * (a binomial model each), less ln(rises) for the one rate fitted. 0 when rises do not
   * land on first runs more often than by chance.
   */
  deltaBic: number;
}

/** x·ln(x/y), 0 at x = 0. */
const term = (x: number, y: number): number => (x > 0 ? x * Math.log(x / y) : 0);

/**
 * The rises of the window (points from `windowStart`, between consecutive tasks only) and how
 * they fall on first runs. null when the window has no first run or no rise.
 */
export function firstRunRises(positions: ArrayLike<number>, values: ArrayLike<number>, firstRuns: ArrayLike<number>, windowStart: number): FirstRunRises | null {
  const firsts = new Set<number>();
  for (let i = 0; i < firstRuns.length; i++) firsts.add(firstRuns[i]!);
  const changes: number[] = [];
  const atFirst: boolean[] = [];
  for (let i = Math.max(1, windowStart); i < values.length; i++) {
    if (positions[i]! - positions[i - 1]! !== 1) continue;
    changes.push(values[i]! - values[i - 1]!);
    atFirst.push(firsts.has(positions[i]!));
  }
  const firstCount = atFirst.filter(Boolean).length;
  if (changes.length === 0 || firstCount === 0) return null;
  const threshold = Math.max(PAGE_BYTES, RISE_SIGMAS * robustSigma(changes));
  let rises = 0;
  let atFirstRuns = 0;
  let bytesAtFirstRuns = 0;
  changes.forEach((change, i) => {
    if (change <= threshold) return;
    rises++;
    if (atFirst[i]) {
      atFirstRuns++;
      bytesAtFirstRuns += change;
    }
  });
  if (rises === 0) return null;
  const chance = firstCount / changes.length;
  const rate = atFirstRuns / rises;
  const statistic = rate > chance ? 2 * (term(atFirstRuns, rises * chance) + term(rises - atFirstRuns, rises * (1 - chance))) : 0;
  return { rises, atFirstRuns, chance, bytesAtFirstRuns, deltaBic: Math.max(0, statistic - Math.log(rises)) };
}
