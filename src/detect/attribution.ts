// Growth per task type: the first run of a type (imports, caches priming) apart from its
// repeat runs, where memory that keeps coming is a leak.
import type { Attribution, TaskRecord } from '../model.js';
import { formatDelta } from '../units.js';
import { DeltaSampler, keptDeltas, type DeltaSample } from './delta-sample.js';
import { SharedRunsRegression } from './shared-runs.js';
import { quantileInPlace, robustSigmaInPlace } from './stats.js';

/** RSS moves in 4 KB pages: a smaller delta is never evidence of anything. */
const PAGE_BYTES = 4096;
/** A first run must add at least 64 KB (16 pages) to count as warm-up rather than noise. */
const MIN_WARM_UP_BYTES = 16 * PAGE_BYTES;
/** Repeats count as a leak only when at least two thirds of them add memory, not just their median. */
const CONSISTENT_SHARE = 2 / 3;
/**
 * In a run whose memory held did not grow (a stable verdict), repeats count as a leak only when
 * their sum keeps at least half of what their median says they add. Under a GC sawtooth most runs
 * add the garbage they made (+540 KB each) and the run that meets a collection gives it all back:
 * the median says "leak" while the type keeps nothing. Only there: where memory grows, a leaking
 * type's runs may also meet collections of other types' garbage, and its sum would understate it.
 */
const KEPT_SHARE = 0.5;
/**
 * A type whose repeats mostly ran beside other tasks of the same process (threads, an async
 * worker's concurrency) has no figure of its own: the process's change over its run holds the
 * others' allocations too. Four threads alternating a type that keeps 64 KB with one that keeps
 * nothing read "+28 KB every run (leak)" and "+20 KB every run (leak)".
 */
const SHARED_SHARE = 0.5;

const deltaOf = (task: TaskRecord): number | null => task.treeDeltaBytes ?? task.deltaBytes;

/** What attribution keeps of one task type's runs: counts, sums, and a bounded sample of its repeat deltas. */
interface TypeRuns {
  runs: number;
  firstRunBytes: number | null;
  /** The repeat runs that have a delta: all of them, or a uniform sample once the run is long. */
  repeats: DeltaSample;
  /** Repeats that added memory, counted over all of them (not only those kept). */
  growingRepeats: number;
  /** Repeats that ran while another task of the same process was open. */
  overlappedRepeats: number;
  retainedBytes: number;
}

/** A type's repeats, with the median of those kept (which taking it reorders). */
interface TypeFigures extends TypeRuns {
  repeatMedian: number | null;
}

/**
 * Each type's median repeat, and the run's per-task noise: the robust σ of every kept repeat
 * delta around the median of its own task type, pooled over types, never below one page.
 */
function figuresAndNoise(groups: Map<string, TypeRuns>): { figures: Map<string, TypeFigures>; noise: number } {
  const figures = new Map<string, TypeFigures>();
  let size = 0;
  for (const [name, group] of groups) {
    const kept = keptDeltas(group.repeats);
    figures.set(name, { ...group, repeatMedian: kept.length > 0 ? quantileInPlace(kept, 0.5) : null });
    if (kept.length >= 2) size += kept.length;
  }
  // One typed array of at most DELTA_BUDGET residuals, whose spread is taken in place.
  const residuals = new Float64Array(size);
  let at = 0;
  for (const { repeats, repeatMedian } of figures.values()) {
    if (repeats.length < 2) continue;
    for (const delta of keptDeltas(repeats)) residuals[at++] = delta - repeatMedian!;
  }
  const sigma = residuals.length >= 2 ? robustSigmaInPlace(residuals) : 0;
  return { figures, noise: Math.max(PAGE_BYTES, sigma) };
}

export interface AttributionOptions {
  /** The run's memory held did not grow (its verdict is stable): rises that were given back are no leak. */
  runStable?: boolean;
}

function attributeType(name: string, figures: TypeFigures, noise: number, runStable: boolean): Attribution {
  const { runs, firstRunBytes, repeats, overlappedRepeats, retainedBytes, repeatMedian } = figures;
  const count = repeats.offered;
  const overlappedShare = count > 0 && overlappedRepeats > 0 ? overlappedRepeats / count : undefined;
  const kind = (overlappedShare ?? 0) >= SHARED_SHARE ? 'shared' : kindOf(figures, noise, runStable);
  return { name, runs, firstRunBytes, repeatBytesPerRun: repeatMedian, retainedBytes, kind, ...(overlappedShare !== undefined ? { overlappedShare } : {}) };
}

