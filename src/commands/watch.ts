// `leakhunt watch`: wrap a worker (or attach to one), record its tree, judge, report.
import type { MetricsServer } from '../metrics/server.js';
import { UsageError } from '../errors.js';
import { compileMarkers } from '../protocol/markers.js';
import { parseTasksArg } from '../protocol/tasks.js';
import { runWatch } from './watch-run.js';
import { FORWARDED, type ForwardedSignal, type SignalRelay } from '../runner/signals.js';
import { readMemoryLimit } from '../sampler/limits.js';
import { optionalDuration, parseCommandString, parseOutputOptions, parsePid, type RawOutputOptions } from './options.js';
import { describeLoadEnd, loadFailed } from '../format/load-end.js';
import { SpawnError } from '../errors.js';
import { openLiveOutputs, writeFinalOutputs } from './outputs.js';
import { createLiveStatus } from './live-status.js';
import { gateExitCode, renderForTerminal } from './finish.js';
import { parseDuration } from '../units.js';
import { readFileSync } from 'node:fs';
import { attachAllocations, openAllocations, parseAllocationOptions, type RawAllocationOptions } from './allocations.js';
import { callersEnvironment } from '../allocator-tuning.js';
import { startWatchdogEarly } from '../runner/watchdog.js';

/** The signals that end a run: held, once the run is over, until the reports are written. */
const HELD_SIGNALS = FORWARDED;

export interface RawWatchOptions extends RawOutputOptions, RawAllocationOptions {
  pid?: string;
  interval: string;
  duration?: string;
  killAfter: string;
  taskStart?: string;
  taskEnd?: string;
  tasks?: string;
  load?: string;
  taskTimeout?: string;
  stopOn?: 'leak';
  metrics?: string;
  instrument?: boolean;
  /** false with --no-node-heap. */
  nodeHeap?: boolean;
}

