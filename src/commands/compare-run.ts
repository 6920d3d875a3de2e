// One mode of `compare --tasks`: the whole task stream, split over worker processes as the mode
// says, sampled on one time axis and judged as `watch` would.
import type { MemoryLimit, MetricName, ModeResult } from '../model.js';
import { SpawnError } from '../errors.js';
import { attribute, judgeRun } from '../detect/index.js';
import { FINAL_POINTS } from '../series/decimate.js';
import type { TaskSpec } from '../protocol/tasks.js';
import { openBoundaryRouter } from '../runner/boundary-router.js';
import { chunk, modeEnv, tasksPerProcess, type Mode } from '../runner/modes.js';
import { Recorder, type SampleSink } from '../runner/recorder.js';
import { runSession, workerEnv, type SessionOptions, type SessionOutcome } from '../runner/session.js';
import { createSparePool, MAX_SPARES } from '../runner/spare.js';
import { adviseSpares, type SpareStart } from './compare-spares.js';
import { SessionSeries } from '../runner/session-series.js';
import { perTaskSeries } from '../runner/task-series.js';
import { ForkHazardWatch } from '../runner/fork-hazards.js';
import type { SamplerFactory } from '../sampler/types.js';
import { seriesOf } from './result.js';
import { childReuse } from '../detect/task-processes.js';
import { prepareInstrumentation, type Instrumentation } from '../runner/instrument.js';
import { callersEnvironment } from '../allocator-tuning.js';
import { treeMetric } from '../series/metric.js';

export interface ModeRunOptions {
  command: string[];
  tasks: TaskSpec[];
  intervalMs: number;
  killAfterMs: number;
  taskTimeoutMs: number;
  children: boolean;
  metric: MetricName;
  limit: MemoryLimit | null;
  spare: boolean;
  /** Load the framework hooks into this mode's workers (--instrument); their notes go in the mode's result. */
  instrument?: boolean;
  /** Preload the heap agent into this mode's Node processes (default true; --no-node-heap). */
  nodeHeap?: boolean;
  samplerFactory: SamplerFactory;
  sink?: SampleSink;
  abort: AbortSignal;
  /** Called after each task ends, for progress. */
  onTask?: (done: number) => void;
  /** Added to the in-process mode's worker environment (--allocations). */
  inProcessEnv?: NodeJS.ProcessEnv;
}

export interface ModeRun {
  result: ModeResult;
  /** fork mode: what the task children inherited that can bite. */
  hazards: string[];
  spawnError?: SpawnError;
  /** compare --variant: the load command could not start. */
  loadError?: SpawnError;
  outcomes: SessionOutcome[];
}

/**
 * What a mode's run opens first, a `--tasks` mode or a `--variant` alike: the boundary channel,
 * the framework hooks (--instrument), and a recorder that sums the metric being judged.
 */
export async function openModeRun(label: string, options: Pick<ModeRunOptions, 'instrument' | 'sink' | 'metric'>) {
  const router = await openBoundaryRouter();
  const instrumentation = options.instrument ? await prepareInstrumentation(callersEnvironment(process.env)) : null;
  const recorder = new Recorder(options.sink ?? null, label);
  recorder.metric = treeMetric(options.metric);
  return { router, instrumentation, recorder, originMs: performance.now() };
}

/** The hooks' notes (what they hooked, what did not fit) into the mode's result; their files removed. */
export async function attachInstrument(result: ModeResult, instrumentation: Instrumentation | null): Promise<void> {
  if (!instrumentation) return;
  result.instrument = await instrumentation.read();
  await instrumentation.close();
}

