// The live verdict during `watch`: judge the run so far every few points, and change the shown
// status only when several checks in a row agree.
import type { Verdict, VerdictStatus } from '../model.js';
import { judgeRun } from './judge.js';
import { DEFAULT_THRESHOLDS } from './thresholds.js';
import type { DetectorOptions, RunSeries } from './types.js';

export interface OnlineOptions extends DetectorOptions {
  /** Consecutive checks that must agree before the shown status changes. Default 3. */
  confirmations?: number;
}

export interface OnlineDetector {
  /**
   * Feed the run so far; returns the debounced verdict (re-judged only when a check is due).
   * `counts` is how far the whole run has come, when the series holds only its latest part.
   */
  update(series: RunSeries, counts?: RunCounts): Verdict;
  /**
   * Whether update() would judge now, from the counts alone: building the series costs memory
   * in proportion to the run, so a caller asks first rather than build it every second for nothing.
   */
  isDue(counts: RunCounts): boolean;
  /** The shown status has been confirmed by the last `confirmations` checks (for --stop-on). */
  readonly firm: boolean;
  readonly checks: number;
  /** The undebounced verdict of the latest check (null before the first). */
  readonly latest: Verdict | null;
}

/** Tasks ended and samples taken so far in the whole run. */
export interface RunCounts {
  tasks: number;
  samples: number;
}

/** Checks are at least 10 points apart, so a check sees new data and not the same noise again. */
const MIN_CHECK_GAP = 10;
/**
 * …and 5% of the run apart once it is long: checks spread evenly on a log scale, so the
 * debounce always spans new data (3 checks ≈ 10% more of the run) at a bounded cost.
 */
const CHECK_GAP_FRACTION = 0.05;
/**
 * Three agreeing checks: with two, warm-up tails and sawtooth phases that pass one check by
 * chance slip through (the research prototype measured 1.5–11% false alarms with two).
 */
const DEFAULT_CONFIRMATIONS = 3;

/** The point count at which the check after one made at `checkedAt` points is due. */
export function nextCheckAt(checkedAt: number): number {
  return checkedAt + Math.max(MIN_CHECK_GAP, Math.ceil(checkedAt * CHECK_GAP_FRACTION));
}

/**
 * Progress is counted in the series that decides: tasks once there are enough of them to judge,
 * else samples (so a worker with few, long tasks still gets a live verdict from the time series).
 */
function progressOf({ tasks, samples }: RunCounts): { unit: 'tasks' | 'samples'; count: number } {
  if (tasks >= DEFAULT_THRESHOLDS.minPoints) return { unit: 'tasks', count: tasks };
  return { unit: 'samples', count: samples };
}

const countsOf = (series: RunSeries): RunCounts => ({ tasks: series.perTask?.values.length ?? 0, samples: series.timeSeries.values.length });

function waiting(): Verdict {
  return {
    status: 'insufficient',
    reason: 'collecting data',
    series: 'tree-rss',
    bytesPerTask: null,
    bytesPerTaskCI: null,
    bytesPerHour: null,
    bytesPerHourCI: null,
    limit: null,
    projection: null,
  };
}

export function createOnlineDetector(options: OnlineOptions = {}): OnlineDetector {
  const confirmations = Math.max(1, options.confirmations ?? DEFAULT_CONFIRMATIONS);
  let shown = waiting();
  let candidate: VerdictStatus = shown.status;
  let streak = 0;
  let due = { unit: 'samples', at: 0 };
  let checks = 0;
  let latest: Verdict | null = null;

  const notYet = (progress: { unit: string; count: number }): boolean => progress.unit === due.unit && progress.count < due.at;

  return {
    isDue(counts) {
      return !notYet(progressOf(counts));
    },
    update(series: RunSeries, counts = countsOf(series)): Verdict {
      const progress = progressOf(counts);
      if (notYet(progress)) return shown;
      due = { unit: progress.unit, at: nextCheckAt(progress.count) };
      checks++;
      const fresh = judgeRun(series, options);
      latest = fresh;
      streak = fresh.status === candidate ? streak + 1 : 1;
      candidate = fresh.status;
      // Same status as shown: refresh the numbers. A new status must hold for `confirmations` checks.
      if (fresh.status === shown.status || streak >= confirmations) shown = fresh;
      return shown;
    },
    get firm(): boolean {
      return candidate === shown.status && streak >= confirmations;
    },
    get checks(): number {
      return checks;
    },
    get latest(): Verdict | null {
      return latest;
    },
  };
}