export async function watchCommand(command: string[], raw: RawWatchOptions): Promise<number> {
  const out = parseOutputOptions(raw);
  if (raw.pid !== undefined && command.length > 0) throw new UsageError('give either --pid or a command after --, not both');
  if (raw.pid === undefined && command.length === 0) throw new UsageError('missing the worker command: leakhunt watch [options] -- <command> [args...]');
  const attachPid = raw.pid !== undefined ? parsePid(raw.pid) : undefined;
  if (attachPid !== undefined && raw.instrument) {
    throw new UsageError('--pid cannot be combined with --instrument: the hooks are loaded when a worker starts');
  }
  if (attachPid !== undefined && (raw.tasks || raw.taskStart || raw.taskEnd)) {
    throw new UsageError('--pid cannot be combined with --tasks or --task-start/--task-end: leakhunt does not own that process\'s input or output');
  }
  if (raw.load !== undefined && raw.tasks) throw new UsageError('--load and --tasks both drive the worker: give one');
  const load = raw.load !== undefined ? parseCommandString(raw.load, '--load') : undefined;
  const allocationFrames = parseAllocationOptions(raw);
  if (attachPid !== undefined && allocationFrames !== null) {
    throw new UsageError('--allocations needs a worker that leakhunt starts: its helper learns where to write from the environment');
  }
  const intervalMs = parseDuration(raw.interval, '--interval');
  const durationMs = optionalDuration(raw.duration, '--duration');
  const killAfterMs = parseDuration(raw.killAfter, '--kill-after');
  const taskTimeoutMs = optionalDuration(raw.taskTimeout, '--task-timeout');
  // The worker's watchdog (which also makes the channel's FIFO) starts now, while the rest is set up.
  if (attachPid === undefined) startWatchdogEarly();
  const markers = raw.taskStart || raw.taskEnd ? compileMarkers(raw.taskStart, raw.taskEnd) : undefined;
  const tasks = raw.tasks ? parseTasksArg(raw.tasks, (path) => readFileSync(path, 'utf8')) : undefined;
  const limit = out.limitBytes ? { bytes: out.limitBytes, source: 'flag' as const } : readMemoryLimit();
  // Loaded only when asked for: it is the one module of a watch that needs node:fs/promises.
  const instrumentation = raw.instrument ? await (await import('../runner/instrument.js')).prepareInstrumentation(callersEnvironment(process.env)) : null;
  const live = openLiveOutputs(out);
  const status = createLiveStatus(out);
  let metrics: MetricsServer | null = null;
  if (raw.metrics) {
    const { serveMetrics } = await import('../metrics/server.js');
    metrics = await serveMetrics(raw.metrics, String(attachPid ?? command[0]));
    if (!out.quiet) process.stderr.write(`leakhunt: serving Prometheus metrics on port ${metrics.port} at /metrics\n`);
  }

  // A signal must never be lost, nor lose the reports. From here until the reports are written
  // this listener holds every forwarded signal: before the relay exists (the worker is still
  // starting) it queues them and the relay replays them to the worker at once; while the relay
  // runs, the relay acts on them; after it stops (some awaits before the files are whole) they
  // are held, so a second Ctrl-C cannot kill leakhunt halfway through writing.
  let relay: SignalRelay | null = null;
  const early: ForwardedSignal[] = [];
  const hold = (signal: NodeJS.Signals): void => {
    if (!relay) early.push(signal as ForwardedSignal);
  };
  for (const signal of HELD_SIGNALS) process.on(signal, hold);

  const allocations = openAllocations(allocationFrames);
  let run;
  try {
    run = await runWatch({
      ...(allocations || instrumentation ? { env: { ...allocations?.env, ...instrumentation?.env } } : {}),
      ...(attachPid !== undefined ? { attachPid } : { command }),
      nodeHeap: raw.nodeHeap !== false,
      intervalMs,
      ...(durationMs !== undefined ? { durationMs } : {}),
      killAfterMs,
      ...(taskTimeoutMs !== undefined ? { taskTimeoutMs } : {}),
      ...(markers ? { markers } : {}),
      ...(tasks ? { tasks } : {}),
      ...(load ? { load } : {}),
      children: out.children,
      metric: out.metric,
      limit,
      stopOnLeak: raw.stopOn === 'leak',
      ...(live.sink ? { sink: live.sink } : {}),
      onRelayReady(ready) {
        relay = ready;
        for (const signal of early.splice(0)) ready.inject(signal);
      },
      onProgress(snapshot, recorder, verdict) {
        status.update(snapshot, recorder, verdict);
        metrics?.update({ snapshot, tasksCompleted: recorder.completed, verdict });
      },
    });
  } catch (error) {
    for (const signal of HELD_SIGNALS) process.off(signal, hold);
    allocations?.remove();
    await instrumentation?.close();
    throw error;
  } finally {
    status.close();
    live.closeSamples();
  }
  const { result, outcome } = run;
  if (allocations) attachAllocations(result, allocations);
  if (instrumentation) {
    result.instrument = await instrumentation.read();
    await instrumentation.close();
  }
  // A load that cannot start is the same error as a worker that cannot (127/126), and the worker
  // it was meant for has been stopped: no report of a run that never had its load.
  if (result.load?.exit.startError) {
    for (const signal of HELD_SIGNALS) process.off(signal, hold);
    throw new SpawnError(`--load: ${result.load.exit.startError}`, result.load.exit.code === 126 ? 126 : 127);
  }

  // Files are written synchronously (temp, then rename); held signals end nothing early.
  try {
    const code = gateExitCode(result, outcome, out.failOn ?? (raw.stopOn ? 'leak' : undefined));
    await writeFinalOutputs(result, out);
    await metrics?.close();
    if (!out.quiet) process.stderr.write(renderForTerminal(result, out));
    // Said last, even with --quiet: it is why the exit code is 1.
    if (code === 1 && result.load && loadFailed(result.load)) process.stderr.write(`leakhunt: the load failed (${describeLoadEnd(result.load)})\n`);
    return code;
  } finally {
    for (const signal of HELD_SIGNALS) process.off(signal, hold);
  }
}
