// judgeRun: picks the series that decides, and turns its verdict into the report's Verdict.
import type { Verdict, VerdictStatus } from '../model.js';
import { projectToLimit } from './projection.js';
import { HOUR_MS, resolveSettings, type Settings } from './thresholds.js';
import type { DetectorOptions, RunSeries } from './types.js';
import type { SeriesData, SeriesVerdict } from './series-verdict.js';
import { judgeSeries } from './verdict.js';

const SEVERITY: Record<VerdictStatus, number> = { insufficient: 0, stable: 1, suspect: 2, leak: 3 };

/**
 * A series without its missing points (a metric the platform could not read, a heap figure a
 * task did not send). Positions default to task numbers 1, 2, …. A figure of 0 bytes is missing
 * too: no live process holds none, so it is an empty tree (a self-driven worker that exited
 * before leakhunt read its last boundaries, a sample after the exit), and judged as memory it
 * would read as all memory given back, a leak as flat.
 */
function series(kind: SeriesData['kind'], label: string, values: ArrayLike<number>, positions?: ArrayLike<number>, firstRuns?: ArrayLike<number>): SeriesData {
  // Typed, sized once and trimmed by a view, and filled by a plain loop (see stats.ts,
  // robustSigma): a 10^6-task run's final verdict holds this series (16 B a point), and as plain
  // arrays grown by push its copies left several times that behind.
  const kept = { positions: new Float64Array(values.length), values: new Float64Array(values.length) };
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const position = positions ? positions[i] : i + 1;
    if (Number.isFinite(value) && value > 0 && position !== undefined && Number.isFinite(position)) {
      kept.positions[count] = position;
      kept.values[count] = value;
      count++;
    }
  }
  const data: SeriesData = { kind, label, positions: kept.positions.subarray(0, count), values: kept.values.subarray(0, count) };
  if (firstRuns) data.firstRuns = firstRuns;
  return data;
}

/** Long-lived processes whose own series reads `leak`, so a leaking child hidden by the tree total shows. */
function leakingProcess(input: RunSeries, settings: Settings): SeriesVerdict | null {
  const ms = input.timeSeries.ms;
  const span = ms.length > 1 ? ms[ms.length - 1]! - ms[0]! : 0;
  for (const proc of input.processes ?? []) {
    const lived = proc.ms.length > 1 ? proc.ms[proc.ms.length - 1]! - proc.ms[0]! : 0;
    if (span <= 0 || lived < settings.thresholds.longProcessFraction * span) continue;
    const verdict = judgeSeries(series('time', `process:${proc.pid}`, proc.values, proc.ms), settings);
    if (verdict.status === 'leak') return verdict;
  }
  return null;
}

/**
 * RSS that the heap may call stable: undecided (not `leak`, not `stable`), and its lower envelope
 * moved by at most ALLOCATOR_SHARE of the memory held. A heap after GC that holds flat says the
 * program keeps nothing; RSS can still shift by an allocator's arena or V8's committed pages as
 * memory churns (1–4 MB of Buffers a task moved a 49 MB Node worker's RSS by 1.0–1.3% in steps,
 * with the heap flat to 10 KB). Twice the stable rule's 1%: that rule has no witness, this one
 * has the heap. A larger move is RSS's to explain (native memory the heap does not see).
 */
const ALLOCATOR_SHARE = 0.02;

function allocatorMove(rss: SeriesVerdict): boolean {
  return (rss.status === 'insufficient' || rss.status === 'suspect') && rss.envelopeSpread !== undefined && rss.envelopeSpread <= ALLOCATOR_SHARE;
}

/**
 * Memory V8 tracks off its heap (Node's `external`: Buffers' backing stores) shows in RSS and not
 * in heapUsed: where the worker sends it, the heap and it together must read stable too, or a
 * Buffer leak small enough to stay under ALLOCATOR_SHARE would be called the allocator's.
 */
function externalHeld(input: RunSeries, settings: Settings): boolean {
  if (!input.heapWithExternalPerTask?.length) return true;
  const withExternal = series('heap-task', 'heap+external', input.heapWithExternalPerTask, input.heapPositions, input.perTask?.firstRuns);
  return judgeSeries(withExternal, settings).status === 'stable';
}

/** The heap's stable verdict, its reason saying how far RSS moved. */
function heapWitnessed(heap: SeriesVerdict, rss: SeriesVerdict): SeriesVerdict {
  const moved = `${((rss.envelopeSpread ?? 0) * 100).toFixed(1)}%`;
  return { ...heap, reason: `${heap.reason} in the heap after GC; RSS moved by ${moved} of the memory held (the allocator)` };
}

/**
 * The deciding series: per task once there are enough tasks to judge (the task boundaries see
 * an idle worker, so they are the cleanest RSS figures), else the time series. The heap may
 * then overrule.
 */
