// Row 3: observer overhead. A CPU-bound worker (bench/fixtures/cpu-bound.js) times its own loop,
// bare and under `leakhunt watch` at 100 ms and 10 ms. Runs are interleaved round by round, in a
// rotating order, so a burst of other load on the machine hits every variant alike. While the loop
// runs, leakhunt's own CPU time is read too: on a contended machine its share of a core is the most
// it can take from the worker, a bound that machine noise does not blur.
import { spawn } from 'node:child_process';
import { BIN, benchFixture, killGroup } from '../lib/processes.js';
import { cpuNsOf, forksSinceBoot } from '../lib/proc.js';
import { fmt, median, monotonicMs, pct, percent, relativeSpread } from '../lib/stats.js';
import type { RowResult } from '../lib/table.js';

const ROUNDS = 7;
/** The loop is sized to take about this long bare, as the issue asks (~2 s). */
const TARGET_LOOP_MS = 2000;
/** Target (issue 8): watching at 100 ms slows the worker by less than 1%. */
const OVERHEAD_TARGET = 0.01;

interface LoopRun {
  elapsedMs: number;
  cpuMs: number;
  /** leakhunt's CPU time over the loop's wall time (watched runs only). */
  observerShare: number | null;
}

const worker = (rounds: number): string[] => [benchFixture('cpu-bound.js'), String(rounds)];
const VARIANTS: Record<string, (rounds: number) => string[]> = {
  bare: worker,
  'watch 100ms': (rounds) => [BIN, 'watch', '-q', '--interval', '100ms', '--', process.execPath, ...worker(rounds)],
  'watch 10ms': (rounds) => [BIN, 'watch', '-q', '--interval', '10ms', '--', process.execPath, ...worker(rounds)],
};

/** Runs one variant; for a watched one, leakhunt's CPU is read as the loop starts and as it ends. */
function runLoop(args: string[], watched: boolean): Promise<LoopRun> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  let loopStart: { at: number; cpuNs: number | null } | null = null;
  let loopEnd: { at: number; cpuNs: number | null } | null = null;
  const mark = () => ({ at: monotonicMs(), cpuNs: watched ? cpuNsOf(child.pid!) : null });
  child.stdout!.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    if (!loopStart && stdout.includes('cpu-bound-start\n')) loopStart = mark();
    if (!loopEnd && stdout.includes('cpu-bound {')) loopEnd = mark();
  });
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const timer = setTimeout(() => killGroup(child.pid), 60_000);
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith('cpu-bound {'));
      if (!line || code !== 0 || !loopStart || !loopEnd) {
        fail(new Error(`${args.join(' ')}: exit ${code}, ${stderr.slice(0, 300)}`));
        return;
      }
      const { elapsedMs, cpuMs } = JSON.parse(line.slice('cpu-bound '.length)) as LoopRun;
      const start: { at: number; cpuNs: number | null } = loopStart;
      const end: { at: number; cpuNs: number | null } = loopEnd;
      const observerShare = start.cpuNs !== null && end.cpuNs !== null ? (end.cpuNs - start.cpuNs) / 1e6 / (end.at - start.at) : null;
      done({ elapsedMs, cpuMs, observerShare });
    });
  });
}

/**
 * Rounds for a loop of about TARGET_LOOP_MS, from short bare runs (median of three). Sized by CPU
 * time, which other load on the machine does not stretch the way it stretches wall time.
 */
async function calibrate(): Promise<number> {
  const probe = 100_000;
  const times: number[] = [];
  for (let i = 0; i < 3; i++) times.push((await runLoop(VARIANTS.bare!(probe), false)).cpuMs);
  return Math.max(10_000, Math.round((probe * TARGET_LOOP_MS) / median(times)));
}

