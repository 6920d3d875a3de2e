// A realistic synthetic RunResult for tests of anything that reads one (writers, renderers,
// loaders): a worker tree of two processes running tasks of two types, sampled on an interval
// and at every task boundary. Deterministic for a given seed.
import { mulberry32 } from '../../src/seeded-random.js';
import {
  REPORT_SCHEMA,
  type Attribution,
  type ModeResult,
  type ProcessSummary,
  type RunResult,
  type Sample,
  type SampleEvent,
  type TaskRecord,
  type Verdict,
} from '../../src/model.js';

const MB = 1024 * 1024;

export interface SampleRunOptions {
  /** Number of tasks (default 40). */
  tasks?: number;
  /** RSS the worker keeps after every task (default 1 MB); 0 gives a stable worker. */
  leakPerTaskBytes?: number;
  /** Extra RSS the first run of each task type keeps (imports, warm-up; default 4 MB). */
  warmUpBytes?: number;
  /** Task type names, cycled (default send_email, build_report). */
  names?: string[];
  seed?: number;
  intervalMs?: number;
  /** Wall time of one task (default 250 ms); tasks are 50 ms apart. */
  taskMs?: number;
  /** A memory limit for the verdict's projection (default 2 GB; null for none). */
  limitBytes?: number | null;
  /** Build a comparison: one ModeResult per mode (in-process leaks, isolated and fork stay flat, recycle:N saws). */
  modes?: string[];
  /** Mark the run as cut short (the last task never ends). */
  incomplete?: boolean;
  /** Commands the worker tree runs (default node worker.js, and a python helper child). */
  commands?: [string, string];
}

/** mulberry32 (the eval's generator): small, seeded, good enough for noise. */
export const seededRandom = mulberry32;

interface Simulated {
  samples: Sample[];
  tasks: TaskRecord[];
  processes: ProcessSummary[];
  wallMs: number;
}

interface Settings extends Required<Omit<SampleRunOptions, 'modes' | 'limitBytes' | 'seed'>> {
  random: () => number;
}

/** How many tasks one worker process runs before a fresh one takes over (Infinity: never). */
function tasksPerProcess(mode: string | undefined): number {
  if (mode === 'isolated' || mode === 'fork') return 1;
  const recycle = /^recycle:(\d+)$/.exec(mode ?? '');
  return recycle ? Number(recycle[1]) : Infinity;
}

