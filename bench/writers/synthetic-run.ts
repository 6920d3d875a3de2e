// A synthetic day of watching: a worker and its four children sampled every second for 24 hours
// (86,400 ticks × 5 processes; fewer when asked), running a task every 10 s, the worker leaking
// slowly. Built from a seeded generator so every bench run writes the same report.
import { REPORT_SCHEMA, type ProcessSummary, type RunResult, type Sample, type TaskRecord } from '../../src/model.js';
import { SpilledRows } from '../../src/runner/spill-rows.js';

export const TICKS = 86_400;
export const PROCESSES = 5;
const INTERVAL_MS = 1000;
const TASK_EVERY_TICKS = 10;
const TASK_NAMES = ['send_email', 'build_report', 'parse_csv', 'sync_calendar'];
const MiB = 1024 * 1024;

/** mulberry32: a small seeded generator, so the data is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const COMMANDS = ['python3 worker.py --queue default', 'python3 -c from multiprocessing...', 'python3 -c from multiprocessing...', 'python3 -c from multiprocessing...', '/usr/bin/gs -q -dBATCH report.ps'];

/** One tree reading for tick k: the root (pid 1000) leaks 40 KB a task; the children stay flat. */
export function tickSamples(k: number, random: () => number): Sample[] {
  const rows: Sample[] = [];
  for (let p = 0; p < PROCESSES; p++) {
    const base = p === 0 ? 80 * MiB + Math.floor(k / TASK_EVERY_TICKS) * 40 * 1024 : 30 * MiB;
    const rss = base + Math.floor(random() * 2 * MiB);
    rows.push({
      seq: k, elapsedMs: k * INTERVAL_MS, event: 'tick', pid: 1000 + p, ppid: p === 0 ? 1 : 1000, startTime: 5_000 + p,
      command: COMMANDS[p]!, rssBytes: rss, vmsBytes: rss * 4, peakRssBytes: rss + MiB, fds: 12 + p, threads: p === 0 ? 4 : 1,
    });
  }
  return rows;
}

export function syntheticRun(ticks = TICKS): RunResult {
  const random = seeded(8);
  // Held as a recording holds them: spilled to disk; only the root's RSS per tick stays here.
  const samples = new SpilledRows<Sample>('samples');
  const rootRss: number[] = [];
  const edges: Sample[][] = [];
  for (let k = 0; k < ticks; k++) {
    const rows = tickSamples(k, random);
    samples.append(rows);
    rootRss.push(rows[0]!.rssBytes!);
    if (k === 0 || k === ticks - 1) edges.push(rows);
  }
  const tasks: TaskRecord[] = [];
  for (let k = 0; k + 1 < ticks; k += TASK_EVERY_TICKS) {
    const before = rootRss[k]!;
    const after = rootRss[k + 1]!;
    tasks.push({
      task: String(tasks.length + 1), name: TASK_NAMES[tasks.length % TASK_NAMES.length]!, pid: 1000,
      startMs: k * INTERVAL_MS, endMs: (k + 1) * INTERVAL_MS, durationMs: INTERVAL_MS, ok: true,
      rssBeforeBytes: before, rssAfterBytes: after, deltaBytes: after - before,
      treeRssBeforeBytes: before + 4 * 31 * MiB, treeRssAfterBytes: after + 4 * 31 * MiB, treeDeltaBytes: after - before,
    });
  }
  const processes: ProcessSummary[] = Array.from({ length: PROCESSES }, (_, p) => {
    const first = edges[0]![p]!;
    const last = edges.at(-1)![p]!;
    return {
      pid: first.pid, ppid: first.ppid, startTime: first.startTime, command: first.command, firstMs: 0, lastMs: last.elapsedMs,
      firstRssBytes: first.rssBytes, lastRssBytes: last.rssBytes, peakRssBytes: last.peakRssBytes, lastVmsBytes: last.vmsBytes,
      growthBytes: last.rssBytes! - first.rssBytes!, samples: ticks,
    };
  });
  const perTask = 40 * 1024;
  return {
    schema: REPORT_SCHEMA, tool: { name: 'leakhunt', version: '0.0.0-bench' }, command: ['python3', 'worker.py', '--queue', 'default'],
    startedAt: '2026-01-01T00:00:00.000Z', endedAt: new Date(Date.UTC(2026, 0, 1) + ticks * INTERVAL_MS).toISOString(), durationMs: ticks * INTERVAL_MS, intervalMs: INTERVAL_MS,
    metric: 'rss', platform: 'linux', sampler: 'linux', exit: { code: 0, signal: null }, incomplete: false,
    samples, tasks, processes,
    verdict: {
      status: 'leak', reason: 'sustained growth', series: 'tree-rss', bytesPerTask: perTask, bytesPerTaskCI: [perTask * 0.9, perTask * 1.1],
      bytesPerHour: perTask * 360, bytesPerHourCI: [perTask * 324, perTask * 396],
      statistic: { mannKendallZ: 41.2, pValue: 0, lag1: 0.12, blocks: 96, blockSize: 90 }, window: { from: 1, to: tasks.length, unit: 'task' },
      limit: { bytes: 2048 * MiB, source: 'flag' }, projection: { tasksToLimit: [40_000, 48_000], secondsToLimit: [400_000, 480_000] },
    },
    attribution: TASK_NAMES.map((name) => ({ name, runs: tasks.length / 4, firstRunBytes: 2 * MiB, repeatBytesPerRun: perTask, retainedBytes: perTask * (tasks.length / 4), kind: 'leak' as const })),
    protocol: { malformed: 0, oversized: 0 }, vanished: 0, slowTicks: 0,
  };
}
