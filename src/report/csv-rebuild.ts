// A RunResult rebuilt from CSV rows: what `report run.csv` and `compare a.csv b.csv` read. Pure.
//
// The samples CSV does not hold the verdict, the attribution or the exit status; the caller
// passes the functions that compute the first two, and the rest is marked unknown. Tasks come
// from the per-task rows when given, else from the task-start / task-end event rows; rebuilt that
// way a task has no `ok` (null), and its process is the tree's root at that sample.
import {
  REPORT_SCHEMA,
  type Attribution,
  type ModeResult,
  type RunResult,
  type Sample,
  type TaskRecord,
  type Verdict,
} from '../model.js';
import { summariseProcesses, treeSeries, type TreePoint } from '../series/rows.js';

export interface RebuildOptions {
  /** Per-task rows, e.g. from the .tasks.csv next to the samples file. */
  tasks?: TaskRecord[] | null;
  /** The samples file ended mid-record: a crash cut it short. */
  incomplete: boolean;
  /** When the file was last written, to date the run (the CSV carries elapsed times only). */
  endedAt: Date;
  judge?: (run: RunResult) => Verdict;
  attribute?: (tasks: TaskRecord[]) => Attribution[];
}

const notJudged = (incomplete: boolean): Verdict => ({
  status: 'insufficient', reason: 'not judged', series: 'tree-rss', bytesPerTask: null, bytesPerTaskCI: null,
  bytesPerHour: null, bytesPerHourCI: null, limit: null, projection: null, ...(incomplete ? { incomplete } : {}),
});

/** The process that ran the tree at one sample: the row whose parent is outside the tree. */
function rootRow(rows: Sample[]): Sample | undefined {
  const pids = new Set(rows.map((row) => row.pid));
  return rows.find((row) => !pids.has(row.ppid)) ?? rows[0];
}

/** Tasks from the boundary samples, in the order they started. */
export function tasksFromEvents(samples: Sample[]): TaskRecord[] {
  const rowsBySeq = new Map<string, Sample[]>();
  for (const row of samples) {
    const key = `${row.mode ?? ''}\u0000${row.seq}`;
    let rows = rowsBySeq.get(key);
    if (!rows) rowsBySeq.set(key, (rows = []));
    rows.push(row);
  }
  const tasks = new Map<string, TaskRecord>();
  for (const point of treeSeries(samples)) {
    if ((point.event !== 'task-start' && point.event !== 'task-end') || point.task === undefined) continue;
    const rows = rowsBySeq.get(`${point.mode ?? ''}\u0000${point.seq}`) ?? [];
    const key = `${point.mode ?? ''}\u0000${point.task}`;
    const known = tasks.get(key);
    if (point.event === 'task-start') {
      const root = rootRow(rows);
      tasks.set(key, {
        task: point.task, name: point.name ?? '', pid: root?.pid ?? null, startMs: point.elapsedMs, endMs: null,
        durationMs: null, ok: null, rssBeforeBytes: root?.rssBytes ?? null, rssAfterBytes: null, deltaBytes: null,
        treeRssBeforeBytes: point.treeRssBytes, treeRssAfterBytes: null, treeDeltaBytes: null,
        ...(point.mode !== undefined ? { mode: point.mode } : {}),
      });
    } else if (known) {
      const after = rows.find((row) => row.pid === known.pid)?.rssBytes ?? rootRow(rows)?.rssBytes ?? null;
      known.endMs = point.elapsedMs;
      known.durationMs = point.elapsedMs - known.startMs;
      known.rssAfterBytes = after;
      known.deltaBytes = after !== null && known.rssBeforeBytes !== null ? after - known.rssBeforeBytes : null;
      known.treeRssAfterBytes = point.treeRssBytes;
      known.treeDeltaBytes = known.treeRssBeforeBytes !== null ? point.treeRssBytes - known.treeRssBeforeBytes : null;
    }
  }
  return [...tasks.values()];
}

/** The typical gap between interval samples, from the tick events. */
function medianTickGap(points: TreePoint[]): number {
  const ticks = points.filter((p) => p.event === 'tick');
  const gaps = ticks.slice(1).map((p, i) => p.elapsedMs - ticks[i]!.elapsedMs).filter((gap) => gap > 0).sort((a, b) => a - b);
  return gaps.length ? gaps[Math.floor(gaps.length / 2)]! : 0;
}

function baseRun(samples: Sample[], tasks: TaskRecord[], options: RebuildOptions): RunResult {
  const points = treeSeries(samples);
  const durationMs = samples.length ? samples.at(-1)!.elapsedMs - samples[0]!.elapsedMs : 0;
  const inFlight = tasks.find((t) => t.endMs === null);
  const first = points[0] && rootRow(samples.filter((row) => row.seq === points[0]!.seq && row.mode === points[0]!.mode));
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'leakhunt', version: 'unknown' },
    command: first ? [first.command] : [],
    startedAt: new Date(options.endedAt.getTime() - durationMs).toISOString(),
    endedAt: options.endedAt.toISOString(),
    durationMs,
    intervalMs: medianTickGap(points),
    metric: 'rss',
    platform: '',
    sampler: 'csv',
    exit: { code: null, signal: null },
    incomplete: options.incomplete,
    samples,
    tasks,
    processes: summariseProcesses(samples),
    verdict: notJudged(options.incomplete),
    attribution: options.attribute?.(tasks) ?? [],
    protocol: { malformed: 0, oversized: 0 },
    ...(options.incomplete && inFlight ? { unfinished: { inFlight: inFlight.task, neverRan: 0 } } : {}),
    vanished: 0,
    slowTicks: 0,
  };
}

function judged(run: RunResult, options: RebuildOptions): RunResult {
  if (options.judge) run.verdict = { ...options.judge(run), ...(options.incomplete ? { incomplete: true } : {}) };
  return run;
}

function modeResult(mode: string, run: RunResult): ModeResult {
  const ended: number[] = [];
  for (const task of run.tasks) if (task.treeRssAfterBytes !== null) ended.push(task.treeRssAfterBytes);
  const peak = treeSeries(run.samples).reduce((max, p) => Math.max(max, p.treeRssBytes), -Infinity);
  return {
    mode,
    verdict: run.verdict,
    tasks: run.tasks,
    samples: run.samples,
    processes: run.processes,
    attribution: run.attribution,
    baselineBytes: ended[0] ?? null,
    finalBytes: ended.at(-1) ?? null,
    peakTreeRssBytes: Number.isFinite(peak) ? peak : null,
    msPerTask: ended.length ? run.durationMs / ended.length : null,
    wallMs: run.durationMs,
  };
}

/**
 * The run the rows describe. Rows carrying a mode make a comparison: one ModeResult per mode, in
 * the order they appear, each judged alone; the top-level verdict is in-process's (or the first
 * mode's), the mode every other one is compared with.
 */
export function rebuildRun(samples: Sample[], options: RebuildOptions): RunResult {
  const tasks = options.tasks ?? tasksFromEvents(samples);
  const modeNames = [...new Set(samples.map((s) => s.mode).filter((m): m is string => m !== undefined))];
  if (modeNames.length === 0) return judged(baseRun(samples, tasks, options), options);
  const modes = modeNames.map((mode) => {
    const own = baseRun(samples.filter((s) => s.mode === mode), tasks.filter((t) => t.mode === mode), options);
    return modeResult(mode, judged(own, options));
  });
  const run = baseRun(samples, tasks, options);
  run.modes = modes;
  run.verdict = (modes.find((m) => m.mode === 'in-process') ?? modes[0]!).verdict;
  return run;
}