function simulate(s: Settings, mode: string | undefined, pidBase: number): Simulated {
  const perProcess = tasksPerProcess(mode);
  const childRss = 20 * MB;
  const baseRss = 48 * MB;
  const gap = 50;
  const samples: Sample[] = [];
  const tasks: TaskRecord[] = [];
  let seq = 0;
  let retained = 0; // what the current worker process holds above its base
  const seenNames = new Set<string>();
  let generation = 0;
  const noise = (): number => Math.round((s.random() - 0.5) * 256 * 1024);

  const snapshot = (elapsedMs: number, event: SampleEvent, extra: number, task?: TaskRecord): void => {
    const rootPid = pidBase + generation * 2;
    const rootRss = baseRss + retained + extra + noise();
    const rows: Array<[number, number, string, number]> = [
      [rootPid, pidBase - 1, s.commands[0], rootRss],
      [rootPid + 1, rootPid, s.commands[1], childRss + noise()],
    ];
    for (const [pid, ppid, command, rss] of rows) {
      samples.push({
        seq, elapsedMs, event, pid, ppid, startTime: 100_000 + pid, command,
        rssBytes: rss, vmsBytes: rss * 4 + 300 * MB, peakRssBytes: rss + 2 * MB, fds: 12, threads: 7,
        ...(task ? { task: task.task, name: task.name } : {}),
        ...(mode ? { mode } : {}),
      });
    }
    seq++;
  };
  // Every snapshot is two rows (root, child): the tree total of the latest one.
  const lastTreeRss = (): number => samples.slice(-2).reduce((sum, row) => sum + (row.rssBytes ?? 0), 0);

  let now = 0;
  snapshot(now, 'start', 0);
  const count = s.tasks;
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % perProcess === 0) {
      generation++;
      retained = 0;
      seenNames.clear();
    }
    const name = s.names[i % s.names.length]!;
    const task: TaskRecord = {
      task: String(i + 1), name, pid: pidBase + generation * 2, startMs: now + gap, endMs: null,
      durationMs: null, ok: null, rssBeforeBytes: null, rssAfterBytes: null, deltaBytes: null,
      treeRssBeforeBytes: null, treeRssAfterBytes: null, treeDeltaBytes: null,
      ...(mode ? { mode } : {}),
    };
    // Interval ticks between boundaries, so the tree series has rows of every kind.
    for (let t = now + s.intervalMs; t < task.startMs; t += s.intervalMs) snapshot(t, 'tick', 0);
    snapshot(task.startMs, 'task-start', 0, task);
    task.rssBeforeBytes = samples.at(-2)!.rssBytes;
    task.treeRssBeforeBytes = lastTreeRss();
    const endMs = task.startMs + s.taskMs;
    for (let t = task.startMs + s.intervalMs; t < endMs; t += s.intervalMs) snapshot(t, 'tick', 6 * MB);
    const lastOne = s.incomplete && i === count - 1;
    if (lastOne) {
      now = endMs;
      break;
    }
    retained += s.leakPerTaskBytes + (seenNames.has(name) ? 0 : s.warmUpBytes);
    seenNames.add(name);
    snapshot(endMs, 'task-end', 0, task);
    task.endMs = endMs;
    task.durationMs = s.taskMs;
    task.ok = true;
    task.rssAfterBytes = samples.at(-2)!.rssBytes;
    task.deltaBytes = task.rssAfterBytes! - task.rssBeforeBytes!;
    task.treeRssAfterBytes = lastTreeRss();
    task.treeDeltaBytes = task.treeRssAfterBytes - task.treeRssBeforeBytes;
    task.metrics = { heapUsed: 18_000_000 + Math.round(retained / 2) };
    tasks.push(task);
    now = endMs;
  }
  if (s.incomplete) tasks.push(...pendingTask(samples, s, mode, pidBase + generation * 2, count));
  else snapshot(now + gap, 'exit', 0);
  return { samples, tasks, processes: summarise(samples), wallMs: samples.at(-1)!.elapsedMs };
}

/** The task that was running when an incomplete run stopped: it has a start and nothing else. */
function pendingTask(samples: Sample[], s: Settings, mode: string | undefined, pid: number, count: number): TaskRecord[] {
  const start = samples.find((row) => row.event === 'task-start' && row.task === String(count));
  if (!start) return [];
  return [{
    task: String(count), name: s.names[(count - 1) % s.names.length]!, pid, startMs: start.elapsedMs,
    endMs: null, durationMs: null, ok: null, rssBeforeBytes: start.rssBytes, rssAfterBytes: null,
    deltaBytes: null,
    treeRssBeforeBytes: samples.filter((row) => row.seq === start.seq).reduce((sum, row) => sum + (row.rssBytes ?? 0), 0),
    treeRssAfterBytes: null, treeDeltaBytes: null,
    ...(mode ? { mode } : {}),
  }];
}

