// The data every part of leakhunt shares: what a sample, a task and a run are.
// The JSON report is RunResult serialised as is, so renaming a field here breaks
// the report schema (DESIGN.md, "Files"). Add fields freely; never rename.

export const REPORT_SCHEMA = 'leakhunt/report@1';

/** Which memory figure drives the verdict and the charts. */
export type MetricName = 'rss' | 'pss' | 'uss' | 'heap';

/** Why a sample was taken. */
export type SampleEvent = 'tick' | 'start' | 'exit' | 'task-start' | 'task-end';

/** One process as a sampler saw it at one instant. A metric the platform could not give is null, never 0. */
export interface ProcessReading {
  pid: number;
  ppid: number;
  /** Start time in clock ticks since boot (Linux) or any value that, with pid, names one process. */
  startTime: number;
  command: string;
  rssBytes: number | null;
  vmsBytes: number | null;
  peakRssBytes: number | null;
  fds: number | null;
  threads: number | null;
  /** Kernel state letter where the platform gives it ('R', 'S', 'Z', ...). */
  state?: string;
  /** Only with --metric pss|uss (smaps_rollup). */
  pssBytes?: number | null;
  ussBytes?: number | null;
}

/** One row of the samples table: one process at one sample. */
export interface Sample extends ProcessReading {
  /** Sample sequence number; every row of one tree snapshot shares it. */
  seq: number;
  elapsedMs: number;
  event: SampleEvent;
  task?: string;
  name?: string;
  mode?: string;
}

/**
 * A run's table of rows, read by iterating (each pass reads them afresh). A run read back from a
 * file holds a plain array; a run being recorded spills its rows to disk (runner/spill-rows.ts),
 * so a day-long watch keeps no per-sample objects in memory, nor 10^6 tasks any per-task ones.
 */
export interface Rows<T> extends Iterable<T> {
  readonly length: number;
}

export type SampleRows = Rows<Sample>;

/** All processes of the tree at one instant. */
export interface Snapshot {
  seq: number;
  elapsedMs: number;
  event: SampleEvent;
  task?: string;
  name?: string;
  processes: ProcessReading[];
  /** Sum of rssBytes over the tree (null readings count as 0 here and are flagged by `partial`). */
  treeRssBytes: number;
  /** How long the sampler took, to flag slow ticks. */
  readMs: number;
}

/** One task, from its start boundary to its end boundary. */
export interface TaskRecord {
  task: string;
  name: string;
  pid: number | null;
  startMs: number;
  endMs: number | null;
  durationMs: number | null;
  ok: boolean | null;
  /** RSS of the process that ran the task. */
  rssBeforeBytes: number | null;
  rssAfterBytes: number | null;
  deltaBytes: number | null;
  /** RSS of the whole tree. */
  treeRssBeforeBytes: number | null;
  treeRssAfterBytes: number | null;
  treeDeltaBytes: number | null;
  /** Figures the worker reported from inside (heapUsed, modules, ...). */
  metrics?: Record<string, number | string | string[]>;
  mode?: string;
}

/** A run's tasks, in the order they ended (tasks still running at the end come last, in the order they started). */
export type TaskRows = Rows<TaskRecord>;

/** The life of one process over the run. */
export interface ProcessSummary {
  pid: number;
  ppid: number;
  startTime: number;
  command: string;
  firstMs: number;
  lastMs: number;
  firstRssBytes: number | null;
  lastRssBytes: number | null;
  peakRssBytes: number | null;
  lastVmsBytes: number | null;
  growthBytes: number | null;
  samples: number;
  /** Still alive when the main worker exited (and so terminated by leakhunt). */
  leftover?: boolean;
}

export type VerdictStatus = 'leak' | 'suspect' | 'stable' | 'insufficient';

export interface MemoryLimit {
  bytes: number;
  source: 'flag' | 'cgroup-v2' | 'cgroup-v1';
}

