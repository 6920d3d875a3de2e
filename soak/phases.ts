// The long fault-matrix rows that do not fit in npm test: each runs the built CLI (or the
// programmatic API) at the full size and returns its figures and a pass/fail.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, ROOT, fixture } from '../test/helpers/paths.js';
import { readCsv, statusBytes } from '../test/reliability/support.js';
import { tickTiming, type TickTiming } from '../test/reliability/tick-timing.js';
import type { ProbeFigures } from './isolated-probe.js';

export interface PhaseResult {
  name: string;
  passed: boolean;
  figures: string;
}

const MiB = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;

function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-soak-'));
  return run(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

/**
 * Runs the bin to its end (its stdout to /dev/null); resolves with its exit code, its peak RSS
 * (VmHWM, read until it exits) and how long it took.
 */
function runLeakhunt(args: string[]): Promise<{ code: number | null; peakRssBytes: number; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, statusBytes(child.pid!, 'VmHWM') ?? 0)), 100);
  return new Promise((resolve) => child.once('exit', (code) => {
    clearInterval(timer);
    resolve({ code, peakRssBytes: peak, ms: performance.now() - started });
  }));
}

/** Row 18 at full size: 100 ms for 30 s with every core kept busy. */
export function intervalPhase(seconds = 30): Promise<PhaseResult> {
  return withTempDir(async (dir) => {
    const burners = Array.from({ length: availableParallelism() }, () => spawn(process.execPath, [fixture('faults', 'burn.js'), String((seconds + 5) * 1000)], { stdio: 'ignore' }));
    try {
      const csv = join(dir, 's.csv');
      const { code } = await runLeakhunt(['watch', '-q', '--interval', '100ms', '--duration', `${seconds}s`, '--csv', csv, '--', process.execPath, fixture('steady.js'), String((seconds + 60) * 1000)]);
      const timing: TickTiming = tickTiming(readCsv(csv), 100);
      // The bar: the mean within 5%; drift under a tenth of an interval.
      const passed = code === 0 && Math.abs(timing.meanIntervalMs - 100) <= 5 && Math.abs(timing.driftMs) < 10;
      return { name: `row 18: 100 ms interval for ${seconds} s, all cores busy`, passed, figures: `${timing.ticks} ticks, mean ${timing.meanIntervalMs} ms, drift ${timing.driftMs} ms, largest gap ${timing.maxGapMs} ms` };
    } finally {
      for (const burner of burners) burner.kill('SIGKILL');
    }
  });
}

/** How long the soak waits after row 8's run before reading RSS again: V8's memory reducer ran 10-15 s after it. */
const ROW8_SETTLE_MS = 20_000;
/**
 * Row 8's bar for RSS just after the run (read after V8's memory-pressure collection, as npm test
 * reads it for 100 tasks) and again once V8 has settled on its own.
 */
const ROW8_RSS_SLACK_BYTES = 4 * 1024 * 1024;