/** The per-process summary, built from the rows as the real pipeline would. */
export function summarise(samples: Sample[]): ProcessSummary[] {
  const byProcess = new Map<string, ProcessSummary>();
  for (const row of samples) {
    const key = `${row.pid}@${row.startTime}`;
    const known = byProcess.get(key);
    if (!known) {
      byProcess.set(key, {
        pid: row.pid, ppid: row.ppid, startTime: row.startTime, command: row.command,
        firstMs: row.elapsedMs, lastMs: row.elapsedMs, firstRssBytes: row.rssBytes, lastRssBytes: row.rssBytes,
        peakRssBytes: row.rssBytes, lastVmsBytes: row.vmsBytes, growthBytes: 0, samples: 1,
      });
      continue;
    }
    known.lastMs = row.elapsedMs;
    known.lastRssBytes = row.rssBytes;
    known.lastVmsBytes = row.vmsBytes;
    known.peakRssBytes = Math.max(known.peakRssBytes ?? 0, row.rssBytes ?? 0);
    known.growthBytes = (row.rssBytes ?? 0) - (known.firstRssBytes ?? 0);
    known.samples++;
  }
  return [...byProcess.values()];
}

function attribute(tasks: TaskRecord[]): Attribution[] {
  // One pass to group (a long run has 10^5 tasks over thousands of names).
  const byName = new Map<string, TaskRecord[]>();
  for (const t of tasks) {
    if (!byName.has(t.name)) byName.set(t.name, []);
    if (t.deltaBytes !== null) byName.get(t.name)!.push(t);
  }
  return [...byName].map(([name, runs]) => {
    const repeats = runs.slice(1).map((t) => t.deltaBytes!);
    const repeatBytesPerRun = repeats.length ? Math.round(repeats.reduce((a, b) => a + b, 0) / repeats.length) : null;
    const kind: Attribution['kind'] = runs.length < 2 ? 'single-run'
      : (repeatBytesPerRun ?? 0) > 256 * 1024 ? 'leak'
      : (runs[0]?.deltaBytes ?? 0) > MB ? 'warm-up' : 'flat';
    return {
      name, runs: runs.length, firstRunBytes: runs[0]?.deltaBytes ?? null, repeatBytesPerRun,
      retainedBytes: runs.reduce((sum, t) => sum + (t.deltaBytes ?? 0), 0), kind,
    };
  });
}

function verdictFor(perTask: number, taskMs: number, limitBytes: number | null, heldBytes: number, incomplete: boolean): Verdict {
  const tasksPerHour = 3_600_000 / taskMs;
  const leaking = perTask > 0;
  const ci: [number, number] = [perTask * 0.98, perTask * 1.02];
  const limit = limitBytes === null ? null : { bytes: limitBytes, source: 'flag' as const };
  const room = limitBytes === null ? 0 : Math.max(0, limitBytes - heldBytes);
  const tasksTo = (slope: number): number | null => (slope > 0 ? Math.ceil(room / slope) : null);
  return {
    status: leaking ? 'leak' : 'stable',
    reason: leaking ? 'sustained growth' : 'no trend',
    series: 'tree-rss',
    bytesPerTask: perTask,
    bytesPerTaskCI: ci,
    bytesPerHour: perTask * tasksPerHour,
    bytesPerHourCI: [ci[0] * tasksPerHour, ci[1] * tasksPerHour],
    statistic: leaking
      ? { mannKendallZ: 7.9, pValue: 1e-12, lag1: 0.12, blocks: 8, blockSize: 5 }
      : { mannKendallZ: 0.4, pValue: 0.69, lag1: 0.05, blocks: 8, blockSize: 5 },
    window: { from: 3, to: 40, unit: 'task' },
    limit,
    projection: leaking && limit
      ? {
          tasksToLimit: [tasksTo(ci[1]), tasksTo(ci[0])],
          secondsToLimit: [Math.round(tasksTo(ci[1])! * taskMs / 1000), Math.round(tasksTo(ci[0])! * taskMs / 1000)],
        }
      : null,
    ...(incomplete ? { incomplete: true } : {}),
  };
}

