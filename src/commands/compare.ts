// `leakhunt compare`: the same task stream in-process and isolated, side by side — or two
// recorded runs, as a CI gate.
import { readFileSync } from 'node:fs';
import type { GateResult, ModeResult, RunResult } from '../model.js';
import { REPORT_SCHEMA } from '../model.js';
import { UsageError } from '../errors.js';
import { parseTasksArg } from '../protocol/tasks.js';
import { parseModes } from '../runner/modes.js';
import { pickSampler } from '../sampler/index.js';
import { readMemoryLimit } from '../sampler/limits.js';
import { parseDuration } from '../units.js';
import { VERSION } from '../version.js';
import { runMode, type ModeRun } from './compare-run.js';
import { compareGates, annotate } from './compare-gates.js';
import { compareRecorded, type RawRecordedOptions } from './compare-recorded.js';
import { parseOutputOptions, type RawOutputOptions } from './options.js';
import { openLiveOutputs, writeFinalOutputs } from './outputs.js';
import { createStyle, shouldColor } from '../render/color.js';
import { renderComparison } from '../render/compare.js';

export interface RawCompareOptions extends RawOutputOptions, RawRecordedOptions {
  tasks?: string;
  modes: string;
  interval: string;
  killAfter: string;
  taskTimeout: string;
  spare?: boolean;
}

export async function compareCommand(args: string[], raw: RawCompareOptions, hasCommand: boolean): Promise<number> {
  if (!raw.tasks && !hasCommand) {
    if (args.length !== 2) {
      throw new UsageError('compare needs --tasks <N|file> -- <command>, or two recorded reports: leakhunt compare <before> <after>');
    }
    return compareRecorded(args[0]!, args[1]!, raw);
  }
  if (!raw.tasks) throw new UsageError('compare: --tasks <N|file.jsonl> is required to rerun a workload');
  if (args.length === 0) throw new UsageError('compare: missing the worker command after --');
  return compareWorkload(args, raw);
}

async function compareWorkload(command: string[], raw: RawCompareOptions): Promise<number> {
  const out = parseOutputOptions(raw);
  const modes = parseModes(raw.modes);
  const tasks = parseTasksArg(raw.tasks!, (path) => readFileSync(path, 'utf8'));
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

  const startedAt = new Date();
  const runs: ModeRun[] = [];
  try {
    for (const mode of modes) {
      if (abort.signal.aborted) break;
      const progress = createProgress(mode.label, tasks.length, out.quiet);
      const run = await runMode(mode, {
        command, tasks, intervalMs, killAfterMs, taskTimeoutMs, limit,
        children: out.children, metric: out.metric, spare: raw.spare !== false,
        samplerFactory: pickSampler(), abort: abort.signal,
        ...(live.sink ? { sink: live.sink } : {}),
        onTask: progress.update,
      });
      progress.done(run.result);
      runs.push(run);
    }
  } finally {
    live.closeSamples();
  }
  // A worker that cannot start at all is the same error as in `watch`: 127 or 126.
  if (runs.length > 0 && runs.every((r) => r.spawnError)) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw runs[0]!.spawnError!;
  }

  const samplerName = runs.flatMap((r) => r.outcomes)[0]?.samplerName ?? 'none';
  const result = comparisonResult(command, startedAt, intervalMs, out.metric, samplerName, runs.map((r) => r.result));
  const hazards = runs.flatMap((r) => r.hazards);
  const gates: GateResult[] = compareGates(result.modes!, out.failOn);
  result.gates = gates;
  try {
    await writeFinalOutputs(result, out);
    if (!out.quiet) {
      process.stderr.write(renderComparison(result, style, { limitBytes: limit?.bytes ?? null, hazards, width: process.stderr.columns || 100 }));
    }
    annotate(gates);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (interruptedBy) return interruptedBy === 'SIGINT' ? 130 : 143;
  return gates.every((g) => g.passed) ? 0 : 1;
}

function comparisonResult(command: string[], startedAt: Date, intervalMs: number, metric: RunResult['metric'], sampler: string, modes: ModeResult[]): RunResult {
  const first = modes[0];
  const endedAt = new Date();
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'leakhunt', version: VERSION },
    command,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs: endedAt.getTime() - startedAt.getTime(),
    intervalMs,
    metric,
    platform: process.platform,
    sampler,
    exit: { code: 0, signal: null },
    incomplete: modes.some((m) => m.failure !== undefined),
    // The top level mirrors the first mode (usually in-process), so single-run readers still work.
    samples: modes.flatMap((m) => m.samples),
    tasks: modes.flatMap((m) => m.tasks),
    processes: modes.flatMap((m) => m.processes),
    verdict: first!.verdict,
    attribution: first!.attribution,
    protocol: { malformed: 0, oversized: 0 },
    vanished: 0,
    slowTicks: 0,
    modes,
  };
}

/** One line per mode on stderr: "in-process: 37/100 tasks", rewritten in place on a terminal. */
function createProgress(label: string, total: number, quiet: boolean) {
  const tty = process.stderr.isTTY && !quiet && !process.env.CI;
  let last = 0;
  return {
    update(done: number) {
      if (!tty) return;
      const now = performance.now();
      if (now - last < 200 && done < total) return;
      last = now;
      process.stderr.write(`\r\u001b[2K${label}: ${done}/${total} tasks`);
    },
    done(result: ModeResult) {
      if (quiet) return;
      const done = result.tasks.filter((t) => t.endMs !== null).length;
      const line = `${label}: ${done}/${total} tasks${result.failure ? ` — ${result.failure}` : ''}`;
      process.stderr.write(tty ? `\r\u001b[2K${line}\n` : `${line}\n`);
    },
  };
}
