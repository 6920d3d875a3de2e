// Runs one corpus worker once through the built bin, as a user would (`leakhunt watch`), and
// reads back leakhunt's verdict and the worker's own truth file.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CorpusCase } from './corpus-cases.js';
import type { CorpusRun } from './corpus-score.js';
import { classifyTruth, retainedSeries } from './corpus-truth.js';

/** A run that takes longer than this is stopped and scored as an error. */
const RUN_TIMEOUT_MS = 120_000;

export interface Interpreters {
  node: string;
  python: string;
  /** Debian's python3 with python3-django, or null when it is missing (Django workers skipped). */
  django: string | null;
}

/** The real interpreters: `python3` on PATH may be a shim script, whose shell would join the tree. */
export function findInterpreters(): Interpreters {
  const executable = (python: string, check = ''): string | null => {
    const found = spawnSync(python, ['-c', `${check}import sys; print(sys.executable)`], { encoding: 'utf8' });
    return found.status === 0 ? found.stdout.trim() : null;
  };
  const python = executable('python3');
  if (!python) throw new Error('the corpus needs python3 on PATH');
  return { node: process.execPath, python, django: executable('/usr/bin/python3', 'import django; ') };
}

function workerCommand(worker: CorpusCase, root: string, interpreters: Interpreters): string[] {
  const file = join(root, 'eval', 'corpus', worker.id + (worker.runtime === 'node' ? '.mjs' : '.py'));
  const interpreter = worker.runtime === 'node' ? interpreters.node : worker.runtime === 'python' ? interpreters.python : interpreters.django!;
  return [interpreter, file, ...(worker.feed.kind === 'self' ? [String(worker.feed.tasks)] : [])];
}

function taskFile(worker: CorpusCase, dir: string): string | null {
  const { feed } = worker;
  if (feed.kind !== 'dispatch') return null;
  const lines = Array.from({ length: feed.tasks }, (_, i) => JSON.stringify({ task: String(i + 1), name: feed.name(i), params: { id: i + 1 } }));
  const path = join(dir, 'tasks.jsonl');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

interface Report {
  verdict?: { status: string; reason: string; bytesPerTask: number | null };
  tasks?: unknown[];
}

export async function runWorker(worker: CorpusCase, run: number, loaded: boolean, root: string, interpreters: Interpreters): Promise<CorpusRun> {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-corpus-'));
  const started = Date.now();
  try {
    const tasks = taskFile(worker, dir);
    const args = [
      join(root, 'bin', 'leakhunt.cjs'), 'watch', '--quiet', '--json', join(dir, 'report.json'),
      ...(tasks ? ['--tasks', tasks] : []),
      ...(worker.markers ? ['--task-start', worker.markers.start, '--task-end', worker.markers.end] : []),
      '--', ...workerCommand(worker, root, interpreters),
    ];
    const truthPath = join(dir, 'truth.txt');
    const exit = await spawnBounded(args, { ...process.env, CORPUS_TRUTH: truthPath, NO_COLOR: '1' });
    const base = { id: worker.id, run, loaded, seconds: (Date.now() - started) / 1000 };
    let truthText = '';
    try {
      truthText = readFileSync(truthPath, 'utf8');
    } catch {
      // no truth: the worker never finished a task
    }
    const truth = classifyTruth(retainedSeries(truthText));
    let report: Report = {};
    try {
      report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report;
    } catch {
      // no report: scored as an error below
    }
    keepReport(dir, worker, run, loaded);
    const verdict = report.verdict;
    const failed = exit.code !== 0 || !verdict;
    return {
      ...base,
      status: failed ? 'error' : verdict.status,
      reason: verdict?.reason ?? '',
      bytesPerTask: verdict?.bytesPerTask ?? null,
      tasks: report.tasks?.length ?? 0,
      truth: truth?.truth ?? null,
      secondHalfPace: truth?.secondHalfPace ?? null,
      ...(failed ? { error: exit.timedOut ? 'timed out' : `exit ${exit.code}: ${exit.stderr.trim().split('\n').slice(-2).join(' | ')}` } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** With CORPUS_KEEP set, each run's report and truth are copied there for a closer look. */
function keepReport(dir: string, worker: CorpusCase, run: number, loaded: boolean): void {
  const keep = process.env.CORPUS_KEEP;
  if (!keep) return;
  mkdirSync(keep, { recursive: true });
  const stem = join(keep, `${worker.id.replace('/', '_')}-${run}${loaded ? '-loaded' : ''}`);
  for (const [from, to] of [['report.json', `${stem}.json`], ['truth.txt', `${stem}.truth.txt`]] as const) {
    if (existsSync(join(dir, from))) copyFileSync(join(dir, from), to);
  }
}

function spawnBounded(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    // leakhunt stops its worker tree when it is terminated.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, RUN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, timedOut });
    });
  });
}
