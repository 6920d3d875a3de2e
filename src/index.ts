// The programmatic API: `import { watch, compare } from 'leakhunt'`. Each returns the same
// RunResult that the JSON report serialises (schema leakhunt/report@1). Durations and sizes take
// numbers (ms, bytes) or the strings the CLI takes ("100ms", "512MB"). Nothing is printed.
import { readFileSync } from 'node:fs';
import type { MetricName, RunResult } from './model.js';
import { UsageError } from './errors.js';
import { compileMarkers } from './protocol/markers.js';
import { parseTasksArg, type TaskSpec } from './protocol/tasks.js';
import { parseModes, type Mode } from './runner/modes.js';
import { isolatingName } from './format/mode-roles.js';
import { readMemoryLimit } from './sampler/limits.js';
import { parseDuration, parseSize } from './units.js';
import { runWatch } from './commands/watch-run.js';
import { runComparison } from './commands/compare-workload.js';

export type * from './model.js';
export { REPORT_SCHEMA } from './model.js';
export { UsageError, SpawnError } from './errors.js';
export { judgeRun, attribute } from './detect/index.js';
export { loadRun } from './files/load.js';
export { renderHtml } from './report/html.js';
export { renderMarkdown } from './report/md.js';
export { toJson } from './report/json.js';

type Duration = number | string;

export interface WatchOptions {
  /** The worker and its arguments (no shell). Give this or `pid`. */
  command?: string[];
  /** Attach to a running process and its descendants (never signalled). */
  pid?: number;
  interval?: Duration;
  duration?: Duration;
  killAfter?: Duration;
  taskTimeout?: Duration;
  taskStart?: string;
  taskEnd?: string;
  /** A task count, a path to a .jsonl file, or the tasks themselves. */
  tasks?: number | string | Array<{ task: string; name: string; params?: unknown }>;
  limit?: number | string;
  metric?: MetricName;
  children?: boolean;
  stopOnLeak?: boolean;
  /** A load command (its words, no shell): started once the worker is up; its end ends the run (result.load). */
  load?: string[];
  /** Preload leakhunt's heap agent into the worker's Node processes (default true). */
  nodeHeap?: boolean;
}

export interface CompareOptions extends Pick<WatchOptions, 'interval' | 'killAfter' | 'taskTimeout' | 'limit' | 'metric' | 'children' | 'nodeHeap'> {
  /** The worker, for `tasks` run in `modes`; not with `variants`. */
  command?: string[];
  tasks?: NonNullable<WatchOptions['tasks']>;
  /** Worker configurations driven by `load`, each a mode of its name; the first is the baseline. */
  variants?: Array<{ name: string; command: string[]; isolating?: boolean }>;
  load?: string[];
  /** Default ['in-process', 'isolated']. */
  modes?: string[];
  spare?: boolean;
  failOn?: 'leak' | 'suspect';
}

const ms = (value: Duration | undefined, flag: string): number | undefined =>
  value === undefined ? undefined : typeof value === 'number' ? value : parseDuration(value, flag);

function taskList(tasks: WatchOptions['tasks']): TaskSpec[] | undefined {
  if (tasks === undefined) return undefined;
  if (Array.isArray(tasks)) return tasks.map((t) => ({ ...t, line: JSON.stringify(t) }));
  return parseTasksArg(String(tasks), (path) => readFileSync(path, 'utf8'));
}

function limitOf(limit: number | string | undefined) {
  if (limit === undefined) return readMemoryLimit();
  return { bytes: typeof limit === 'number' ? limit : parseSize(limit, 'limit'), source: 'flag' as const };
}

/** Watch a worker (or attach to a process) until it exits, and judge its memory. */
export async function watch(options: WatchOptions): Promise<RunResult> {
  const hasCommand = (options.command?.length ?? 0) > 0;
  if (hasCommand === (options.pid !== undefined)) throw new UsageError('watch: give either command or pid, not both');
  const tasks = taskList(options.tasks);
  const { result } = await runWatch({
    ...(options.pid !== undefined ? { attachPid: options.pid } : { command: options.command! }),
    intervalMs: ms(options.interval, 'interval') ?? 1000,
    ...(options.duration !== undefined ? { durationMs: ms(options.duration, 'duration')! } : {}),
    killAfterMs: ms(options.killAfter, 'killAfter') ?? 10_000,
    ...(options.taskTimeout !== undefined ? { taskTimeoutMs: ms(options.taskTimeout, 'taskTimeout')! } : {}),
    ...(options.taskStart || options.taskEnd ? { markers: compileMarkers(options.taskStart, options.taskEnd) } : {}),
    ...(tasks ? { tasks } : {}),
    ...(options.load ? { load: options.load } : {}),
    children: options.children !== false,
    nodeHeap: options.nodeHeap !== false,
    metric: options.metric ?? 'rss',
    limit: limitOf(options.limit),
    stopOnLeak: options.stopOnLeak === true,
    relaySignals: false,
  });
  return result;
}

/** Run the same task stream in every mode and return the comparison (`result.modes`, `result.gates`). */
export async function compare(options: CompareOptions): Promise<RunResult> {
  const workload = options.variants ? variantWorkload(options) : taskWorkload(options);
  const { result } = await runComparison({
    ...workload,
    intervalMs: ms(options.interval, 'interval') ?? 200,
    killAfterMs: ms(options.killAfter, 'killAfter') ?? 5000,
    taskTimeoutMs: ms(options.taskTimeout, 'taskTimeout') ?? 60_000,
    children: options.children !== false,
    metric: options.metric ?? 'rss',
    limit: limitOf(options.limit),
    nodeHeap: options.nodeHeap !== false,
    ...(options.spare !== undefined ? { spare: options.spare } : {}),
    ...(options.failOn ? { failOn: options.failOn } : {}),
  });
  return result;
}

function taskWorkload(options: CompareOptions): { command: string[]; tasks: TaskSpec[]; modes: Mode[] } {
  if (!options.command?.length || options.tasks === undefined) throw new UsageError('compare: give command and tasks, or variants and load');
  return { command: options.command, tasks: taskList(options.tasks)!, modes: parseModes((options.modes ?? ['in-process', 'isolated']).join(',')) };
}

function variantWorkload(options: CompareOptions): { command: string[]; tasks: TaskSpec[]; modes: Mode[]; load: string[] } {
  const variants = options.variants!;
  if (!options.load?.length) throw new UsageError('compare: variants need load');
  if (variants.length === 0) throw new UsageError('compare: variants is empty');
  const modes: Mode[] = variants.map((v, index) => {
    if (!v.command.length) throw new UsageError(`compare: variant "${v.name}" has no command`);
    if (variants.findIndex((other) => other.name === v.name) !== index) throw new UsageError(`compare: two variants are named "${v.name}"`);
    return { kind: 'variant', label: v.name, command: v.command, isolating: v.isolating ?? isolatingName(v.name), baseline: index === 0 };
  });
  return { command: variants[0]!.command, tasks: [], modes, load: options.load };
}