function modeResult(s: Settings, mode: string, index: number, limitBytes: number | null): MadeMode {
  const leaks = mode === 'in-process' || mode.startsWith('recycle:');
  const run = simulate(s, mode, 5000 + index * 1000);
  const ends = run.tasks.filter((t) => t.treeRssAfterBytes !== null);
  const peak = Math.max(...run.samples.map((row) => row.rssBytes ?? 0)) + 20 * MB;
  const perTask = mode === 'in-process' ? s.leakPerTaskBytes : 0;
  return {
    mode,
    verdict: verdictFor(perTask, s.taskMs + 50, limitBytes, ends.at(-1)?.treeRssAfterBytes ?? 0, false),
    tasks: run.tasks,
    samples: run.samples,
    processes: run.processes,
    attribution: attribute(run.tasks),
    baselineBytes: ends[0]?.treeRssAfterBytes ?? null,
    finalBytes: ends.at(-1)?.treeRssAfterBytes ?? null,
    peakTreeRssBytes: leaks ? peak : (ends[0]?.treeRssAfterBytes ?? null),
    // Each fresh process costs a start-up; in-process pays it once.
    msPerTask: s.taskMs + 50 + (mode === 'in-process' ? 0 : 120 / tasksPerProcess(mode)),
    wallMs: run.wallMs,
  };
}

/** A finished run of a leaky worker (or a comparison, with `modes`). */
/** A made run holds its tables as plain arrays, as a run read back from a file does. */
export type MadeMode = ModeResult & { tasks: TaskRecord[] };
export type MadeRun = RunResult & { tasks: TaskRecord[]; modes?: MadeMode[] };

export function makeRun(options: SampleRunOptions = {}): MadeRun {
  const settings: Settings = {
    tasks: options.tasks ?? 40,
    leakPerTaskBytes: options.leakPerTaskBytes ?? MB,
    warmUpBytes: options.warmUpBytes ?? 4 * MB,
    names: options.names ?? ['send_email', 'build_report'],
    intervalMs: options.intervalMs ?? 100,
    taskMs: options.taskMs ?? 250,
    incomplete: options.incomplete ?? false,
    commands: options.commands ?? ['node worker.js --queue default', 'python3 -m helper'],
    random: seededRandom(options.seed ?? 42),
  };
  const limitBytes = options.limitBytes === undefined ? 2 * 1024 * MB : options.limitBytes;
  const modes = options.modes?.map((mode, index) => modeResult(settings, mode, index, limitBytes));
  const main = modes ? null : simulate(settings, undefined, 4242);
  const samples = modes ? modes.flatMap((m) => [...m.samples]) : main!.samples;
  const tasks = modes ? modes.flatMap((m) => m.tasks) : main!.tasks;
  const durationMs = modes ? modes.reduce((sum, m) => sum + m.wallMs, 0) : main!.wallMs;
  const held = tasks.filter((t) => t.treeRssAfterBytes !== null).at(-1)?.treeRssAfterBytes ?? 0;
  const startedAt = new Date(Date.UTC(2024, 4, 1, 12, 0, 0));
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'leakhunt', version: '0.1.0' },
    command: settings.commands[0].split(' '),
    startedAt: startedAt.toISOString(),
    endedAt: new Date(startedAt.getTime() + durationMs).toISOString(),
    durationMs,
    intervalMs: settings.intervalMs,
    metric: 'rss',
    platform: 'linux',
    sampler: 'linux-proc',
    exit: settings.incomplete ? { code: null, signal: 'SIGKILL' } : { code: 0, signal: null },
    incomplete: settings.incomplete,
    samples,
    tasks,
    processes: modes ? modes.flatMap((m) => m.processes) : main!.processes,
    verdict: modes
      ? modes[0]!.verdict
      : verdictFor(settings.leakPerTaskBytes, settings.taskMs + 50, limitBytes, held, settings.incomplete),
    attribution: attribute(tasks),
    protocol: { malformed: 0, oversized: 0 },
    ...(settings.incomplete ? { unfinished: { inFlight: String(settings.tasks), neverRan: 0 } } : {}),
    vanished: 0,
    slowTicks: 0,
    ...(modes ? { modes } : {}),
  };
}
