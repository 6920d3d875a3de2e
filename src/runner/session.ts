// One run of one worker: spawn (or attach), sample its tree on the interval and at every task
// boundary, relay signals, feed tasks, and end cleanly — whatever the worker does.
import type { ChildProcess } from 'node:child_process';
import type { ExitStatus, LoadResult, MetricName, ProcessSummary, ProtocolStats, Snapshot } from '../model.js';
import type { BoundaryEvent } from '../protocol/message.js';
import type { MarkerSpec } from '../protocol/markers.js';
import type { TaskSpec } from '../protocol/tasks.js';
import type { Sampler, SamplerFactory } from '../sampler/types.js';
import { Recorder, type SampleSink } from './recorder.js';
import { attachOutput, type OutputPump } from './output.js';
import { openBoundaryRouter, type BoundaryRouter } from './boundary-router.js';
import { heapAgentEnv } from './heap-agent-env.js';
import { dispatchTasks, type Dispatcher } from './dispatch.js';
import { relaySignals, type SignalRelay } from './signals.js';
import { startWorker } from './spawn.js';
import { delay, signalPid, signalTree, terminateTree, treeAlive, type TreeHandle } from './terminate.js';
import { startTicker, type Ticker } from './ticker.js';
import { processHeapKeeper } from '../heap-keeper.js';
import { callersEnvironment } from '../allocator-tuning.js';
import { guardGroup, type Watchdog } from './watchdog.js';
import { driveLoad, type LoadHandle } from './load.js';
import { treeMetric } from '../series/metric.js';
import type { SessionSeries } from './session-series.js';

export interface SessionOptions {
  /** The worker to start; absent with attachPid. */
  command?: string[];
  attachPid?: number;
  intervalMs: number;
  durationMs?: number;
  killAfterMs: number;
  children: boolean;
  metric: MetricName;
  samplerFactory: SamplerFactory;
  markers?: MarkerSpec;
  tasks?: TaskSpec[];
  /** Kill the worker when one task takes longer than this. */
  taskTimeoutMs?: number;
  sink?: SampleSink;
  mode?: string;
  offsetMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Relay leakhunt's own signals to the worker (off in compare, which handles them itself). */
  relay?: boolean;
  /** Called once the signal relay is in place (so signals held during start-up can be replayed). */
  onRelayReady?: (relay: SignalRelay) => void;
  /** Called after every sample: drives the live status and the online verdict. */
  onSample?: (snapshot: Snapshot, recorder: Recorder) => void;
  /** Called at every task start, while the task's process is alive (compare inspects fork children). */
  onTaskStart?: (event: BoundaryEvent, rootPid: number) => void;
  /** Called at every task end, once its sample is taken (compare looks again at fork children). */
  onTaskEnd?: (event: BoundaryEvent) => void;
  /** Checked after every tick; true ends the run as --duration would (--stop-on). */
  shouldStop?: () => boolean;
  /** A worker already started (a warm spare), used instead of spawning. */
  started?: ChildProcess;
  /** Aborting ends the run as a signal to leakhunt would (compare relays signals itself). */
  abort?: AbortSignal;
  /** Given when several sessions make one run (compare's isolated modes): kept open after the session. */
  shared?: SharedResources;
  /** --load: started after the first sample; its end ends the run (the worker gets TERM). */
  load?: { command: string[] };
  /** Preload the heap agent into the worker's Node processes (default on; --no-node-heap). */
  nodeHeap?: boolean;
}

export interface SharedResources {
  recorder: Recorder;
  router: BoundaryRouter;
  /** performance.now() at the start of the whole run: every session's samples share its time axis. */
  originMs: number;
  /** One sampler and one watchdog for every session of the run. */
  series?: SessionSeries;
}

export interface SessionOutcome {
  recorder: Recorder;
  exit: ExitStatus;
  startedAt: Date;
  endedAt: Date;
  durationMs: number;
  /** Cut short by a crash, a signal, a timeout, or --duration. */
  incomplete: boolean;
  stoppedBy: 'exit' | 'duration' | 'signal' | 'stop-on' | 'task-timeout' | 'target-exit' | 'load';
  protocol: ProtocolStats;
  leftovers: ProcessSummary[];
  unfinished?: { inFlight: string | null; neverRan: number };
  samplerName: string;
  skippedTicks: number;
  signals: string[];
  load?: LoadResult;
}

