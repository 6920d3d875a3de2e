// Runs one labelled series through leakhunt (final and online) and through the baselines.
import { createOnlineDetector, judgeRun, nextCheckAt, type OnlineOptions, type RunSeries } from '../src/detect/index.js';
import type { VerdictStatus } from '../src/model.js';
import { BASELINES } from './baselines.js';
import type { LabelledSeries } from './generate.js';

export interface MethodOutcome {
  /** Verdict on the whole series said leak. */
  finalLeak: boolean;
  /** Online: the point count at which it first (debounced, for leakhunt) said leak; null if never. */
  detectedAt: number | null;
}

export interface SeriesOutcome {
  series: LabelledSeries;
  leakhunt: MethodOutcome & {
    finalStatus: VerdictStatus;
    /** Any single, undebounced check said leak. */
    anyCheckLeak: boolean;
  };
  baselines: MethodOutcome[];
}

/** The first check: as soon as the detector could say anything at all. */
const FIRST_CHECK = 20;

function prefix(series: LabelledSeries, n: number): RunSeries {
  const input: RunSeries = {
    perTask: { values: series.values.slice(0, n), endMs: series.endMs.slice(0, n) },
    timeSeries: { ms: [], values: [] },
    limit: null,
    currentBytes: series.values[n - 1] ?? null,
  };
  if (series.heap) input.heapPerTask = series.heap.slice(0, n);
  return input;
}

export function scoreSeries(series: LabelledSeries, options?: OnlineOptions): SeriesOutcome {
  const n = series.values.length;
  const online = createOnlineDetector(options);
  let detectedAt: number | null = null;
  let anyCheckLeak = false;
  const baselineAt: Array<number | null> = BASELINES.map(() => null);
  for (let count = Math.min(FIRST_CHECK, n); count <= n; count = nextCheckAt(count)) {
    const shown = online.update(prefix(series, count));
    if (online.latest?.status === 'leak') anyCheckLeak = true;
    if (detectedAt === null && shown.status === 'leak') detectedAt = count;
    BASELINES.forEach((baseline, i) => {
      if (baselineAt[i] === null && baseline.isLeak(series.values.slice(0, count))) baselineAt[i] = count;
    });
  }
  const finalStatus = judgeRun(prefix(series, n), options).status;
  return {
    series,
    leakhunt: { finalLeak: finalStatus === 'leak', finalStatus, detectedAt, anyCheckLeak },
    baselines: BASELINES.map((baseline, i) => ({ finalLeak: baseline.isLeak(series.values), detectedAt: baselineAt[i]! })),
  };
}
