// Row 2: what watching costs the watcher. leakhunt, mprof (-C, the tree summed) and pidstat each
// sample the same 50-process tree; each tool's CPU (user + system) and samples are counted over the
// same steady window, after start-up, so start-up and report writing are not part of the figure.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { cpuMsOf, statusBytes, treeOf } from '../lib/proc.js';
import { BIN, killGroup, sleepTreeScript, startSleepTree } from '../lib/processes.js';
import { progress } from '../lib/progress.js';
import { fmt, median, mib } from '../lib/stats.js';
import type { RowResult } from '../lib/table.js';
import { lastCsvSeq, mprofSamples, pidstatSamples } from './own-cost-count.js';

const TREE = 50;
const INTERVAL_MS = 10;
/** Steady state is measured from WARM_MS after the tree is complete, for WINDOW_MS. */
const WARM_MS = 1000;
const WINDOW_MS = 5000;
/** The sleepers outlive the window by a margin, then end, and the tools with them. */
const TREE_LIFE_S = 9;
const ROUNDS = 3;
/** RSS growth below this per second, over a 5 s window, is allocator noise rather than kept data. */
const VISIBLE_GROWTH_BYTES = 0.1 * 1024 * 1024;

interface Tool {
  name: string;
  start(dir: string): ChildProcess;
  /** Processes under the tool once the tree is complete (the tool itself included). */
  readySize: number;
  /** A counter read at the window's edges (a sample number, or the wall clock). */
  mark(dir: string): number;
  samplesBetween(dir: string, from: number, to: number, output: string): number;
  /** Ends the tool (pidstat runs until stopped; the others end with the tree). */
  stop?(child: ChildProcess): void;
  tree?: ChildProcess;
}

interface Measured {
  cpuMs: number;
  samples: number;
  hwmBytes: number;
  /** VmRSS at the window's end minus at its start: memory the tool kept while sampling. */
  rssGrowthBytes: number;
}

const epochSeconds = (): number => Date.now() / 1000;
const script = sleepTreeScript(TREE, TREE_LIFE_S);

