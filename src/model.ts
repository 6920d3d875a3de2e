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
  /** With --metric pss|uss: the sum of that figure over the tree (null readings count as 0). */
  treeMetricBytes?: number;
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
  /**
   * The tree's change over the task, when it is the task's own: null when a task of another
   * process ran at the same time (then deltaBytes, its own process's change, is its figure) or
   * when the task's process was gone at its end sample (no figure at all).
   */
  treeDeltaBytes: number | null;
  /** With --metric pss (or uss): the tree's PSS (USS) before and after, what the verdict then reads. */
  treePssBeforeBytes?: number | null;
  treePssAfterBytes?: number | null;
  treeUssBeforeBytes?: number | null;
  treeUssAfterBytes?: number | null;
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
  /**
   * True when this run set the pace of the work: leakhunt fed the tasks back to back (`compare`,
   * `watch --tasks`) or a `--load` command drove the worker. Time then measures this run's pace,
   * not the worker's in production, so rates per hour and times to the limit are shown only as
   * "at this run's pace", and per task is the rate that carries over.
   */
  dispatched?: boolean;
  /** Which explanation of the memory fits best, with its numbers (docs/verdict.md). */
  explanation?: Explanation;
}

/** The candidate explanations of a run's memory, compared by BIC. */
export type ExplanationKind = 'per-run-leak' | 'new-task-types' | 'filling-to-cap' | 'step' | 'gc-sawtooth' | 'flat';

export interface ExplanationFit {
  kind: ExplanationKind;
  /** Bayesian information criterion of the fit on the window's lower envelope: lower is better. */
  bic: number;
}

/** The task types behind growth that comes with first runs. */
export interface NewTypesFigures {
  /** Task types seen in the whole run. */
  typesSeen: number;
  /** Share of the run's growth that came at first runs (0..1). */
  firstRunShare: number;
  /** Median change at a repeat run in the window. */
  bytesPerRepeat: number;
  /** First runs in the last quarter of the run, against the pace over the window (1: as many as ever). */
  lateArrivalRatio: number;
  stillArriving: boolean;
  /** Task number of the latest first run. */
  lastNewTypeAt: number;
  /**
   * When the window's rises (task-to-task changes above 3 robust σ) land on first runs beyond
   * chance: how many rises, how many at first runs, the share of tasks that were first runs, and
   * the evidence on the BIC scale (detect/first-run-rises.ts).
   */
  rises?: { count: number; atFirstRuns: number; chance: number; deltaBic: number };
}

export interface Explanation {
  kind: ExplanationKind;
  /** Every candidate that could be fitted, best fit first. */
  fits: ExplanationFit[];
  /** The next explanation when its BIC is within 6 of the chosen one's (deltaBic: its BIC minus the chosen one's). */
  runnerUp: { kind: ExplanationKind; deltaBic: number } | null;
  /** per-run-leak: the fitted rise per task (or per ms for a time series). */
  slope?: number;
  /** new-task-types: bytes each new type adds, and the types' figures. */
  bytesPerNewType?: number;
  newTypes?: NewTypesFigures;
  /** filling-to-cap: the level approached, what is still to come, the time constant (tasks or ms), the end slope over the start slope. */
  cap?: { capBytes: number; bytesToCap: number; timeConstant: number; slowdownRatio: number };
  /** step: where the level shifted (task number or ms) and by how much. */
  steps?: Array<{ at: number; bytes: number }>;
  /** gc-sawtooth: the typical spacing of the drops (tasks or samples). */
  sawtooth?: { period: number };
}

/** Growth per task type: the first run (imports, warm-up) apart from its repeats (a true leak). */
export interface Attribution {
  name: string;
  runs: number;
  firstRunBytes: number | null;
  repeatBytesPerRun: number | null;
  /** Sum of deltas over all runs: what this type retained. */
  retainedBytes: number;
  /**
   * `shared`: most of its repeats ran beside other tasks in the same process (threads, an async
   * worker's concurrency), so their figures hold the others' allocations too: no figure of its own.
   */
  kind: 'warm-up' | 'leak' | 'flat' | 'single-run' | 'shared';
  /** Share of its repeats that overlapped another task of the same process, when any did. */
  overlappedShare?: number;
  /**
   * `shared` only: the bytes a run of this type keeps, told apart from its neighbours' by least
   * squares over the overlapping runs (detect/shared-runs.ts), with its 95% interval.
   */
  ownBytesPerRun?: number;
  ownBytesPerRunCI?: [number, number];
}

/** One frame of an allocation site's stack, as the worker's helper reported it. */
export interface AllocationFrame {
  file: string;
  line: number;
  function: string;
}

/**
 * An allocation site that keeps memory on every repeat of a task type (--allocations): the
 * innermost frame of its stack, the bytes it keeps per run (a robust slope over the traced
 * repeats) and how many repeats that slope rests on.
 */
export interface AllocationSite {
  /** The task type. */
  name: string;
  file: string;
  line: number;
  function: string;
  bytesPerRun: number;
  runs: number;
  /** Innermost frame first. */
  stack: AllocationFrame[];
}

