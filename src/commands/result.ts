// A finished session → the RunResult that every writer and renderer reads.
import type { MemoryLimit, MetricName, RunResult, TaskRecord, Verdict } from '../model.js';
import { REPORT_SCHEMA } from '../model.js';
import { attribute, judgeRun, type RunSeries } from '../detect/index.js';
import { FINAL_POINTS } from '../series/decimate.js';
import { processHeapKeeper } from '../heap-keeper.js';
import type { SessionOutcome } from '../runner/session.js';
import { perTaskSeries, type PerTaskSeries } from '../runner/task-series.js';
import type { TimeSeries } from '../runner/tree-totals.js';
import { VERSION } from '../version.js';
import { readingBytes, treeMetric, type TreeMetric } from '../series/metric.js';

export interface RunMeta {
  command: string[];
  intervalMs: number;
  metric: MetricName;
  limit: MemoryLimit | null;
}

/** The series the detector reads, from the tree totals and the tasks' figures. */
export function seriesOf(timeSeries: RunSeries['timeSeries'] & { lastBytes: number | null }, perTask: PerTaskSeries | null, limit: MemoryLimit | null, incomplete: boolean, metric: TreeMetric = 'rss'): RunSeries {
  const series: RunSeries = {
    timeSeries,
    ...(metric !== 'rss' ? { treeSeries: `tree-${metric}` } : {}),
    limit,
    // Memory now is the latest sample, which a decimated series' last point (a group's minimum) is not.
    currentBytes: timeSeries.lastBytes,
    incomplete,
  };
  if (perTask) {
    series.perTask = { values: perTask.values, endMs: perTask.endMs, firstRuns: perTask.firstRuns };
    if (perTask.positions) series.perTask.positions = perTask.positions;
  }
  if (perTask?.heapUsed) series.heapPerTask = perTask.heapUsed;
  if (perTask?.heapUsed && perTask.heapPositions) series.heapPositions = perTask.heapPositions;
  if (perTask?.heapWithExternal) series.heapWithExternalPerTask = perTask.heapWithExternal;
  return series;
}

/** The verdict on a whole run: one pass over its tasks (from disk, for a run being recorded). */
export function judgeSeries(timeSeries: TimeSeries, tasks: Iterable<TaskRecord>, limit: MemoryLimit | null, incomplete: boolean, metric: TreeMetric = 'rss'): Verdict {
  return judgeRun(seriesOf(timeSeries, perTaskSeries(tasks), limit, incomplete, metric));
}

export function buildRunResult(outcome: SessionOutcome, meta: RunMeta): RunResult {
  const { recorder } = outcome;
  // The exit sample comes after the worker is gone; the verdict reads the run up to it.
  const verdict = judgeSeries(recorder.totals.series('allButEmptyExit', 0, FINAL_POINTS), recorder.tasks, meta.limit, outcome.incomplete, recorder.metric);
  // The verdict (at most FINAL_POINTS points a series) and the attribution (8 B a task) leave
  // their working memory as garbage, after reading every task back from disk: quiet points for
  // the CLI's heap keeper.
  const keeper = processHeapKeeper();
  keeper.checkpoint();
  const attribution = attribute(recorder.tasks, { runStable: verdict.status === 'stable' });
  keeper.checkpoint();
  const result: RunResult = {
    schema: REPORT_SCHEMA,
    tool: { name: 'leakhunt', version: VERSION },
    command: meta.command,
    startedAt: outcome.startedAt.toISOString(),
    endedAt: outcome.endedAt.toISOString(),
    durationMs: Math.round(outcome.durationMs),
    intervalMs: meta.intervalMs,
    metric: meta.metric,
    platform: process.platform,
    sampler: outcome.samplerName,
    exit: outcome.exit,
    incomplete: outcome.incomplete,
    samples: recorder.samples,
    tasks: recorder.tasks,
    processes: recorder.processSummaries(),
    ...(recorder.processesOmitted > 0 ? { processesOmitted: recorder.processesOmitted } : {}),
    verdict,
    attribution,
    protocol: outcome.protocol,
    vanished: recorder.vanished,
    slowTicks: recorder.slowTicks + outcome.skippedTicks,
  };
  if (outcome.unfinished) result.unfinished = outcome.unfinished;
  if (outcome.load) result.load = outcome.load;
  return result;
}

/** The detector's series for a run read back from a file: tree totals rebuilt per sample sequence. */
export function seriesFromSamples(run: RunResult): RunSeries {
  const bySeq = new Map<number, { ms: number; bytes: number }>();
  const metric = treeMetric(run.metric);
  for (const s of run.samples) {
    let point = bySeq.get(s.seq);
    if (!point) {
      point = { ms: s.elapsedMs, bytes: 0 };
      bySeq.set(s.seq, point);
    }
    point.bytes += readingBytes(s, metric) ?? 0;
  }
  const points = [...bySeq.values()];
  const timeSeries = { ms: points.map((p) => p.ms), values: points.map((p) => p.bytes), lastBytes: points.at(-1)?.bytes ?? null };
  return seriesOf(timeSeries, perTaskSeries(run.tasks), run.verdict?.limit ?? null, run.incomplete, metric);
}