function tools(): Tool[] {
  const list: Tool[] = [
    {
      name: 'leakhunt',
      start: (dir) => spawn(process.execPath, [BIN, 'watch', '-q', '--interval', `${INTERVAL_MS}ms`, '--csv', join(dir, 'run.csv'), '--', 'sh', '-c', script], { stdio: 'ignore', detached: true }),
      readySize: TREE + 1,
      mark: (dir) => lastCsvSeq(join(dir, 'run.csv')),
      samplesBetween: (_dir, from, to) => to - from,
    },
  ];
  if (installed('python3-mprof')) {
    list.push({
      name: 'mprof run -C',
      start: (dir) => spawn('python3-mprof', ['run', '-C', '-T', String(INTERVAL_MS / 1000), '-o', join(dir, 'mprof.dat'), 'sh', '-c', script], { stdio: 'ignore', detached: true }),
      readySize: TREE + 1,
      mark: epochSeconds,
      samplesBetween: (dir, from, to) => mprofSamples(readFileSync(join(dir, 'mprof.dat'), 'utf8'), from, to),
    });
  }
  if (installed('pidstat')) {
    const tool: Tool = {
      name: 'pidstat -r (1 s)',
      start() {
        const pids = treeOf(tool.tree!.pid!).join(',');
        return spawn('pidstat', ['-r', '-h', '-H', '-p', pids, '1'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
      },
      readySize: 1,
      mark: epochSeconds,
      samplesBetween: (_dir, from, to, output) => pidstatSamples(output, from, to),
      stop: (child) => killGroup(child.pid),
    };
    list.push(tool);
  }
  return list;
}

function installed(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function measure(tool: Tool): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-bench-'));
  if (tool.name.startsWith('pidstat')) tool.tree = await startSleepTree(TREE, TREE_LIFE_S);
  const child = tool.start(dir);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (output += text));
  const ended = new Promise<void>((done) => child.once('close', () => done()));
  try {
    const deadline = Date.now() + 20_000;
    while (treeOf(child.pid!).length < tool.readySize) {
      if (Date.now() > deadline) throw new Error(`${tool.name}: the tree did not start`);
      await delay(20);
    }
    await delay(WARM_MS);
    const cpu0 = cpuMsOf(child.pid!)!;
    const rss0 = statusBytes(child.pid!, 'VmRSS')!;
    const mark0 = tool.mark(dir);
    await delay(WINDOW_MS);
    const cpu1 = cpuMsOf(child.pid!);
    const mark1 = tool.mark(dir);
    const hwmBytes = statusBytes(child.pid!, 'VmHWM');
    const rss1 = statusBytes(child.pid!, 'VmRSS');
    if (cpu1 === null || hwmBytes === null || rss1 === null) throw new Error(`${tool.name} ended before the window did`);
    tool.stop?.(child);
    await Promise.race([ended, delay(20_000)]);
    return { cpuMs: cpu1 - cpu0, samples: tool.samplesBetween(dir, mark0, mark1, output), hwmBytes, rssGrowthBytes: rss1 - rss0 };
  } finally {
    for (const pid of treeOf(child.pid!).slice(1)) killGroup(pid);
    killGroup(child.pid);
    killGroup(tool.tree?.pid);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function ownCost(): Promise<RowResult> {
  const list = tools();
  const runs = new Map<string, Measured[]>(list.map((t) => [t.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const tool of list) {
      const m = await measure(tool);
      progress(`${tool.name}: ${fmt(m.cpuMs)} ms CPU, ${m.samples} samples, peak ${mib(m.hwmBytes)}`);
      runs.get(tool.name)!.push(m);
    }
  }
  const perTick = (name: string): number => median(runs.get(name)!.map((r) => r.cpuMs / r.samples));
  const rate = (name: string): number => median(runs.get(name)!.map((r) => r.samples / (WINDOW_MS / 1000)));
  const share = (name: string): number => median(runs.get(name)!.map((r) => r.cpuMs / WINDOW_MS));
  const hwm = (name: string): number => median(runs.get(name)!.map((r) => r.hwmBytes));
  const growth = (name: string): number => median(runs.get(name)!.map((r) => r.rssGrowthBytes / (WINDOW_MS / 1000)));
  const skipped = ['mprof run -C', 'pidstat -r (1 s)'].filter((n) => !runs.has(n));
  const mprof = runs.has('mprof run -C') ? perTick('mprof run -C') : null;
  const mine = perTick('leakhunt');
  const measured = [...runs.keys()]
    .map((n) => `${n} ${fmt(perTick(n) * 1000)} ms CPU per 1,000 ticks, peak ${mib(hwm(n))}${growth(n) >= VISIBLE_GROWTH_BYTES ? ` (growing ${mib(growth(n))}/s)` : ''}`)
    .join('; ');
  return {
    lines: [
      {
        row: 2,
        what: `own cost, ${TREE}-process tree at ${INTERVAL_MS} ms`,
        measured,
        target: 'less CPU per sample than mprof',
        met: mprof === null ? null : mine < mprof,
        ...(mprof !== null && mine >= mprof ? { why: `leakhunt spent ${fmt(mine)} ms of CPU per sample against mprof's ${fmt(mprof)} ms.` } : {}),
      },
    ],
    details: [
      {
        title: `Own cost on a ${TREE}-process tree, asked for every ${INTERVAL_MS} ms (medians of ${ROUNDS} rounds)`,
        header: ['tool', 'CPU ms per sample', 'samples per s', 'CPU, % of one core', 'peak RSS (VmHWM)', 'RSS growth per s'],
        rows: [...runs.keys()].map((n) => [n, fmt(perTick(n)), fmt(rate(n)), `${fmt(share(n) * 100)}%`, mib(hwm(n)), mib(growth(n))]),
        notes: [
          `CPU is utime + stime of the tool's own process over a ${WINDOW_MS / 1000} s window that starts ${WARM_MS / 1000} s after the tree is complete; samples are those the tool recorded in that window (leakhunt: sample numbers in its live CSV; mprof: the timestamps of its MEM lines; pidstat: the timestamps of its rows). leakhunt ran with --csv, as a user would, so writing the rows is part of its cost.`,
          'pidstat cannot sample faster than once a second, so it ran at 1 s over the same PIDs; mprof sleeps 10 ms after each sample (it drifts), so it takes fewer than 100 samples a second. CPU is counted in clock ticks (10 ms), coarse for pidstat\'s few samples.',
          'The sample rows of leakhunt go to the live CSV and to a temp file, not to its heap: the RSS growth above is its warm-up (heap and compiled code) in its first seconds, as the window ends 6 s after the tree is complete; its steady state is measured by the soak (README, Reliability).',
          ...skipped.map((n) => `${n}: not installed here, skipped.`),
        ],
      },
    ],
  };
}
