// Running `leakhunt compare` for the isolation row and reading what it reports per mode: ms per
// task, and the gap between one task's end and the next one's start (what a mode adds between
// tasks: a worker's exit and the next one's session, or nothing in-process).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, benchFixture, capture } from '../lib/processes.js';
import { median, monotonicMs } from '../lib/stats.js';

export type Language = 'Node' | 'Python';

export interface ModeFigures {
  msPerTask: number;
  /** Median ms from a task's end boundary to the next task's start boundary. */
  gapMs: number;
}

interface ReportedMode {
  mode: string;
  msPerTask: number | null;
  failure?: string;
  tasks: Array<{ startMs: number; endMs: number | null }>;
}

/** The interpreter itself, not a version-manager shim that would add its own start-up to every spawn. */
export function pythonPath(): string {
  return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
}

export function workers(): Record<Language, string[]> {
  return { Node: [process.execPath, benchFixture('sleep-task.js')], Python: [pythonPath(), benchFixture('sleep-task.py')] };
}

/** Median wall ms of a bare start of the worker that finds no task (stdin closed at once). */
export function bareStartMs(worker: string[], runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = monotonicMs();
    spawnSync(worker[0]!, worker.slice(1), { stdio: 'ignore', timeout: 30_000 });
    times.push(monotonicMs() - start);
  }
  return median(times);
}

/** One compare run of `tasks` tasks of taskMs each, in the given modes. */
export async function compare(dir: string, worker: string[], tasks: number, taskMs: number, modes: string, spare: boolean): Promise<Map<string, ModeFigures>> {
  const tasksFile = join(dir, `tasks-${taskMs}.jsonl`);
  writeFileSync(tasksFile, Array.from({ length: tasks }, (_, i) => JSON.stringify({ task: String(i + 1), name: 'sleep', params: { ms: taskMs } })).join('\n'));
  const json = join(dir, 'compare.json');
  const args = [BIN, 'compare', '-q', '--tasks', tasksFile, '--modes', modes, '--json', json, ...(spare ? [] : ['--no-spare']), '--', ...worker];
  const run = await capture(process.execPath, args, { timeoutMs: 180_000, env: { ...process.env, NO_COLOR: '1' } });
  // 1 is a gate (growth between modes), not a failure of the run.
  if (run.code !== 0 && run.code !== 1) throw new Error(`compare ${worker.join(' ')}: exit ${run.code ?? run.signal}: ${run.stderr.slice(0, 400)}`);
  const report = JSON.parse(readFileSync(json, 'utf8')) as { modes: ReportedMode[] };
  const out = new Map<string, ModeFigures>();
  for (const mode of report.modes) {
    if (mode.failure || mode.msPerTask === null) throw new Error(`compare ${worker.join(' ')}, ${mode.mode}: ${mode.failure ?? 'no task finished'}`);
    const gaps = mode.tasks.slice(1).map((t, i) => t.startMs - (mode.tasks[i]!.endMs ?? t.startMs));
    out.set(mode.mode, { msPerTask: mode.msPerTask, gapMs: median(gaps) });
  }
  return out;
}