export async function runMode(mode: Mode, options: ModeRunOptions): Promise<ModeRun> {
  const { router, instrumentation, recorder, originMs } = await openModeRun(mode.label, options);
  // A forked child per task: the tasks' figures are the worker's, without the child of the moment.
  recorder.oneProcessPerTask = mode.kind === 'fork';
  const cpuAtStart = process.cpuUsage();
  const chunks = chunk(options.tasks, tasksPerProcess(mode, options.tasks.length));
  const [command, ...args] = options.command;
  const spares = createSparePool(
    { command: command!, args, env: workerEnv({ ...modeEnv(mode), ...instrumentation?.env, ...(mode.kind === 'in-process' ? options.inProcessEnv : {}) }, router, { command: options.command, nodeHeap: options.nodeHeap !== false }), stdin: 'pipe', output: 'inherit' },
    options.spare && chunks.length > 1,
  );
  const series = new SessionSeries();
  const spareLog: SpareStart[] = [];
  const outcomes: SessionOutcome[] = [];
  const hazards = new ForkHazardWatch();
  const hazardHooks = mode.kind === 'fork' ? forkHazardHooks(hazards) : {};
  let failure: string | undefined;
  let spawnError: SpawnError | undefined;
  try {
    for (const [index, tasks] of chunks.entries()) {
      if (options.abort.aborted) {
        failure = 'interrupted';
        break;
      }
      const remaining = chunks.length - 1 - index;
      const taken = spares.take();
      const takenAtMs = performance.now();
      let started;
      try {
        started = await taken.child;
      } catch (error) {
        if (!(error instanceof SpawnError)) throw error;
        spawnError = error;
        failure = `cannot start the worker: ${error.message}`;
        break;
      }
      let firstTaskStartMs: number | null = null;
      // The replacements start once this worker has its task (or, if it reports no start, once it is
      // done): between tasks a spawn would delay the next one. A worker started on the spot boots
      // first anyway, which hides the spares' spawns: they start at once, with a head start.
      const replenish = (): void => {
        if (!options.abort.aborted) spares.replenish(remaining);
      };
      if (!taken.warm) replenish();
      const outcome = await runSession({
        command: options.command,
        started,
        tasks,
        ...modeSessionSettings(options, mode.label),
        shared: { recorder, router, originMs, series },
        ...hazardHooks,
        onSample: (snapshot) => {
          if (snapshot.event === 'task-start' && firstTaskStartMs === null) {
            firstTaskStartMs = snapshot.elapsedMs;
            replenish();
          }
          if (snapshot.event === 'task-end') options.onTask?.(recorder.completed);
          if (snapshot.event === 'tick') hazards.duringTasks();
        },
      });
      replenish();
      if (firstTaskStartMs !== null) {
        const latest: SpareStart = { warm: taken.warm, startedAtMs: taken.startedAtMs - originMs, takenAtMs: takenAtMs - originMs, firstTaskStartMs };
        spareLog.push(latest);
        learnBootTime(spares, recorder, latest, tasks.length);
      }
      outcomes.push(outcome);
      failure = describeFailure(outcome);
      if (failure) break;
    }
  } finally {
    spares.dispose();
    series.close();
    await router.close();
  }
  const wallMs = performance.now() - originMs;
  const cpu = process.cpuUsage(cpuAtStart);
  const result = modeResult(mode, recorder, options.limit, wallMs, failure);
  if (chunks.length > 1 && options.spare) {
    result.spares = spares.most;
    const advice = failure ? null : adviseSpares(spareLog, spares.most, MAX_SPARES);
    if (advice) result.spareAdvice = advice;
  }
  if (result.tasks.length > 0) result.ownCpuMsPerTask = Math.round(((cpu.user + cpu.system) / 1000 / result.tasks.length) * 100) / 100;
  await attachInstrument(result, instrumentation);
  return {
    result,
    hazards: hazards.notes(),
    outcomes,
    ...(spawnError ? { spawnError } : {}),
  };
}

type SessionSettings = Pick<SessionOptions, 'intervalMs' | 'killAfterMs' | 'taskTimeoutMs' | 'children' | 'metric' | 'samplerFactory' | 'abort' | 'nodeHeap'>;

/** What every session of a comparison takes from its options, a `--tasks` mode or a `--variant` alike. */
export function modeSessionSettings(options: SessionSettings, label: string): SessionSettings & Pick<SessionOptions, 'mode' | 'relay'> {
  const { intervalMs, killAfterMs, taskTimeoutMs, children, metric, samplerFactory, abort, nodeHeap } = options;
  // compare relays signals itself (one Ctrl-C ends every mode), so no session relays them.
  return { intervalMs, killAfterMs, taskTimeoutMs, children, metric, samplerFactory, abort, mode: label, relay: false, ...(nodeHeap !== undefined ? { nodeHeap } : {}) };
}

