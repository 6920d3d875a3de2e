// Row 9: what --allocations costs a worker. The built CLI runs the same task stream through an
// application-sized Python and Node worker with and without --allocations, alternating, and reads
// tasks per second from the run's own JSON (first task start to last task end, so start-up and
// the final table read are not counted). Ratios are per pair of neighbouring runs, then the median.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchFixture, BIN } from '../lib/processes.js';
import { fmt, median } from '../lib/stats.js';
import type { RowResult } from '../lib/table.js';

const TASKS = 100;
const PAIRS = 2;

interface Worker {
  label: string;
  command: string[];
}

const WORKERS: Worker[] = [
  { label: 'Python (tracemalloc, 16 frames)', command: ['python3', benchFixture('app-heap-task.py')] },
  { label: 'Node (sampling heap profiler)', command: [process.execPath, benchFixture('app-heap-task.js')] },
];

function tasksPerSecond(dir: string, tasksFile: string, worker: Worker, allocations: boolean): number {
  const json = join(dir, 'run.json');
  const run = spawnSync(process.execPath, [BIN, 'watch', '-q', '--interval', '1s', '--tasks', tasksFile, '--json', json,
    ...(allocations ? ['--allocations'] : []), '--', ...worker.command], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) throw new Error(`${worker.label}${allocations ? ' --allocations' : ''} exited with ${run.status}: ${run.stderr}`);
  const tasks = (JSON.parse(readFileSync(json, 'utf8')) as { tasks: Array<{ startMs: number; endMs: number | null }> }).tasks;
  const ended = tasks.filter((t) => t.endMs !== null);
  if (ended.length !== TASKS) throw new Error(`${worker.label}: ${ended.length} of ${TASKS} tasks ended`);
  return (ended.length / (ended.at(-1)!.endMs! - ended[0]!.startMs)) * 1000;
}

export async function allocationCost(): Promise<RowResult> {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-bench-'));
  try {
    const tasksFile = join(dir, 'tasks.jsonl');
    writeFileSync(tasksFile, Array.from({ length: TASKS }, (_, i) => JSON.stringify({ task: String(i + 1), name: i % 2 ? 'render' : 'store' })).join('\n') + '\n');
    const rows: string[][] = [];
    const lines: RowResult['lines'] = [];
    for (const worker of WORKERS) {
      const plain: number[] = [];
      const traced: number[] = [];
      const ratios: number[] = [];
      for (let pair = 0; pair < PAIRS; pair++) {
        // Alternate which goes first, so a drift in the machine's load favours neither.
        const order = pair % 2 === 0 ? [false, true] : [true, false];
        const rates = new Map(order.map((allocations) => [allocations, tasksPerSecond(dir, tasksFile, worker, allocations)]));
        plain.push(rates.get(false)!);
        traced.push(rates.get(true)!);
        ratios.push(rates.get(true)! / rates.get(false)!);
      }
      // Most tasks of this short run are traced: close to the time one traced task adds.
      const addedMs = 1000 / median(traced) - 1000 / median(plain);
      rows.push([worker.label, fmt(median(plain)), fmt(median(traced)), `${fmt(median(ratios))}x`, fmt(addedMs)]);
      lines.push({
        row: 9,
        what: `--allocations, ${worker.label}: tasks per second with / without`,
        measured: `${fmt(median(ratios))}x (${fmt(median(traced))} vs ${fmt(median(plain))} tasks/s, +${fmt(1000 / median(traced) - 1000 / median(plain))} ms per task)`,
        target: 'measured, no target',
        met: null,
      });
    }
    return {
      lines,
      details: [{
        title: 'Cost of --allocations (tasks per second, medians)',
        header: ['worker', 'without', 'with --allocations', 'ratio (median of pairs)', 'ms added per task'],
        rows,
        notes: [`${TASKS} tasks of two types per run, ${PAIRS} alternating pairs per worker, through the built CLI. Each worker holds 50,000 small objects from its start; every task builds 300 temporaries and keeps one number. Each type's first 33 runs are traced, then every 2nd, then every 4th, ...: most tasks of these short runs are traced, so this is the cost near its highest; in a long run the traced share, and with it the cost, keeps halving.`],
      }],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