export interface Projection {
  /** Range across the slope's confidence interval; null when the bound never reaches the limit. */
  tasksToLimit: [number | null, number | null] | null;
  secondsToLimit: [number | null, number | null] | null;
}

export interface Verdict {
  status: VerdictStatus;
  /** Human reason, e.g. "sustained growth", "decelerating", "step", "noisy", "too few tasks". */
  reason: string;
  /** Which series decided: 'tree-rss', 'heap', or 'process:<pid>'. */
  series: string;
  bytesPerTask: number | null;
  bytesPerTaskCI: [number, number] | null;
  bytesPerHour: number | null;
  bytesPerHourCI: [number, number] | null;
  /** Test statistics behind the verdict. */
  statistic?: { mannKendallZ: number; pValue: number; lag1: number; blocks: number; blockSize: number };
  /** The part of the run analysed. */
  window?: { from: number; to: number; unit: 'task' | 'ms' };
  limit: MemoryLimit | null;
  projection: Projection | null;
  /** True when the run was cut short (crash, kill): the verdict covers what was recorded. */
  incomplete?: boolean;
}

/** Growth per task type: the first run (imports, warm-up) apart from its repeats (a true leak). */
export interface Attribution {
  name: string;
  runs: number;
  firstRunBytes: number | null;
  repeatBytesPerRun: number | null;
  /** Sum of deltas over all runs: what this type retained. */
  retainedBytes: number;
  kind: 'warm-up' | 'leak' | 'flat' | 'single-run';
}

export interface ExitStatus {
  code: number | null;
  signal: string | null;
  /** Set when the worker could not start (ENOENT, EACCES). */
  startError?: string;
}

export interface ProtocolStats {
  /** Boundary lines that could not be parsed (bad JSON, unknown event). */
  malformed: number;
  /** Lines longer than the 4096-byte cap, dropped. */
  oversized: number;
}

export interface RunResult {
  schema: typeof REPORT_SCHEMA;
  tool: { name: 'leakhunt'; version: string };
  command: string[];
  startedAt: string;
  endedAt: string;
  durationMs: number;
  intervalMs: number;
  metric: MetricName;
  platform: string;
  sampler: string;
  exit: ExitStatus;
  /** The run was cut short: a crash, a kill, a lost worker. */
  incomplete: boolean;
  samples: SampleRows;
  tasks: TaskRows;
  processes: ProcessSummary[];
  /** Processes seen but not listed in `processes`: short-lived ones dropped past the cap (runner/recorder.ts). */
  processesOmitted?: number;
  verdict: Verdict;
  attribution: Attribution[];
  protocol: ProtocolStats;
  /** Tasks that were dispatched but never finished, when the worker exited early. */
  unfinished?: { inFlight: string | null; neverRan: number };
  /** Processes that vanished between listing and reading (counted, dropped). */
  vanished: number;
  /** Ticks that took longer than the interval. */
  slowTicks: number;
  /** Only for a comparison: one entry per mode. */
  modes?: ModeResult[];
  /** Gate results, when a gate was asked for. */
  gates?: GateResult[];
}

export interface ModeResult {
  mode: string;
  verdict: Verdict;
  tasks: TaskRows;
  samples: SampleRows;
  processes: ProcessSummary[];
  processesOmitted?: number;
  attribution: Attribution[];
  /** Memory held after the first task, and after the last. */
  baselineBytes: number | null;
  finalBytes: number | null;
  peakTreeRssBytes: number | null;
  msPerTask: number | null;
  wallMs: number;
  /** Warm workers kept started ahead of the running one (isolated, recycle:N), at the most. */
  spares?: number;
  /** leakhunt's own CPU time (its process: sampling, dispatch, spawning) per task over the mode: shown beside msPerTask, never in it. */
  ownCpuMsPerTask?: number;
  /** Set when the mode could not run to the end (spawn failure, crash, timeout). */
  failure?: string;
}

export interface GateResult {
  gate: string;
  passed: boolean;
  message: string;
}