function kindOf({ runs, firstRunBytes, repeats, growingRepeats, retainedBytes, repeatMedian }: TypeFigures, noise: number, runStable: boolean): Attribution['kind'] {
  const count = repeats.offered;
  // "≈ 0": within 3 standard errors of the median repeat (σ/√m) of zero, and never below a page.
  const zeroBand = Math.max(PAGE_BYTES, (3 * noise) / Math.sqrt(Math.max(1, count)));
  let kind: Attribution['kind'] = 'flat';
  if (runs === 1) {
    kind = 'single-run';
  } else if (
    count >= 2 &&
    repeatMedian! > zeroBand &&
    growingRepeats >= CONSISTENT_SHARE * count &&
    (!runStable || retainedBytes - (firstRunBytes ?? 0) >= KEPT_SHARE * repeatMedian! * count)
  ) {
    kind = 'leak';
  } else if (
    firstRunBytes !== null &&
    firstRunBytes - (repeatMedian ?? 0) > Math.max(MIN_WARM_UP_BYTES, 3 * noise) &&
    Math.abs(repeatMedian ?? 0) <= zeroBand
  ) {
    kind = 'warm-up';
  }
  return kind;
}

/**
 * One entry per task name, sorted by the memory it retained, largest first. One pass over the
 * tasks; runs, retained memory and the share of repeats that grew are counted over every task,
 * and medians are exact up to DELTA_BUDGET repeats in the run (delta-sample.ts).
 */
export function attribute(tasks: Iterable<TaskRecord>, options: AttributionOptions = {}): Attribution[] {
  const sampler = new DeltaSampler();
  const groups = new Map<string, TypeRuns>();
  const sharedRuns = new SharedRunsRegression();
  for (const task of tasks) {
    const delta = deltaOf(task);
    const group = groups.get(task.name);
    const overlapped = sharedRuns.add(task, delta, !group);
    if (!group) {
      groups.set(task.name, { runs: 1, firstRunBytes: delta, repeats: sampler.open(), growingRepeats: 0, overlappedRepeats: 0, retainedBytes: delta ?? 0 });
      continue;
    }
    group.runs++;
    if (delta !== null) {
      sampler.add(group.repeats, delta);
      if (delta > 0) group.growingRepeats++;
      if (overlapped) group.overlappedRepeats++;
      group.retainedBytes += delta;
    }
  }
  const { figures, noise } = figuresAndNoise(groups);
  const entries = [...figures].map(([name, group]) => attributeType(name, group, noise, options.runStable === true));
  if (entries.some((entry) => entry.kind === 'shared')) {
    const own = sharedRuns.figures();
    for (const entry of entries) {
      const figure = entry.kind === 'shared' ? own.get(entry.name) : undefined;
      if (figure) Object.assign(entry, { ownBytesPerRun: figure.bytesPerRun, ownBytesPerRunCI: figure.ci });
    }
  }
  return entries.sort((a, b) => b.retainedBytes - a.retainedBytes || a.name.localeCompare(b.name));
}

/** One line for the summary, e.g. "send_email: +52.0 KB every run (leak)". */
export function describeAttribution(a: Attribution): string {
  switch (a.kind) {
    case 'warm-up':
      return `${a.name}: ${formatDelta(a.firstRunBytes)} on its first run (imports/warm-up), ~0 B per run after`;
    case 'leak':
      return `${a.name}: ${formatDelta(a.repeatBytesPerRun)} every run (leak)`;
    case 'single-run':
      return `${a.name}: ${formatDelta(a.firstRunBytes)} on its only run`;
    case 'flat':
      return `${a.name}: no steady growth, ${formatDelta(a.retainedBytes)} over ${a.runs} runs`;
    case 'shared':
      return describeShared(a);
  }
}

/** A type whose runs overlapped others in its process: its own figure from the regression, when there is one. */
function describeShared(a: Attribution): string {
  const share = `${Math.round((a.overlappedShare ?? 1) * 100)}% of its runs overlapped other tasks in its process`;
  if (a.ownBytesPerRun === undefined || !a.ownBytesPerRunCI) return `${a.name}: no figure of its own: ${share} (which moved ${formatDelta(a.repeatBytesPerRun)} a run)`;
  const [low, high] = a.ownBytesPerRunCI;
  const what = low > 0 ? 'leak' : high < PAGE_BYTES ? 'no growth of its own' : 'not told from 0';
  return `${a.name}: ${formatDelta(a.ownBytesPerRun)} a run of its own (95% CI ${formatDelta(low)}..${formatDelta(high)}; ${what}), told apart from its neighbours: ${share}`;
}