/** Row 8 at full size: 500 isolated tasks, after a 100-task warm-up, in a probe process. */
export async function isolatedPhase(tasks = 500): Promise<PhaseResult> {
  const probe = fileURLToPath(new URL('./isolated-probe.js', import.meta.url));
  const run = spawnSync(process.execPath, ['--expose-gc', probe, String(tasks), '100', String(ROW8_SETTLE_MS)], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  const name = `row 8: ${tasks} isolated tasks`;
  if (run.status !== 0) return { name, passed: false, figures: `probe failed: ${run.stderr.slice(-500)}` };
  const f = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ProbeFigures;
  const heapGrowth = f.heapBytes.after - f.heapBytes.before;
  const rssGrowth = Math.max(f.rssBytes.after, f.rssBytes.settled!) - f.rssBytes.before;
  // Heap after a full GC may move by JIT code (~200 KB measured); a per-task leak of ≥ 1 KB would show.
  const passed = f.done === tasks && f.leftChildren.length === 0 && f.fds.after === f.fds.before && heapGrowth < 512 * 1024 &&
    rssGrowth < ROW8_RSS_SLACK_BYTES;
  return {
    name,
    passed,
    figures: `${f.done} done in ${(f.wallMs / 1000).toFixed(1)} s (${f.msPerTask} ms/task); fds ${f.fds.before} → ${f.fds.after}; ` +
      `RSS ${MiB(f.rssBytes.before)} → ${MiB(f.rssBytes.after)}, ${MiB(f.rssBytes.settled!)} ${ROW8_SETTLE_MS / 1000} s later ` +
      `(bar: both within ${MiB(ROW8_RSS_SLACK_BYTES)} of the start); live heap ${MiB(f.heapBytes.before)} → ${MiB(f.heapBytes.after)}; ` +
      `children left: ${f.leftChildren.length}; during the run, every 100 tasks: ` +
      f.checkpoints.map((c) => `RSS ${MiB(c.rssBytes)} heap ${MiB(c.heapBytes)}`).join(', '),
  };
}

/** Row 11 at full size: 2,000 children forked at once, each living 1 s, sampled every 50 ms. */
export function childrenPhase(count = 2000): Promise<PhaseResult> {
  return withTempDir(async (dir) => {
    const json = join(dir, 'r.json');
    const { code, peakRssBytes } = await runLeakhunt(['watch', '-q', '--interval', '50ms', '--json', json, '--', 'python3', fixture('faults', 'fork-burst.py'), String(count), '1000', '0']);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { processes: unknown[]; samples: unknown[]; slowTicks: number; vanished: number; durationMs: number };
    // Bounded: well under what 2,000 processes could cost if leakhunt kept per-process state beyond its record.
    const passed = code === 0 && report.processes.length > count / 2 && peakRssBytes < 1024 * 1048576;
    return {
      name: `row 11: ${count} short-lived children`,
      passed,
      figures: `leakhunt peak RSS ${MiB(peakRssBytes)}; ${report.processes.length} processes seen, ${report.samples.length} sample rows over ` +
        `${(report.durationMs / 1000).toFixed(1)} s; ${report.slowTicks} slow ticks flagged; ${report.vanished} vanished mid-read`,
    };
  });
}

/** Row 12 at full size: 2 GiB on stdout without a newline, through leakhunt's marker scanner. */
export function spewPhase(mebibytes = 2048): Promise<PhaseResult> {
  return withTempDir(async (dir) => {
    const json = join(dir, 'r.json');
    const { code, peakRssBytes, ms } = await runLeakhunt(['watch', '-q', '--interval', '100ms', '--task-start', '^TASK START', '--json', json, '--', process.execPath, fixture('spew.js'), String(mebibytes), 'no-newline']);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { protocol: { oversized: number } };
    // Node alone is ~45 MiB; the splitter holds at most one capped line.
    const passed = code === 0 && report.protocol.oversized === 1 && peakRssBytes < 160 * 1048576;
    return {
      name: `row 12: ${mebibytes} MiB on stdout without a newline`,
      passed,
      figures: `${(ms / 1000).toFixed(1)} s, leakhunt peak RSS ${MiB(peakRssBytes)}, ${report.protocol.oversized} oversized line counted`,
    };
  });
}

/**
 * Row 12 at full size: 10^6 tasks, each of a type never seen before, through the output markers,
 * with the JSON and CSV reports written. Checked from the per-task CSV (read line by line: the
 * JSON of a million tasks is a few hundred MiB).
 */
/** Row 12's bar for 10^6 tasks: 113 MiB measured on its own, up to ~10 MiB more inside the soak. */
const MAX_NAMES_PEAK_BYTES = 160 * 1048576;

export function namesPhase(count = 1_000_000): Promise<PhaseResult> {
  return withTempDir(async (dir) => {
    const csv = join(dir, 's.csv');
    const markers = ['--task-start', '^TASK START (?<task>\\d+) (?<name>\\S+)', '--task-end', '^TASK END (?<task>\\d+)'];
    const { code, peakRssBytes, ms } = await runLeakhunt(['watch', '-q', '--interval', '100ms', ...markers, '--csv', csv, '--json', join(dir, 'r.json'), '--', process.execPath, fixture('faults', 'many-names.js'), String(count)]);
    const names = new Set<string>();
    let tasks = 0;
    for (const line of readFileSync(join(dir, 's.tasks.csv'), 'utf8').split('\r\n').slice(1)) {
      if (line === '') continue;
      tasks++;
      names.add(line.split(',')[1]!);
    }
    // Names are capped at 1,000 + "(other)", task records are on disk, and the end of the run
    // keeps at most 131,072 points a series and 131,072 repeat deltas: nothing grows with the
    // tasks (110-113 MiB from 100,000 to 10^6; 148 MiB when attribution kept every delta, 936-942
    // MiB when the records were held in memory).
    const passed = code === 0 && tasks === count && names.size === 1001 && names.has('(other)') && peakRssBytes < MAX_NAMES_PEAK_BYTES;
    return {
      name: `row 12: ${count.toLocaleString('en')} distinct task names`,
      passed,
      figures: `${(ms / 1000).toFixed(1)} s, leakhunt peak RSS ${MiB(peakRssBytes)} (JSON and CSV written; bar ${MiB(MAX_NAMES_PEAK_BYTES)}), ` +
        `${tasks} tasks recorded, ${names.size} distinct names`,
    };
  });
}