/** Longest wait for the worker's output pipes to close after it exited (a grandchild may hold them). */
const OUTPUT_CLOSE_WAIT_MS = 1000;
/** How long to wait, after the worker exited, for the `end` of the task it was given. */
const PENDING_END_WAIT_MS = 250;
/** Ends of a run that leave it whole: the worker's own exit, an attached target's, the load's. */
const ENDS_ON_PURPOSE = new Set<SessionOutcome['stoppedBy']>(['exit', 'target-exit', 'load']);
/** Grace for leftovers after the main worker exited on its own. */
const LEFTOVER_GRACE_MS = 2000;

export async function runSession(options: SessionOptions): Promise<SessionOutcome> {
  const recorder = options.shared?.recorder ?? ownRecorder(options);
  const router: BoundaryRouter | null = options.shared?.router ?? (options.command ? await openBoundaryRouter() : null);
  const ownsRouter = !options.shared;
  let child: ChildProcess | null = options.started ?? null;
  try {
    if (options.command && !child) {
      const [command, ...args] = options.command;
      child = await startWorker({
        command: command!,
        args,
        env: workerEnv(options.env, router, { command: options.command, nodeHeap: options.nodeHeap !== false }),
        stdin: options.tasks ? 'pipe' : 'inherit',
        output: options.markers ? 'pipe' : 'inherit',
      });
    }
  } catch (error) {
    if (ownsRouter) await router?.close();
    throw error;
  }
  const rootPid = child ? child.pid! : options.attachPid!;
  // Spawned just now (not attached to, not a spare): the sampler may skip older processes at first.
  const freshRoot = child !== null && child !== options.started;
  const samplerOptions = { rootPid, children: options.children, metric: options.metric, freshRoot };
  const keeper = options.shared?.series?.samplers;
  const sampler = keeper ? keeper.take(options.samplerFactory, samplerOptions) : options.samplerFactory(samplerOptions);
  try {
    return await supervise(options, recorder, sampler, child, router, rootPid);
  } finally {
    if (keeper) keeper.give(sampler);
    else sampler.close();
    router?.route(null);
    if (ownsRouter) await router?.close();
  }
}

function ownRecorder(options: SessionOptions): Recorder {
  const recorder = new Recorder(options.sink ?? null, options.mode);
  recorder.metric = treeMetric(options.metric);
  return recorder;
}

/**
 * The worker's environment: leakhunt's own as the caller gave it (without leakhunt's allocator
 * tuning), the caller's additions, the boundary channel, and the Node heap agent's preload.
 */
export function workerEnv(extra: NodeJS.ProcessEnv | undefined, router: BoundaryRouter | null, worker: { command: readonly string[]; nodeHeap: boolean }): NodeJS.ProcessEnv {
  const env = { ...callersEnvironment(process.env), ...extra };
  if (!router) return env;
  return { ...env, LEAKHUNT_CHANNEL: router.channel.path, ...(worker.nodeHeap ? heapAgentEnv(env, worker.command) : {}) };
}

