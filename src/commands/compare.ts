// `leakhunt compare`: the same task stream in-process and isolated, side by side — or two
// recorded runs, as a CI gate.
import { readFileSync } from 'node:fs';
import type { ModeResult } from '../model.js';
import { UsageError } from '../errors.js';
import { parseTasksArg } from '../protocol/tasks.js';
import { endedTaskCount } from '../series/rows.js';
import { parseModes } from '../runner/modes.js';
import { readMemoryLimit } from '../sampler/limits.js';
import { parseDuration } from '../units.js';
import { runComparison } from './compare-workload.js';
import { annotate } from './compare-gates.js';
import { compareRecorded, type RawRecordedOptions } from './compare-recorded.js';
import { parseCommandString, parseOutputOptions, type RawOutputOptions } from './options.js';
import { parseVariants } from './variants.js';
import { describeLoadEnd, loadFailed } from '../format/load-end.js';
import { oneLine } from '../format/text.js';
import type { TaskSpec } from '../protocol/tasks.js';
import type { Mode } from '../runner/modes.js';
import { openLiveOutputs, writeFinalOutputs } from './outputs.js';
import { createStyle, shouldColor } from '../render/color.js';
import { renderComparison } from '../render/compare.js';
import { allocationLines } from '../render/allocations.js';
import { attachAllocations, inProcessAttribution, openAllocations, parseAllocationOptions, type RawAllocationOptions } from './allocations.js';

export interface RawCompareOptions extends RawOutputOptions, RawRecordedOptions, RawAllocationOptions {
  tasks?: string;
  modes: string;
  /** --modes was given on the command line (not its default). */
  modesGiven?: boolean;
  load?: string;
  variant?: string[];
  isolating?: string;
  interval: string;
  killAfter: string;
  taskTimeout: string;
  spare?: boolean;
  instrument?: boolean;
  /** false with --no-node-heap. */
  nodeHeap?: boolean;
}

export async function compareCommand(args: string[], raw: RawCompareOptions, hasCommand: boolean): Promise<number> {
  if (raw.variant || raw.load !== undefined || raw.isolating !== undefined) return compareVariants(args, raw, hasCommand);
  if (!raw.tasks && !hasCommand) {
    if (args.length !== 2) {
      throw new UsageError('compare needs --tasks <N|file> -- <command>, or two recorded reports: leakhunt compare <before> <after>');
    }
    if (raw.allocations) throw new UsageError('--allocations records a workload as it runs: use it with --tasks <N|file> -- <command>');
    return compareRecorded(args[0]!, args[1]!, raw);
  }
  if (!raw.tasks) throw new UsageError('compare: --tasks <N|file.jsonl> is required to rerun a workload');
  if (args.length === 0) throw new UsageError('compare: missing the worker command after --');
  const modes = parseModes(raw.modes);
  const tasks = parseTasksArg(raw.tasks, (path) => readFileSync(path, 'utf8'));
  return compareWorkload({ command: args, tasks, modes }, raw);
}

/** compare --load "<cmd>" --variant "<name>=<cmd>" ...: each variant's worker, driven by one load. */
function compareVariants(args: string[], raw: RawCompareOptions, hasCommand: boolean): Promise<number> {
  if (!raw.variant) throw new UsageError(raw.load !== undefined ? 'compare --load needs --variant "<name>=<command>" (one per worker configuration)' : '--isolating needs --variant');
  if (raw.load === undefined) throw new UsageError('--variant needs --load "<command>": the load is what drives each variant\'s worker');
  if (raw.tasks || hasCommand || args.length > 0) throw new UsageError('--variant gives the worker commands: no --tasks and no command after --');
  if (raw.modesGiven) throw new UsageError('--variant gives the modes: no --modes');
  const load = parseCommandString(raw.load, '--load');
  const modes = parseVariants(raw.variant, raw.isolating);
  return compareWorkload({ command: modes[0]!.command, tasks: [], modes, load }, raw);
}

interface Workload {
  command: string[];
  tasks: TaskSpec[];
  modes: Mode[];
  load?: string[];
}

