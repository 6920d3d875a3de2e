// Growth per task type: the first run of a type (imports, caches priming) apart from its
// repeat runs, where memory that keeps coming is a leak.
import type { Attribution, TaskRecord } from '../model.js';
import { formatDelta } from '../units.js';
import { median, robustSigmaInPlace } from './stats.js';

/** RSS moves in 4 KB pages: a smaller delta is never evidence of anything. */
const PAGE_BYTES = 4096;
/** A first run must add at least 64 KB (16 pages) to count as warm-up rather than noise. */
const MIN_WARM_UP_BYTES = 16 * PAGE_BYTES;
/** Repeats count as a leak only when at least two thirds of them add memory, not just their median. */
const CONSISTENT_SHARE = 2 / 3;

const deltaOf = (task: TaskRecord): number | null => task.treeDeltaBytes ?? task.deltaBytes;

/** What attribution keeps of one task type's runs: numbers only, so 10^6 tasks cost 8 B each. */
interface TypeRuns {
  runs: number;
  firstRunBytes: number | null;
  /** Deltas of the repeat runs that have one, in order. */
  repeats: number[];
  retainedBytes: number;
}

/**
 * The run's per-task noise: the robust σ of every repeat delta around the median of its own
 * task type, pooled over types. Never below one page.
 */
function runNoise(groups: Map<string, TypeRuns>): number {
  // One typed array sized once, whose median and spread are taken in place: at 10^6 tasks the
  // pooled residuals are 8 MB, where a pushed array and its copies were several times that.
  let size = 0;
  for (const { repeats } of groups.values()) if (repeats.length >= 2) size += repeats.length;
  const residuals = new Float64Array(size);
  let at = 0;
  for (const { repeats } of groups.values()) {
    if (repeats.length < 2) continue;
    const centre = median(repeats);
    for (const delta of repeats) residuals[at++] = delta - centre;
  }
  const sigma = residuals.length >= 2 ? robustSigmaInPlace(residuals) : 0;
  return Math.max(PAGE_BYTES, sigma);
}

function attributeType(name: string, { runs, firstRunBytes, repeats, retainedBytes }: TypeRuns, noise: number): Attribution {
  const repeatBytesPerRun = repeats.length > 0 ? median(repeats) : null;
  // "≈ 0": within 3 standard errors of the median repeat (σ/√m) of zero, and never below a page.
  const zeroBand = Math.max(PAGE_BYTES, (3 * noise) / Math.sqrt(Math.max(1, repeats.length)));
  let kind: Attribution['kind'] = 'flat';
  if (runs === 1) {
    kind = 'single-run';
  } else if (
    repeats.length >= 2 &&
    repeatBytesPerRun! > zeroBand &&
    repeats.filter((d) => d > 0).length >= CONSISTENT_SHARE * repeats.length
  ) {
    kind = 'leak';
  } else if (
    firstRunBytes !== null &&
    firstRunBytes - (repeatBytesPerRun ?? 0) > Math.max(MIN_WARM_UP_BYTES, 3 * noise) &&
    Math.abs(repeatBytesPerRun ?? 0) <= zeroBand
  ) {
    kind = 'warm-up';
  }
  return { name, runs, firstRunBytes, repeatBytesPerRun, retainedBytes, kind };
}

/** One entry per task name, sorted by the memory it retained, largest first. One pass over the tasks. */
export function attribute(tasks: Iterable<TaskRecord>): Attribution[] {
  const groups = new Map<string, TypeRuns>();
  for (const task of tasks) {
    const delta = deltaOf(task);
    const group = groups.get(task.name);
    if (!group) {
      groups.set(task.name, { runs: 1, firstRunBytes: delta, repeats: [], retainedBytes: delta ?? 0 });
      continue;
    }
    group.runs++;
    if (delta !== null) {
      group.repeats.push(delta);
      group.retainedBytes += delta;
    }
  }
  const noise = runNoise(groups);
  return [...groups]
    .map(([name, group]) => attributeType(name, group, noise))
    .sort((a, b) => b.retainedBytes - a.retainedBytes || a.name.localeCompare(b.name));
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
  }
}
