// The core of `compare --tasks`: every mode in turn on the same task stream, then one
// RunResult with `modes`. Shared by the CLI and the programmatic API.
import type { ModeResult, RunResult } from '../model.js';
import { REPORT_SCHEMA } from '../model.js';
import type { Mode } from '../runner/modes.js';
import type { SampleSink } from '../runner/recorder.js';
import { concatRows } from '../series/rows.js';
import { pickSampler } from '../sampler/index.js';
import { VERSION } from '../version.js';
import { compareGates } from './compare-gates.js';
import { runMode, type ModeRun, type ModeRunOptions } from './compare-run.js';
import { runVariant } from './compare-variant.js';

/** What every mode runs with (the per-mode options, less what runComparison supplies itself). */
type SharedModeOptions = Pick<ModeRunOptions, 'command' | 'tasks' | 'intervalMs' | 'killAfterMs' | 'taskTimeoutMs' | 'children' | 'metric' | 'limit'>;

export interface ComparisonOptions extends SharedModeOptions {
  modes: Mode[];
  /** compare --variant: the command that drives every variant's worker. */
  load?: string[];
  /** Keep warm spares for isolated and recycle modes (default true). */
  spare?: boolean;
  /** Load the framework hooks into each mode's workers (--instrument). */
  instrument?: boolean;
  /** Preload the heap agent into each mode's Node processes (default true; --no-node-heap). */
  nodeHeap?: boolean;
  failOn?: 'leak' | 'suspect';
  sink?: SampleSink;
  abort?: AbortSignal;
  onModeStart?: (mode: Mode) => void;
  onTask?: (mode: Mode, done: number) => void;
  onModeEnd?: (mode: Mode, result: ModeResult) => void;
  /** Added to the in-process mode's worker environment (--allocations). */
  inProcessEnv?: NodeJS.ProcessEnv;
}

export interface Comparison {
  result: RunResult;
  /** fork mode: what task children inherited that can bite. */
  hazards: string[];
  runs: ModeRun[];
}

export async function runComparison(options: ComparisonOptions): Promise<Comparison> {
  const abort = options.abort ?? new AbortController().signal;
  const startedAt = new Date();
  const runs: ModeRun[] = [];
  for (const mode of options.modes) {
    if (abort.aborted) break;
    options.onModeStart?.(mode);
    const shared: SharedModeOptions = {
      command: options.command, tasks: options.tasks, intervalMs: options.intervalMs, killAfterMs: options.killAfterMs,
      taskTimeoutMs: options.taskTimeoutMs, children: options.children, metric: options.metric, limit: options.limit,
    };
    const common = {
      instrument: options.instrument === true,
      nodeHeap: options.nodeHeap !== false,
      samplerFactory: pickSampler(),
      abort,
      ...(options.sink ? { sink: options.sink } : {}),
      onTask: (done: number) => options.onTask?.(mode, done),
    };
    const run = mode.kind === 'variant'
      ? await runVariant(mode, { ...shared, ...common, load: options.load! })
      : await runMode(mode, { ...shared, ...common, spare: options.spare !== false, ...(options.inProcessEnv ? { inProcessEnv: options.inProcessEnv } : {}) });
    // A worker that could not start at all will not start in the next mode either (same
    // command; a variant's has its own), nor will a load that could not: stop, so the CLI
    // reports one 127/126 line instead of a failure line per mode.
    if ((run.spawnError && run.outcomes.length === 0 && mode.kind !== 'variant') || run.loadError) {
      runs.push(run);
      break;
    }
    options.onModeEnd?.(mode, run.result);
    runs.push(run);
  }
  const samplerName = runs.flatMap((r) => r.outcomes)[0]?.samplerName ?? 'none';
  const result = comparisonResult(options, startedAt, samplerName, runs.map((r) => r.result));
  result.gates = compareGates(result.modes!, options.failOn);
  return { result, hazards: runs.flatMap((r) => r.hazards), runs };
}

function comparisonResult(options: ComparisonOptions, startedAt: Date, sampler: string, modes: ModeResult[]): RunResult {
  const first = modes[0];
  const endedAt = new Date();
  const failed = modes.find((m) => m.failure !== undefined);
  const omitted = modes.reduce((n, m) => n + (m.processesOmitted ?? 0), 0);
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'leakhunt', version: VERSION },
    command: options.command,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: endedAt.getTime() - startedAt.getTime(),
    intervalMs: options.intervalMs,
    metric: options.metric,
    platform: process.platform,
    sampler,
    exit: { code: failed ? 1 : 0, signal: null },
    incomplete: failed !== undefined || modes.length < options.modes.length,
    // The top level carries every mode's rows (each tagged with its mode) and the first mode's
    // verdict, so readers that know only single runs still show something true.
    samples: concatRows(modes.map((m) => m.samples)),
    tasks: concatRows(modes.map((m) => m.tasks)),
    processes: modes.flatMap((m) => m.processes),
    ...(omitted > 0 ? { processesOmitted: omitted } : {}),
    verdict: first?.verdict ?? { status: 'insufficient', reason: 'no mode ran', series: 'tree-rss', bytesPerTask: null, bytesPerTaskCI: null, bytesPerHour: null, bytesPerHourCI: null, limit: options.limit, projection: null },
    attribution: first?.attribution ?? [],
    protocol: { malformed: 0, oversized: 0 },
    vanished: 0,
    slowTicks: 0,
    modes,
  };
}
