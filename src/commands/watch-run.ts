// The core of `watch`, without the command line: run one session with the online verdict, and
// build the RunResult. Shared by the CLI and the programmatic API.
import type { MemoryLimit, MetricName, RunResult, Snapshot, Verdict } from '../model.js';
import { createOnlineDetector } from '../detect/index.js';
import type { RunSeries } from '../detect/types.js';
import type { MarkerSpec } from '../protocol/markers.js';
import type { TaskSpec } from '../protocol/tasks.js';
import type { Recorder, SampleSink } from '../runner/recorder.js';
import { runSession, type SessionOutcome } from '../runner/session.js';
import { discardPreparedRouter, prepareBoundaryRouter } from '../runner/boundary-router.js';
import { LIVE_TASKS } from '../runner/task-series.js';
import type { SignalRelay } from '../runner/signals.js';
import { pickSampler } from '../sampler/index.js';
import { buildRunResult, seriesOf } from './result.js';

/**
 * How often the live verdict is asked for while watching. The series (every sample so far) is
 * built only when the detector's next check is due (checks spread 5% of the run apart): built
 * every second, its arrays made leakhunt's own working memory, and so its RSS, grow with the run.
 */
const ONLINE_CHECK_MS = 1000;
/**
 * At task ends it is recomputed sooner, but not at every one: building the series reads every
 * sample so far, and doing it at each of 20,000 quick tasks made the run quadratic (188 s
 * instead of 11 s measured). Ten times a second keeps --stop-on prompt at a linear cost.
 */
const TASK_END_CHECK_MS = 100;

export function liveSeries(recorder: Recorder, limit: MemoryLimit | null): RunSeries {
  const samples = recorder.totals.series('allButEmptyExit', recorder.totals.length - LIVE_TASKS);
  return seriesOf(samples, recorder.recentTasks.series(), limit, false, recorder.metric);
}

export interface WatchRunOptions {
  command?: string[];
  attachPid?: number;
  intervalMs: number;
  durationMs?: number;
  killAfterMs: number;
  taskTimeoutMs?: number;
  markers?: MarkerSpec;
  tasks?: TaskSpec[];
  /** Added to the worker's environment (--instrument's hooks, --allocations' directory). */
  env?: NodeJS.ProcessEnv;
  /** Preload the heap agent into the worker's Node processes (false: --no-node-heap). */
  nodeHeap: boolean;
  /** --load: the command that drives the worker; its end ends the run. */
  load?: string[];
  children: boolean;
  metric: MetricName;
  limit: MemoryLimit | null;
  /** End the run once the online verdict is a firm leak (--stop-on leak). */
  stopOnLeak?: boolean;
  sink?: SampleSink;
  /** After every sample, with the current (debounced) verdict: live status, metrics. */
  onProgress?: (snapshot: Snapshot, recorder: Recorder, verdict: Verdict) => void;
  /** Relay leakhunt's signals to the worker (the CLI does; an embedding program may not want to). */
  relaySignals?: boolean;
  onRelayReady?: (relay: SignalRelay) => void;
}

export function startingVerdict(limit: MemoryLimit | null): Verdict {
  return { status: 'insufficient', reason: 'starting', series: 'tree-rss', bytesPerTask: null, bytesPerTaskCI: null, bytesPerHour: null, bytesPerHourCI: null, limit, projection: null };
}

export async function runWatch(options: WatchRunOptions): Promise<{ result: RunResult; outcome: SessionOutcome }> {
  const online = createOnlineDetector();
  let verdict = startingVerdict(options.limit);
  let firmLeak = false;
  let lastJudged = 0;
  // The session opens the channel after setting up its recorder: prepared now, the watchdog's
  // shell makes the FIFO meanwhile.
  if (options.attachPid === undefined) prepareBoundaryRouter();
  const outcome = await runSession({
    ...(options.attachPid !== undefined ? { attachPid: options.attachPid } : { command: options.command! }),
    intervalMs: options.intervalMs,
    ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
    killAfterMs: options.killAfterMs,
    children: options.children,
    metric: options.metric,
    nodeHeap: options.nodeHeap,
    samplerFactory: pickSampler(),
    ...(options.markers ? { markers: options.markers } : {}),
    ...(options.tasks ? { tasks: options.tasks } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.load ? { load: { command: options.load } } : {}),
    ...(options.taskTimeoutMs !== undefined ? { taskTimeoutMs: options.taskTimeoutMs } : {}),
    ...(options.sink ? { sink: options.sink } : {}),
    relay: options.relaySignals !== false,
    ...(options.onRelayReady ? { onRelayReady: options.onRelayReady } : {}),
    onSample(snapshot, recorder) {
      // At most once a second (ten times at task ends), so a 10 ms interval or thousands of
      // quick tasks stay linear in run length.
      const now = performance.now();
      const counts = { tasks: recorder.completed, samples: recorder.totals.length };
      if (now - lastJudged >= (snapshot.event === 'task-end' ? TASK_END_CHECK_MS : ONLINE_CHECK_MS) && online.isDue(counts)) {
        lastJudged = now;
        // The series may hold only the run's latest part: progress is counted on the whole run.
        verdict = online.update(liveSeries(recorder, options.limit), counts);
        firmLeak = online.firm && verdict.status === 'leak';
      }
      options.onProgress?.(snapshot, recorder, verdict);
    },
    ...(options.stopOnLeak ? { shouldStop: () => firmLeak } : {}),
  }).catch(async (error: unknown) => {
    await discardPreparedRouter();
    throw error;
  });
  const command = options.attachPid !== undefined ? [`--pid ${options.attachPid}`] : options.command!;
  const result = buildRunResult(outcome, { command, intervalMs: options.intervalMs, metric: options.metric, limit: options.limit });
  // Tasks fed from --tasks run back to back, and a --load sets the pace of its own: either way
  // time is this run's pace (Verdict.dispatched).
  if (options.tasks || options.load) result.verdict.dispatched = true;
  if (outcome.stoppedBy === 'stop-on') result.verdict.reason = `${result.verdict.reason}; stopped early (--stop-on leak)`;
  return { result, outcome };
}
