// What the detector takes in and the knobs it exposes.
import type { MemoryLimit } from '../model.js';

/** The memory series of one run, as the detector needs them. */
export interface RunSeries {
  /**
   * Memory held after each task, in task order (e.g. tree RSS at each task end), with the end
   * times. `positions` are the task numbers of the points (1, 2, 3, … when absent): a long run's
   * series may be decimated (series/decimate.ts), and slopes and rates stay per task. `firstRuns` are
   * the task numbers at which each task type (the tasks' names) ran for the first time, ascending:
   * what the new-task-types explanation needs from the names, and it survives decimation. Absent
   * when the tasks carry no names.
   */
  perTask?: { values: ArrayLike<number>; endMs: ArrayLike<number>; positions?: ArrayLike<number>; firstRuns?: ArrayLike<number> };
  /** In-process heap after GC at each task end, when the worker sends it (aligned with perTask unless heapPositions say otherwise). */
  heapPerTask?: ArrayLike<number>;
  heapPositions?: ArrayLike<number>;
  /** The heap plus the memory V8 tracks off it (Node's `external`: Buffers), at the heap's positions, when the worker sends both. */
  heapWithExternalPerTask?: ArrayLike<number>;
  /** Tree RSS (or PSS, USS: see treeSeries) at every sample. */
  timeSeries: { ms: ArrayLike<number>; values: ArrayLike<number> };
  /** What perTask and timeSeries sum, as Verdict.series names it: 'tree-rss' (the default), 'tree-pss', 'tree-uss'. */
  treeSeries?: string;
  /** Long-lived processes of the tree, each judged on its own so one leaking child is not hidden by the rest. */
  processes?: Array<{ pid: number; ms: ArrayLike<number>; values: ArrayLike<number> }>;
  limit: MemoryLimit | null;
  /** Memory now, the starting point of the projection to the limit. */
  currentBytes: number | null;
  /** The run was cut short. */
  incomplete?: boolean;
}

/** Which kind of series is judged: the evidence rules differ (see thresholds.ts). */
export type SeriesKind = 'rss-task' | 'heap-task' | 'time';

export interface DetectorOptions {
  /** Growth below this is not a leak, per task. Default 256 B. */
  minBytesPerTask?: number;
  /** Growth below this is not a leak when only time is known. Default 1 MiB per hour. */
  minBytesPerHour?: number;
  /** Confidence level of the slope intervals. Default 0.95. */
  confidence?: number;
  /** Overrides of the decision thresholds (for the evaluation's ablations). */
  thresholds?: Partial<Thresholds>;
}

/** The decision thresholds; thresholds.ts documents each default and why it was chosen. */
export interface Thresholds {
  minPoints: number;
  minLeakPoints: number;
  windowFraction: number;
  leakP: number;
  halfP: number;
  stableP: number;
  sustainedRatio: Record<SeriesKind, number>;
  halvesSlowdownZ: Record<SeriesKind, number>;
  halfConfidence: number;
  sustainedLowRatio: number;
  saturationZ: number;
  fullEvidencePoints: Record<SeriesKind, number>;
  shortRunRatio: number;
  shortWindowRatio: number;
  shortWindowConfidence: number;
  shortGrowthOverNoise: number;
  shortDrawdownShare: number;
  longProcessFraction: number;
}
