// Paired runs of one mode: the bare harness with 1, 2 and 4 spares (each started before the task
// line, or once the task has started, as leakhunt starts them) and `leakhunt compare` on the same task stream, alternating within each round (and each round's order rotated), so a busy
// spell of the machine falls on both sides alike.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, capture } from '../lib/processes.js';
import { median } from '../lib/stats.js';

/** Spare counts the bare harness is run with; its best one is the yardstick. */
export const BARE_SPARES = [1, 2, 4] as const;

/** One way of running the bare harness: how many spares, and when it starts them. */
export interface BareVariant {
  spares: number;
  /** 'before' the task line (a spawn between tasks), or at the task's 'start' line, as leakhunt does. */
  replenish: 'before' | 'start';
}

/** Every spare count, with each way of starting the spares: the best of them all is the yardstick. */
export const BARE_VARIANTS: BareVariant[] = BARE_SPARES.flatMap((spares) => (['before', 'start'] as const).map((replenish) => ({ spares, replenish })));
/** One process for the whole stream (fork): spares have nothing to do there. */
export const ONE_PROCESS: BareVariant[] = [{ spares: 0, replenish: 'before' }];

export const variantName = (v: BareVariant): string => (v.spares === 0 ? 'one process' : `${v.spares} spare${v.spares === 1 ? '' : 's'}${v.replenish === 'start' ? ', at start' : ''}`);

export interface PairedRuns {
  /** ms per task of each round, per variant (by variantName). */
  bare: Map<string, number[]>;
  leakhunt: number[];
  /** The bare harness's fastest variant (lowest median). */
  best: string;
}

const HARNESS = join(ROOT, 'dist', 'bench', 'harness', 'bare.js');

/** Writes `count` tasks cycling through `names` to dir/name and returns its path. */
export function writeTasks(dir: string, file: string, count: number, names: readonly string[]): string {
  const path = join(dir, file);
  writeFileSync(path, Array.from({ length: count }, (_, i) => JSON.stringify({ task: String(i + 1), name: names[i % names.length] })).join('\n') + '\n');
  return path;
}

async function bare(worker: string[], tasksFile: string, mode: string, variant: BareVariant): Promise<number> {
  const args = [HARNESS, '--mode', mode, '--spares', String(variant.spares), '--replenish', variant.replenish, '--tasks', tasksFile, '--', ...worker];
  const run = await capture(process.execPath, args, { timeoutMs: 180_000 });
  if (run.code !== 0) throw new Error(`bare harness ${mode} ${worker.join(' ')}: exit ${run.code ?? run.signal}: ${run.stderr.slice(0, 400)}`);
  return (JSON.parse(run.stdout) as { msPerTask: number }).msPerTask;
}

async function leakhunt(worker: string[], tasksFile: string, mode: string, json: string): Promise<number> {
  const args = [BIN, 'compare', '-q', '--tasks', tasksFile, '--modes', mode, '--json', json, '--', ...worker];
  const run = await capture(process.execPath, args, { timeoutMs: 180_000, env: { ...process.env, NO_COLOR: '1' } });
  if (run.code !== 0 && run.code !== 1) throw new Error(`leakhunt compare ${mode} ${worker.join(' ')}: exit ${run.code ?? run.signal}: ${run.stderr.slice(0, 400)}`);
  const report = JSON.parse(readFileSync(json, 'utf8')) as { modes: Array<{ msPerTask: number | null; failure?: string }> };
  const figures = report.modes[0]!;
  if (figures.failure || figures.msPerTask === null) throw new Error(`leakhunt compare ${mode}: ${figures.failure ?? 'no task finished'}`);
  return figures.msPerTask;
}

/** `rounds` rounds of every bare variant and leakhunt, in rotating order. */
export async function pairedRuns(dir: string, worker: string[], tasksFile: string, mode: string, rounds: number, variants: readonly BareVariant[]): Promise<PairedRuns> {
  const bareTimes = new Map<string, number[]>(variants.map((v) => [variantName(v), []]));
  const leakhuntTimes: number[] = [];
  const json = join(dir, 'paired.json');
  const runners: Array<() => Promise<void>> = [
    ...variants.map((v) => async () => void bareTimes.get(variantName(v))!.push(await bare(worker, tasksFile, mode, v))),
    async () => void leakhuntTimes.push(await leakhunt(worker, tasksFile, mode, json)),
  ];
  // A first round warms the page cache and the interpreters' bytecode caches; it is not counted.
  for (const run of runners) await run();
  for (const times of bareTimes.values()) times.length = 0;
  leakhuntTimes.length = 0;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < runners.length; i++) await runners[(round + i) % runners.length]!();
  }
  const best = [...bareTimes].sort((a, b) => median(a[1]) - median(b[1]))[0]![0];
  return { bare: bareTimes, leakhunt: leakhuntTimes, best };
}

/** Median of the per-round ratios leakhunt / bare at the best variant. */
export function pairedRatio(runs: PairedRuns): number {
  const bare = runs.bare.get(runs.best)!;
  return median(runs.leakhunt.map((ms, i) => ms / bare[i]!));
}
