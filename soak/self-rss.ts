// The soak's main phase: leakhunt watches a worker whose children come and go, at 50 ms with the
// CSV on, for N minutes, while this process reads leakhunt's own RSS once a second. The series is
// then judged by leakhunt's own detector: leakhunt must not leak itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Verdict } from '../src/model.js';
import { judgeRun } from '../src/detect/index.js';
import { OWN_TUNABLES, processExecve } from '../src/allocator-tuning.js';
import { BIN, fixture } from '../test/helpers/paths.js';
import { statusBytes } from '../test/reliability/support.js';

export interface SelfRssResult {
  code: number | null;
  minutes: number;
  /** leakhunt's RSS once a second: elapsed ms and bytes. */
  series: { ms: number[]; values: number[] };
  startRssBytes: number;
  endRssBytes: number;
  peakRssBytes: number;
  csvRows: number;
  csvBytes: number;
  verdict: Verdict;
}

/** RSS is read once a second: 600 points over 10 minutes, more than the detector's full-evidence 400. */
const READ_EVERY_MS = 1000;
/** The first reading after start-up: module loading and the first JIT are not the steady state. */
const SETTLE_MS = 5000;

/**
 * What leakhunt's environment needs for the soak to judge it as a user would run it: nothing where
 * Node can re-execute leakhunt with its allocator tuning, and on older Node (20) the tunable
 * docs/reliability.md asks those users to set, since leakhunt cannot set it for itself there.
 */
function allocatorSetting(): { env: NodeJS.ProcessEnv; note: string } {
  if (processExecve()) return { env: {}, note: 'leakhunt tunes its own allocator (re-executed in place)' };
  return {
    env: { GLIBC_TUNABLES: OWN_TUNABLES },
    note: `Node ${process.version} has no process.execve, so leakhunt cannot tune its own allocator; the soak sets GLIBC_TUNABLES=${OWN_TUNABLES}, as docs/reliability.md asks users of this Node to`,
  };
}

export async function soakSelfRss(minutes: number, log: (line: string) => void): Promise<SelfRssResult> {
  const allocator = allocatorSetting();
  log(`  ${allocator.note}`);
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-soak-'));
  const csv = join(dir, 'samples.csv');
  const durationMs = Math.round(minutes * 60_000);
  try {
    // forking.js: a node child every second, each living 300 ms, for longer than the run, so
    // leakhunt keeps meeting new processes; --duration ends it.
    const child = spawn(process.execPath, [
      BIN, 'watch', '-q', '--interval', '50ms', '--duration', `${durationMs}ms`, '--kill-after', '2s', '--csv', csv,
      '--', process.execPath, fixture('forking.js'), String(durationMs + 60_000), '1000', '300',
    ], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NO_COLOR: '1', ...allocator.env } });
    const pid = child.pid!;
    const started = performance.now();
    const series = { ms: [] as number[], values: [] as number[] };
    let nextReport = 60_000;
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      const rss = statusBytes(pid, 'VmRSS');
      // The steady state only: not start-up, and not the end, where the worker is stopped and
      // the reports are written.
      if (rss === null || elapsed < SETTLE_MS || elapsed > durationMs) return;
      series.ms.push(Math.round(elapsed));
      series.values.push(rss);
      if (elapsed >= nextReport) {
        nextReport += 60_000;
        log(`  ${Math.round(elapsed / 60_000)} min: leakhunt RSS ${(rss / 1048576).toFixed(1)} MiB`);
      }
    }, READ_EVERY_MS);
    let peakRssBytes = 0;
    const peakTimer = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, statusBytes(pid, 'VmHWM') ?? 0)), 5000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    clearInterval(timer);
    clearInterval(peakTimer);
    const verdict = judgeRun({ timeSeries: series, limit: null, currentBytes: series.values.at(-1) ?? null });
    const csvText = readFileSync(csv, 'utf8');
    return {
      code,
      minutes,
      series,
      startRssBytes: series.values[0] ?? 0,
      endRssBytes: series.values.at(-1) ?? 0,
      peakRssBytes,
      csvRows: csvText.split('\r\n').length - 2,
      csvBytes: statSync(csv).size,
      verdict,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