function decide(input: RunSeries, settings: Settings): SeriesVerdict {
  const tree = input.treeSeries ?? 'tree-rss';
  const firstRuns = input.perTask?.firstRuns;
  const tasks = series('rss-task', tree, input.perTask?.values ?? [], input.perTask?.positions, firstRuns);
  let primary = judgeSeries(
    tasks.values.length >= settings.thresholds.minPoints ? tasks : series('time', tree, input.timeSeries.values, input.timeSeries.ms),
    settings,
  );
  // The heap after GC is far less noisy: it may decide sooner, but it never clears RSS growth
  // (native memory, buffers and allocator growth show only in RSS). So the more severe wins.
  if (input.heapPerTask?.length) {
    const heap = judgeSeries(series('heap-task', 'heap', input.heapPerTask, input.heapPositions, firstRuns), settings);
    // Only a heap `leak` or `suspect` overrules: a quiet heap must not turn RSS's
    // "growing, too early to tell" into `stable`, unless RSS moved no more than an allocator does.
    if ((heap.status === 'leak' || heap.status === 'suspect') && SEVERITY[heap.status] > SEVERITY[primary.status]) primary = heap;
    else if (heap.status === 'stable' && allocatorMove(primary) && externalHeld(input, settings)) primary = heapWitnessed(heap, primary);
  }
  if (primary.status !== 'leak') primary = leakingProcess(input, settings) ?? primary;
  return primary;
}

/**
 * Tasks per hour over the window [from, to] (task numbers), from the end times of its first and
 * last points; over the whole run when the window holds fewer than two.
 */
function tasksPerHour(perTask: RunSeries['perTask'], from: number, to: number): number | null {
  const n = perTask?.endMs.length ?? 0;
  if (!perTask || n < 2) return null;
  const { endMs, positions } = perTask;
  let first = 0;
  while (first < n - 1 && taskNumber(positions, first) < from) first++;
  let last = n - 1;
  while (last > 0 && taskNumber(positions, last) > to) last--;
  if (last - first < 1) [first, last] = [0, n - 1];
  const elapsed = endMs[last]! - endMs[first]!;
  return elapsed > 0 ? ((taskNumber(positions, last) - taskNumber(positions, first)) * HOUR_MS) / elapsed : null;
}

/**
 * The task number of point i. A function of the module, not a closure made per call: the live
 * verdict runs this over up to 100,000 points at each check (see stats.ts, robustSigma).
 */
function taskNumber(positions: ArrayLike<number> | undefined, i: number): number {
  return positions ? positions[i]! : i + 1;
}

const scaleCI = (ci: [number, number] | null, factor: number | null): [number, number] | null =>
  ci === null || factor === null ? null : [ci[0] * factor, ci[1] * factor];

/** Judge a run (or the part recorded so far): pure, no I/O. */
export function judgeRun(input: RunSeries, options?: DetectorOptions): Verdict {
  const settings = resolveSettings(options);
  const decided = decide(input, settings);
  let bytesPerTask: number | null = null;
  let bytesPerTaskCI: [number, number] | null = null;
  let bytesPerHour: number | null = null;
  let bytesPerHourCI: [number, number] | null = null;
  if (decided.slope !== null && decided.unit === 'task') {
    const window = decided.window;
    const rate = tasksPerHour(input.perTask, window?.from ?? 1, window?.to ?? Infinity);
    [bytesPerTask, bytesPerTaskCI] = [decided.slope, decided.ci];
    bytesPerHour = rate === null ? null : decided.slope * rate;
    bytesPerHourCI = scaleCI(decided.ci, rate);
  } else if (decided.slope !== null) {
    [bytesPerHour, bytesPerHourCI] = [decided.slope * HOUR_MS, scaleCI(decided.ci, HOUR_MS)];
    // Tasks known but too few to decide: the same growth expressed per task, at the observed rate.
    const rate = tasksPerHour(input.perTask, 1, Infinity);
    if (rate !== null) [bytesPerTask, bytesPerTaskCI] = [bytesPerHour / rate, scaleCI(bytesPerHourCI, 1 / rate)];
  }
  const projection =
    input.limit && input.currentBytes !== null && (bytesPerTaskCI || bytesPerHourCI)
      ? projectToLimit({ limitBytes: input.limit.bytes, currentBytes: input.currentBytes, bytesPerTaskCI, bytesPerHourCI })
      : null;
  const verdict: Verdict = {
    status: decided.status,
    reason: decided.reason,
    series: decided.label,
    bytesPerTask,
    bytesPerTaskCI,
    bytesPerHour,
    bytesPerHourCI,
    limit: input.limit,
    projection,
  };
  if (decided.statistic) verdict.statistic = decided.statistic;
  if (decided.window) verdict.window = decided.window;
  if (decided.explanation) verdict.explanation = decided.explanation;
  if (input.incomplete) verdict.incomplete = true;
  return verdict;
}