export async function observerOverhead(): Promise<RowResult> {
  const rounds = await calibrate();
  const names = Object.keys(VARIANTS);
  const runs: Record<string, LoopRun[]> = Object.fromEntries(names.map((n) => [n, []]));
  const forksBefore = forksSinceBoot();
  const startedAt = monotonicMs();
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names.map((_, i) => names[(i + round) % names.length]!)) {
      runs[name]!.push(await runLoop(VARIANTS[name]!(rounds), name !== 'bare'));
    }
  }
  const forksPerSecond = (forksSinceBoot() - forksBefore) / ((monotonicMs() - startedAt) / 1000);
  const wall = (name: string): number[] => runs[name]!.map((r) => r.elapsedMs);
  // Each round's watched run against the bare run of the same round, then the median: load that
  // drifts over the minute the row takes cancels out of every pair.
  const overhead = (name: string): number => median(wall(name).map((ms, i) => ms / wall('bare')[i]!)) - 1;
  const share = (name: string): number => median(runs[name]!.map((r) => r.observerShare ?? Number.NaN));
  const spread = relativeSpread(wall('bare'));
  const at100 = overhead('watch 100ms');
  // Wall time settles the target when repeated bare runs agree to better than the target itself;
  // on a noisier machine the observer's CPU share, the most it can take from the worker, does.
  const resolvable = spread < OVERHEAD_TARGET;
  const met = resolvable ? at100 < OVERHEAD_TARGET : share('watch 100ms') < OVERHEAD_TARGET;
  return {
    lines: [
      {
        row: 3,
        what: 'observer overhead, CPU-bound worker (wall time of its loop; leakhunt\'s CPU share)',
        measured: `bare ${fmt(median(wall('bare')))} ms, runs spread ±${(spread * 100).toFixed(1)}%; watch 100ms ${pct(at100)} (leakhunt ${percent(share('watch 100ms'))} of a core); watch 10ms ${pct(overhead('watch 10ms'))} (${percent(share('watch 10ms'))})`,
        target: `< ${OVERHEAD_TARGET * 100}% at 100 ms`,
        met,
        ...(met ? {} : { why: `leakhunt took ${percent(share('watch 100ms'))} of a core while watching at 100 ms, and the loop's wall time changed by ${pct(at100)} (bare runs spread ±${(spread * 100).toFixed(1)}%). Each tick lists /proc and reads the stat of every process born since the last one, and this machine started ${fmt(forksPerSecond)} processes a second during the row (the bench's own runs are about 2 of them); a tick skips the listing only when none was.` }),
      },
    ],
    details: [
      {
        title: `Observer overhead (${ROUNDS} interleaved rounds, ${rounds.toLocaleString('en-US')} sha256 rounds per run)`,
        header: ['variant', 'median wall ms', 'vs bare (median of paired rounds)', 'spread ±', 'median CPU ms', "leakhunt's CPU, % of a core"],
        rows: names.map((n) => [n, fmt(median(wall(n))), n === 'bare' ? '—' : pct(overhead(n)), `${(relativeSpread(wall(n)) * 100).toFixed(1)}%`, fmt(median(runs[n]!.map((r) => r.cpuMs))), n === 'bare' ? '—' : percent(share(n))]),
        notes: [
          "Wall and CPU time of the worker's loop, measured by the worker itself: leakhunt's own start-up and report are not part of it. Spread is half the interquartile range relative to the median.",
          "leakhunt's CPU is the time its threads spent on a CPU (/proc/<pid>/task/*/schedstat) from the loop's start to its end, over that wall time. On an idle multi-core machine leakhunt samples on another core and the worker loses nothing; where cores are contended it can lose at most that share.",
          resolvable
            ? `Repeated bare runs agreed within ±${(spread * 100).toFixed(1)}%, so the wall-time difference decides the target.`
            : `Repeated bare runs spread by ±${(spread * 100).toFixed(1)}%, more than the ${OVERHEAD_TARGET * 100}% target, so wall time cannot resolve it here: leakhunt's CPU share decides.`,
        ],
      },
    ],
  };
}
