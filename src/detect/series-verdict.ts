// What judging one series yields, and how a verdict is assembled from a trend: shared by the
// general verdict (verdict.ts) and the new-task-types verdict (new-types-verdict.ts).
import type { Explanation, Verdict, VerdictStatus } from '../model.js';
import { median } from './stats.js';
import type { Trend } from './trend.js';
import type { SeriesKind } from './types.js';

export interface SeriesData {
  kind: SeriesKind;
  /** Reported as Verdict.series: 'tree-rss', 'heap' or 'process:<pid>'. */
  label: string;
  /**
   * Task number (1, 2, …) or milliseconds. Typed arrays: a 10^6-task run's final verdict holds
   * these two and takes its window as views of them, not copies.
   */
  positions: Float64Array;
  values: Float64Array;
  /** Task numbers at which a task type ran for the first time (ascending); absent when tasks carry no names. */
  firstRuns?: ArrayLike<number>;
}

export interface SeriesVerdict {
  status: VerdictStatus;
  reason: string;
  label: string;
  unit: 'task' | 'ms';
  /** Bytes per task or per ms, with the interval; null when nothing was estimated. */
  slope: number | null;
  ci: [number, number] | null;
  statistic?: Verdict['statistic'];
  window?: { from: number; to: number; unit: 'task' | 'ms' };
  explanation?: Explanation;
  /** How far the window's lower envelope moved (highest − lowest) as a share of its median: the judge's, not the report's. */
  envelopeSpread?: number;
}

function spreadShare(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const level = median(values);
  return level > 0 ? (Math.max(...values) - Math.min(...values)) / level : 0;
}

export const unitOf = (kind: SeriesKind): 'task' | 'ms' => (kind === 'time' ? 'ms' : 'task');
export const pointWord = (kind: SeriesKind): string => (kind === 'time' ? 'samples' : 'tasks');

export function describe(data: SeriesData, trend: Trend, status: VerdictStatus, reason: string, explanation?: Explanation | null): SeriesVerdict {
  const unit = unitOf(data.kind);
  return {
    ...(explanation ? { explanation } : {}),
    status,
    reason,
    label: data.label,
    unit,
    slope: trend.sen.slope,
    ci: trend.sen.ci,
    statistic: {
      mannKendallZ: trend.mannKendall.z,
      pValue: trend.mannKendall.pValue,
      lag1: trend.lag1,
      blocks: trend.envelope.values.length,
      blockSize: trend.envelope.blockSize,
    },
    window: { from: trend.from, to: trend.to, unit },
    envelopeSpread: spreadShare(trend.envelope.values),
  };
}

