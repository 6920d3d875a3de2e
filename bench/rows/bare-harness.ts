// Row 8: what leakhunt adds to isolation (issue 25). `leakhunt compare` in one mode against the
// bare harness (bench/harness/bare.ts) running the same tasks the same way with nothing else to
// do, with 1, 2 or 4 warm spares; the yardstick is the harness's best spare count. The workers
// are the import-leak fixtures: every task imports its type's modules, as a Django or queue worker would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../lib/processes.js';
import { progress } from '../lib/progress.js';
import { fmt, median } from '../lib/stats.js';
import type { Line, RowResult } from '../lib/table.js';
import { pythonPath } from './isolation-runs.js';
import { BARE_VARIANTS, ONE_PROCESS, pairedRatio, pairedRuns, variantName, writeTasks, type PairedRuns } from './bare-runs.js';

const TASKS = 30;
/** Alternating rounds per mode and worker (after one uncounted warm-up round). */
const ROUNDS = 4;
/** Targets (issue 25): leakhunt's time per task over the bare harness's best. */
const TARGET: Record<string, number> = { isolated: 1.1, 'recycle:10': 1.05, fork: 1.05 };
const MODES = ['isolated', 'recycle:10', 'fork'] as const;

interface Worker {
  language: 'Python' | 'Node';
  command: string[];
  names: string[];
}

function workers(): Worker[] {
  return [
    { language: 'Python', command: [pythonPath(), join(ROOT, 'fixtures', 'import-leak.py')], names: ['build_report', 'send_email', 'parse_csv', 'sync_calendar'] },
    { language: 'Node', command: [process.execPath, join(ROOT, 'fixtures', 'import-leak.js')], names: ['build_report', 'send_email', 'parse_csv'] },
  ];
}

interface Measured {
  worker: Worker;
  mode: (typeof MODES)[number];
  runs: PairedRuns;
  ratio: number;
}

export async function bareHarness(): Promise<RowResult> {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-bench-'));
  const measured: Measured[] = [];
  try {
    for (const worker of workers()) {
      const tasksFile = writeTasks(dir, `${worker.language}.jsonl`, TASKS, worker.names);
      for (const mode of MODES) {
        progress(`${worker.language}, ${mode}: bare harness and leakhunt, ${ROUNDS} rounds`);
        // fork runs one process: spares have nothing to do there.
        const runs = await pairedRuns(dir, worker.command, tasksFile, mode, ROUNDS, mode === 'fork' ? ONE_PROCESS : BARE_VARIANTS);
        measured.push({ worker, mode, runs, ratio: pairedRatio(runs) });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lines: Line[] = measured.map(({ worker, mode, runs, ratio }) => {
    const target = TARGET[mode]!;
    const bare = median(runs.bare.get(runs.best)!);
    const spares = mode === 'fork' ? '' : `, ${runs.best}`;
    return {
      row: 8,
      what: `leakhunt compare against the bare harness, ${worker.language}, ${mode} (ms per task)`,
      measured: `leakhunt ${fmt(median(runs.leakhunt))} · bare ${fmt(bare)}${spares} → ${fmt(ratio, 3)}×`,
      target: `≤ ${target}× bare`,
      met: ratio <= target,
      ...(ratio <= target ? {} : { why: `Over ${ROUNDS} alternating rounds leakhunt took ${fmt(median(runs.leakhunt) - bare)} ms more per task than the bare harness; the per-round ratios were ${runs.leakhunt.map((ms, i) => fmt(ms / runs.bare.get(runs.best)![i]!, 3)).join(', ')}.` }),
    };
  });
  const rows = measured.map(({ worker, mode, runs, ratio }) => [
    worker.language,
    mode,
    fmt(median(runs.leakhunt)),
    ...[...BARE_VARIANTS, ...ONE_PROCESS].map((v) => (runs.bare.has(variantName(v)) ? fmt(median(runs.bare.get(variantName(v))!)) : '–')),
    `${fmt(ratio, 3)}×`,
  ]);
  return {
    lines,
    details: [
      {
        title: `leakhunt against the bare harness (median ms per task, ${TASKS} tasks, ${ROUNDS} alternating rounds)`,
        header: ['worker', 'mode', 'leakhunt', ...[...BARE_VARIANTS, ...ONE_PROCESS].map((v) => `bare, ${variantName(v)}`), 'leakhunt / best bare'],
        rows,
        notes: [
          'The bare harness (bench/harness/bare.ts) spawns the worker, feeds its task lines in lockstep (the next line, or EOF, once the task\'s end line is read from the same kind of FIFO channel leakhunt gives it), waits for its exit, and keeps 1, 2 or 4 workers started ahead, started either before the task line is written or (\"at start\") once the task\'s start line is read, as leakhunt starts its spares; it samples nothing and writes no report. The yardstick is the fastest of these variants. leakhunt\'s figure is the mode\'s ms per task from its JSON report (`compare -q --modes <mode> --json`), its default warm spares included.',
          'The ratio is the median of the per-round ratios between leakhunt and the harness at its best spare count, each round running every variant once in a rotated order.',
          'Workers: fixtures/import-leak.py (on the interpreter itself, not a version-manager shim) and fixtures/import-leak.js; every task imports its type\'s modules, so a fresh process pays them again.',
        ],
      },
    ],
  };
}