/**
 * The session hooks that look at a forking worker's task children (Linux) for what they
 * inherited that can bite, at each task's start and end; none elsewhere.
 */
export function forkHazardHooks(watch: ForkHazardWatch): Pick<SessionOptions, 'onTaskStart' | 'onTaskEnd'> {
  if (process.platform !== 'linux') return {};
  return {
    onTaskStart: (event, rootPid) => watch.taskStarted(rootPid, event.pid),
    onTaskEnd: (event) => watch.taskEnded(event.pid),
  };
}

/**
 * Boot time: from the task line to the task's start (a spare has a head start, so this
 * underestimates: fine, more spares follow while tasks still wait). A spare is needed once per
 * worker, so it is set against a worker's turn: its tasks (N under recycle:N) times a task's time.
 */
function learnBootTime(spares: { observe(bootMs: number, turnMs: number): void }, recorder: Recorder, latest: SpareStart, tasksPerWorker: number): void {
  const taskMs = recorder.recentTasks.medianDurationMs(20);
  if (taskMs !== null) spares.observe(latest.firstTaskStartMs - latest.takenAtMs, taskMs * tasksPerWorker);
}

export function describeFailure(outcome: SessionOutcome): string | undefined {
  if (outcome.stoppedBy === 'task-timeout') return `task ${outcome.unfinished?.inFlight ?? '?'} timed out and was killed`;
  if (outcome.stoppedBy === 'signal') return 'interrupted';
  const { code, signal } = outcome.exit;
  if (signal) return `the worker was killed by ${signal}${outcome.unfinished?.inFlight ? ` during task ${outcome.unfinished.inFlight}` : ''}`;
  if (code !== 0) return `the worker exited with code ${code}${outcome.unfinished?.inFlight ? ` during task ${outcome.unfinished.inFlight}` : ''}`;
  if (outcome.unfinished) return `the worker exited with ${outcome.unfinished.neverRan + (outcome.unfinished.inFlight ? 1 : 0)} task(s) not done`;
  return undefined;
}

export function modeResult(mode: Mode, recorder: Recorder, limit: MemoryLimit | null, wallMs: number, failure: string | undefined): ModeResult {
  // Tasks that ended with a reading, in the order they ended: one pass over the spilled records,
  // read by the verdict and the mode's figures alike.
  const perTask = perTaskSeries(recorder.tasks);
  const peak = recorder.peakTreeRssBytes ?? 0;
  // leakhunt feeds a mode's tasks back to back, or a --load drives its variant: time there is
  // this run's pace (Verdict.dispatched).
  const verdict = { ...judgeRun(seriesOf(recorder.totals.series('withProcesses', 0, FINAL_POINTS), perTask, limit, failure !== undefined, recorder.metric)), dispatched: true };
  const result: ModeResult = {
    mode: mode.label,
    verdict,
    tasks: recorder.tasks,
    samples: recorder.samples,
    processes: recorder.processSummaries(),
    ...(recorder.processesOmitted > 0 ? { processesOmitted: recorder.processesOmitted } : {}),
    // One task per process: nothing is carried from one task to the next, so there is no
    // retained growth to attribute (a task's delta there is its whole cost, freed at exit).
    attribution: mode.kind === 'isolated' ? [] : attribute(recorder.tasks, { runStable: verdict.status === 'stable' }),
    baselineBytes: perTask?.firstBytes ?? null,
    finalBytes: perTask?.lastBytes ?? null,
    peakTreeRssBytes: peak > 0 ? peak : null,
    msPerTask: perTask ? Math.round((wallMs / perTask.count) * 100) / 100 : null,
    wallMs: Math.round(wallMs),
  };
  if (failure) result.failure = failure;
  const reused = childReuse(result.tasks, result.processes);
  if (reused) result.reusedChild = reused;
  return result;
}