/** What one worker process's helper recorded under --allocations (protocol/allocation-table.ts). */
export interface SiteRuns {
  /** Innermost frame first. */
  stack: AllocationFrame[];
  /** Bytes kept at this site by each traced run, aligned with the type's `traced`. */
  deltas: number[];
}

export interface TypeRunsTable {
  name: string;
  /** Runs of the type in this process, traced or not. */
  runs: number;
  /** Run numbers of the traced runs, the first run first. */
  traced: number[];
  sites: SiteRuns[];
}

export interface AllocationTable {
  language: string;
  pid: number;
  types: TypeRunsTable[];
}

export interface ExitStatus {
  code: number | null;
  signal: string | null;
  /** Set when the worker could not start (ENOENT, EACCES). */
  startError?: string;
}

/** How the --load command ran: it drives the worker, and its end ends the run. */
export interface LoadResult {
  command: string[];
  /** Its exit; `startError` when it could not start. */
  exit: ExitStatus;
  /** Elapsed ms from the run's start (the worker's), when it started and ended. */
  startMs: number;
  endMs: number | null;
  /** Its last line of stderr, to say why it failed. */
  stderrTail?: string;
  /** Still running when the worker ended, and so ended by leakhunt (not a failure of its own). */
  stopped?: boolean;
}

export interface ProtocolStats {
  /** Boundary lines that could not be parsed (bad JSON, unknown event). */
  malformed: number;
  /** Lines longer than the 4096-byte cap, dropped. */
  oversized: number;
  /** Task ends whose heap figures leakhunt's Node heap agent took (`metrics.heapBy: "agent"`); absent when none. */
  heapByAgent?: number;
}

/** The frameworks --instrument hooks, as their users write them. */
export const INSTRUMENTED_FRAMEWORKS = ['Celery', 'RQ', 'BullMQ'] as const;

/** --instrument: which frameworks the worker's processes imported and the hooks reported. */
export interface InstrumentReport {
  /** Hooked frameworks, with how many processes hooked each (a sandbox pool hooks in every child). */
  hooked: Array<{ framework: string; version: string; processes: number }>;
  /** Frameworks imported in a version the hooks do not fit: their tasks were not reported. */
  unfit: Array<{ framework: string; version: string; detail: string }>;
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
  /** With --load: how the load command ran. */
  load?: LoadResult;
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
  /** Processes of the tree that exited after being listed but before their first reading: in no sample (counted, dropped). */
  vanished: number;
  /** Ticks that took longer than the interval. */
  slowTicks: number;
  /** With --instrument: what the framework hooks did. */
  instrument?: InstrumentReport;
  /** Only for a comparison: one entry per mode. */
  modes?: ModeResult[];
  /** Gate results, when a gate was asked for. */
  gates?: GateResult[];
  /** --allocations: sites that keep memory across repeats, per task type, largest first within a type. */
  allocations?: AllocationSite[];
  /** --allocations: what could not be said (no helper, too few repeats of a type). */
  allocationNotes?: string[];
}

/** Tasks ran in child processes reused for several tasks: the one that ran the most (detect/task-processes.ts). */
export interface TaskProcessReuse {
  pid: number;
  /** Tasks that child ran. */
  tasks: number;
  /** Child processes that ran tasks. */
  children: number;
  /** How far that child rose above its first reading (to its peak). */
  growthBytes: number | null;
}

/** A spare count the run's timings say would have been faster than the one leakhunt kept. */
export interface SpareAdvice {
  /** The most spares leakhunt kept at once. */
  kept: number;
  /** The count the evidence points to. */
  better: number;
  /** 'waited': tasks waited for a warm worker still booting; 'idle': warm workers sat ready longer than a worker's turn. */
  reason: 'waited' | 'idle';
  /** The median wait (waited) or idle time (idle) over the warm workers, in ms. */
  medianMs: number;
  /** The median time between two workers being handed out: a worker's turn (one task, or N under recycle:N), in ms. */
  cycleMs: number;
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
  /** When the run's own timings say another spare count would have been faster (isolated, recycle:N). */
  spareAdvice?: SpareAdvice;
  /** leakhunt's own CPU time (its process: sampling, dispatch, spawning) per task over the mode: shown beside msPerTask, never in it. */
  ownCpuMsPerTask?: number;
  /** Set when the mode could not run to the end (spawn failure, crash, timeout). */
  failure?: string;
  /** With --instrument: what the framework hooks did in this mode's workers. */
  instrument?: InstrumentReport;
  /** Its tasks ran in child processes that were reused (a pool), not one per task. */
  reusedChild?: TaskProcessReuse;
  /** compare --variant: this mode's worker command, and how the load ran against it. */
  command?: string[];
  load?: LoadResult;
  /** The mode the others are measured against (overhead column, --fail-on): in-process, or the first variant. */
  baseline?: boolean;
  /** The mode isolates tasks from each other, so the gate expects it not to grow. */
  isolating?: boolean;
}

export interface GateResult {
  gate: string;
  passed: boolean;
  message: string;
}