async function compareWorkload({ command, tasks, modes, load }: Workload, raw: RawCompareOptions): Promise<number> {
  const out = parseOutputOptions(raw);
  const allocationFrames = parseAllocationOptions(raw);
  if (allocationFrames !== null && !modes.some((mode) => mode.kind === 'in-process')) {
    throw new UsageError('--allocations records in the in-process mode: add in-process to --modes');
  }
  const intervalMs = parseDuration(raw.interval, '--interval');
  const killAfterMs = parseDuration(raw.killAfter, '--kill-after');
  const taskTimeoutMs = parseDuration(raw.taskTimeout, '--task-timeout');
  const limit = out.limitBytes ? { bytes: out.limitBytes, source: 'flag' as const } : readMemoryLimit();
  const live = openLiveOutputs(out);
  const style = createStyle({ color: shouldColor(process.env, process.stderr.isTTY === true, out.color) });

  // Signals: the first INT/TERM ends the current mode (its worker gets TERM) and skips the rest;
  // the reports are still written. The handler then steps aside, so a second one takes the
  // default action and leakhunt exits at once (reports are whole or absent: temp, then rename).
  const abort = new AbortController();
  let interruptedBy: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    interruptedBy = signal;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const progress = createProgress(tasks.length, out.quiet);
  const allocations = openAllocations(allocationFrames);
  let comparison;
  try {
    comparison = await runComparison({
      command, tasks, modes, ...(load ? { load } : {}), intervalMs, killAfterMs, taskTimeoutMs, limit,
      children: out.children, metric: out.metric, spare: raw.spare !== false, instrument: raw.instrument === true,
      nodeHeap: raw.nodeHeap !== false,
      ...(out.failOn ? { failOn: out.failOn } : {}),
      abort: abort.signal,
      ...(live.sink ? { sink: live.sink } : {}),
      onTask: (mode, done) => progress.update(mode.label, done),
      onModeEnd: (mode, result) => progress.done(mode.label, result),
      ...(allocations ? { inProcessEnv: allocations.env } : {}),
    });
  } catch (error) {
    allocations?.remove();
    throw error;
  } finally {
    live.closeSamples();
  }
  const { result, hazards, runs } = comparison;
  if (allocations) attachAllocations(result, allocations);
  // A load that cannot start is the same error as a worker that cannot; its worker was stopped.
  const loadError = runs.find((r) => r.loadError)?.loadError;
  if (loadError) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw loadError;
  }
  // A worker that cannot start at all is the same error as in `watch`: 127 or 126.
  if (runs.length > 0 && runs.every((r) => r.spawnError)) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw runs[0]!.spawnError!;
  }
  const gates = result.gates ?? [];
  try {
    await writeFinalOutputs(result, out);
    if (!out.quiet) {
      process.stderr.write(renderComparison(result, style, { limitBytes: limit?.bytes ?? null, hazards, width: process.stderr.columns || 100 }));
      const sites = allocationLines(result, style, inProcessAttribution(result));
      if (sites.length > 0) process.stderr.write(`\n${sites.join('\n')}\n`);
    }
    annotate(gates);
    // Said last, even with --quiet: a failed load is why the exit code is 1.
    for (const mode of result.modes ?? []) {
      if (mode.load && loadFailed(mode.load)) process.stderr.write(`leakhunt: ${oneLine(mode.mode)}: the load failed (${describeLoadEnd(mode.load)})\n`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (interruptedBy) return interruptedBy === 'SIGINT' ? 130 : 143;
  return gates.every((g) => g.passed) ? 0 : 1;
}

/** One line per mode on stderr: "in-process: 37/100 tasks", rewritten in place on a terminal. */
function createProgress(total: number, quiet: boolean) {
  const tty = process.stderr.isTTY && !quiet && !process.env.CI;
  let last = 0;
  return {
    update(label: string, done: number) {
      if (!tty) return;
      const now = performance.now();
      if (now - last < 200 && (total === 0 || done < total)) return;
      last = now;
      process.stderr.write(`\r\u001b[2K${label}: ${total > 0 ? `${done}/${total}` : done} tasks`);
    },
    done(label: string, result: ModeResult) {
      if (quiet) return;
      const done = endedTaskCount(result.tasks);
      const line = `${label}: ${total > 0 ? `${done}/${total}` : done} tasks${result.failure ? ` — ${result.failure}` : ''}`;
      process.stderr.write(tty ? `\r\u001b[2K${line}\n` : `${line}\n`);
    },
  };
}
