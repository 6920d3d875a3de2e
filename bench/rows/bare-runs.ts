// Paired runs of one mode: the bare harness with 1, 2 and 4 spares and `leakhunt compare` on the
// same task stream, alternating within each round (and each round's order rotated), so a busy
// spell of the machine falls on both sides alike.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, capture } from '../lib/processes.js';
import { median } from '../lib/stats.js';

/** Spare counts the bare harness is run with; its best one is the yardstick. */
export const BARE_SPARES = [1, 2, 4] as const;

export interface PairedRuns {
  /** ms per task of each round, per spare count. */
  bare: Map<number, number[]>;
  leakhunt: number[];
  /** The bare harness's fastest spare count (lowest median). */
  bestSpares: number;
}

const HARNESS = join(ROOT, 'dist', 'bench', 'harness', 'bare.js');

/** Writes `count` tasks cycling through `names` to dir/name and returns its path. */
export function writeTasks(dir: string, file: string, count: number, names: readonly string[]): string {
  const path = join(dir, file);
  writeFileSync(path, Array.from({ length: count }, (_, i) => JSON.stringify({ task: String(i + 1), name: names[i % names.length] })).join('\n') + '\n');
  return path;
}

async function bare(worker: string[], tasksFile: string, mode: string, spares: number): Promise<number> {
  const run = await capture(process.execPath, [HARNESS, '--mode', mode, '--spares', String(spares), '--tasks', tasksFile, '--', ...worker], { timeoutMs: 180_000 });
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

/** `rounds` rounds of every bare spare count and leakhunt, in rotating order. */
export async function pairedRuns(dir: string, worker: string[], tasksFile: string, mode: string, rounds: number, spareCounts: readonly number[]): Promise<PairedRuns> {
  const bareTimes = new Map<number, number[]>(spareCounts.map((k) => [k, []]));
  const leakhuntTimes: number[] = [];
  const json = join(dir, 'paired.json');
  const runners: Array<() => Promise<void>> = [
    ...spareCounts.map((k) => async () => void bareTimes.get(k)!.push(await bare(worker, tasksFile, mode, k))),
    async () => void leakhuntTimes.push(await leakhunt(worker, tasksFile, mode, json)),
  ];
  // A first round warms the page cache and the interpreters' bytecode caches; it is not counted.
  for (const run of runners) await run();
  for (const k of spareCounts) bareTimes.get(k)!.length = 0;
  leakhuntTimes.length = 0;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < runners.length; i++) await runners[(round + i) % runners.length]!();
  }
  const bestSpares = [...bareTimes].sort((a, b) => median(a[1]) - median(b[1]))[0]![0];
  return { bare: bareTimes, leakhunt: leakhuntTimes, bestSpares };
}

/** Median of the per-round ratios leakhunt / bare at the best spare count. */
export function pairedRatio(runs: PairedRuns): number {
  const bare = runs.bare.get(runs.bestSpares)!;
  return median(runs.leakhunt.map((ms, i) => ms / bare[i]!));
}