async function supervise(
  options: SessionOptions,
  recorder: Recorder,
  sampler: Sampler,
  child: ChildProcess | null,
  router: BoundaryRouter | null,
  rootPid: number,
): Promise<SessionOutcome> {
  const startedAt = new Date();
  const sessionStart = performance.now();
  const origin = options.shared?.originMs ?? sessionStart;
  const tree: TreeHandle = { pgid: child ? rootPid : null, sampler };
  const watchdog: Watchdog | null = child ? guardGroup(rootPid) : null;
  let stoppedBy: SessionOutcome['stoppedBy'] = 'exit';
  let stopping = false;

  const sample = (event: Snapshot['event'], label?: { task?: string; name?: string }, afterReading?: () => void): Snapshot => {
    const before = performance.now();
    const reading = sampler.read();
    // Linux reads synchronously. Other backends (ps, pidusage) answer asynchronously: a boundary
    // then reuses the latest tick's reading rather than waiting tens of milliseconds.
    const resolved = reading instanceof Promise ? { processes: recorder.latest?.processes ?? [], vanished: 0 } : reading;
    const readMs = performance.now() - before;
    afterReading?.();
    const snapshot = recorder.record(resolved, before - origin, event, readMs, label);
    if (readMs > options.intervalMs) recorder.slowTicks++;
    options.onSample?.(snapshot, recorder);
    return snapshot;
  };

  // Boundaries: sampled the moment they arrive.
  let dispatcher: Dispatcher | null = null;
  let taskTimer: NodeJS.Timeout | undefined;
  let heapByAgent = 0;
  const onBoundary = (event: BoundaryEvent): void => {
    if (event.metrics?.heapBy === 'agent') heapByAgent++;
    const label = { task: event.task, ...(event.name ? { name: event.name } : {}) };
    if (event.event === 'start') {
      const snapshot = sample('task-start', label);
      recorder.taskStarted(event, snapshot, rootPid);
      options.onTaskStart?.(event, rootPid);
      armTaskTimeout();
    } else {
      // The next task line (or EOF) goes as soon as the tree is read: recording the reading needs
      // no idle worker, and the worker should not wait for leakhunt's bookkeeping.
      const snapshot = sample('task-end', label, () => dispatcher?.ended(event.task));
      recorder.taskEnded(event, snapshot, rootPid);
      options.onTaskEnd?.(event);
      clearTimeout(taskTimer);
    }
  };
  const armTaskTimeout = (): void => {
    if (!options.taskTimeoutMs) return;
    clearTimeout(taskTimer);
    taskTimer = setTimeout(() => stop('task-timeout'), options.taskTimeoutMs);
  };
  router?.route(onBoundary);

  let output: OutputPump | null = null;
  if (child && options.markers) output = attachOutput(child, options.markers, onBoundary);

  sample('start');
  const heapKeeper = processHeapKeeper();
  const ticker: Ticker = startTicker(options.intervalMs, () => {
    void tickAsync();
  });
  const tickAsync = async (): Promise<void> => {
    const reading = sampler.read();
    let processes;
    if (reading instanceof Promise) {
      const before = performance.now();
      const resolved = await reading;
      processes = recorder.record(resolved, before - origin, 'tick', performance.now() - before).processes;
    } else {
      processes = sample('tick').processes;
    }
    heapKeeper.checkpoint();
    // Attached: the run ends when the target is gone.
    if (!child && !processes.some((p) => p.pid === rootPid)) finishAttach('target-exit');
    if (options.shouldStop?.()) stop('stop-on');
  };

  if (child && options.tasks) dispatcher = dispatchTasks(child.stdin!, options.tasks);

  // Stopping: --duration, --stop-on, a hung task, or a signal to leakhunt.
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (reason: SessionOutcome['stoppedBy']): void => {
    if (stopping) return;
    stopping = true;
    stoppedBy = reason;
    if (!child) {
      finishAttach(reason);
      return;
    }
    // A load's end asks the worker itself to finish (TERM to its root only), as a supervisor
    // stops a service: Celery, RQ and BullMQ shut their pools down from the main process, and a
    // TERM to every pool child at once kills a task in the middle of reporting its end. Other
    // stops end the whole group. Either way KILL follows after --kill-after, and whatever
    // outlives the root is ended as a leftover.
    if (reason === 'load') signalPid(rootPid, 'SIGTERM');
    else signalTree(tree, 'SIGTERM');
    killTimer = setTimeout(() => signalTree(tree, 'SIGKILL'), options.killAfterMs);
  };
  const onAbort = (): void => stop('signal');
  options.abort?.addEventListener('abort', onAbort, { once: true });
  if (options.abort?.aborted) stop('signal');
  const durationTimer = options.durationMs ? setTimeout(() => stop('duration'), options.durationMs) : undefined;

  let relay: SignalRelay | null = null;
  let resolveAttach: ((reason: SessionOutcome['stoppedBy']) => void) | null = null;
  const finishAttach = (reason: SessionOutcome['stoppedBy']): void => {
    stoppedBy = reason;
    resolveAttach?.(reason);
  };
  if (options.relay !== false) {
    relay = relaySignals({
      deliver(signal, toGroup) {
        if (!child) return; // attached: never signal a process we did not start
        if (toGroup) signalTree(tree, signal);
        else signalPid(rootPid, signal);
      },
      shutdown() {
        if (!child) {
          finishAttach('signal');
          return;
        }
        stopping = true;
        stoppedBy = 'signal';
        killTimer = setTimeout(() => signalTree(tree, 'SIGKILL'), options.killAfterMs);
      },
      killNow() {
        if (child) signalTree(tree, 'SIGKILL');
        else finishAttach('signal');
      },
    });
  }
  if (relay) options.onRelayReady?.(relay);

  // The load goes once the worker is up (its first sample taken) and the stop paths exist. Its
  // end ends the run, unless the worker went first (the worker's end then tells how it ended).
  let workerGone = false;
  const load: LoadHandle | null = options.load
    ? driveLoad({ command: options.load.command, env: callersEnvironment(process.env) }, origin, () => {
      if (!workerGone) stop('load');
    })
    : null;

  // Wait for the end.
  let exit: ExitStatus;
  if (child) {
    child.on('error', () => {});
    exit = await new Promise<ExitStatus>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve({ code: child.exitCode, signal: child.signalCode });
      } else child.once('exit', (code, signal) => resolve({ code, signal }));
    });
  } else {
    await new Promise<SessionOutcome['stoppedBy']>((resolve) => {
      resolveAttach = resolve;
    });
    exit = { code: null, signal: null };
  }
  workerGone = true;
  ticker.stop();
  options.abort?.removeEventListener('abort', onAbort);
  clearTimeout(durationTimer);
  clearTimeout(taskTimer);

  // Boundaries written just before exit may still be in the channel (read now, at once) or in the
  // output pipes (given a moment to arrive).
  router?.channel.drain();
  if (output) await delay(5);
  for (let waited = 0; dispatcher?.pending && waited < PENDING_END_WAIT_MS; waited += 10) await delay(10);
  sample('exit');

  // Anything of the tree still alive is a leftover: listed, then ended (TERM, then KILL).
  let leftovers: ProcessSummary[] = [];
  if (child) {
    const alive = sampler.members().filter((m) => m.pid !== rootPid && sampler.isSame(m.pid, m.startTime));
    leftovers = recorder.markLeftovers(alive);
    if (alive.length > 0 || treeAlive(tree)) {
      await terminateTree(tree, stoppedBy === 'exit' ? Math.min(LEFTOVER_GRACE_MS, options.killAfterMs) : 0);
    }
  }
  clearTimeout(killTimer);
  const loadResult = await load?.finish(options.killAfterMs);
  await output?.finish(OUTPUT_CLOSE_WAIT_MS);
  relay?.dispose();
  watchdog?.release();
  dispatcher?.close();

  const unfinished = dispatcher && (dispatcher.pending !== null || dispatcher.remaining > 0)
    ? { inFlight: dispatcher.pending, neverRan: dispatcher.remaining }
    : undefined;
  const crashed = exit.signal !== null && stoppedBy === 'exit';
  const endedAt = new Date();
  return {
    recorder,
    exit,
    startedAt,
    endedAt,
    durationMs: performance.now() - sessionStart,
    incomplete: crashed || !ENDS_ON_PURPOSE.has(stoppedBy) || unfinished !== undefined,
    stoppedBy,
    protocol: mergeStats(router?.channel.stats(), output?.stats(), heapByAgent),
    leftovers,
    ...(unfinished ? { unfinished } : {}),
    samplerName: sampler.name,
    skippedTicks: ticker.skipped,
    signals: relay ? [...relay.received] : [],
    ...(loadResult ? { load: loadResult } : {}),
  };
}

function mergeStats(a: ProtocolStats | undefined, b: ProtocolStats | undefined, heapByAgent: number): ProtocolStats {
  const stats: ProtocolStats = { malformed: (a?.malformed ?? 0) + (b?.malformed ?? 0), oversized: (a?.oversized ?? 0) + (b?.oversized ?? 0) };
  if (heapByAgent > 0) stats.heapByAgent = heapByAgent;
  return stats;
}
