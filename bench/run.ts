// `npm run bench`: measures leakhunt against the physical floor and its peers (issue 8), prints one
// table and writes BENCHMARKS.md. `node dist/bench/run.js 1 4` runs rows 1 and 4 only and leaves
// BENCHMARKS.md alone; `--details` prints the detail tables too. Progress goes to stderr.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchmarksMarkdown } from './lib/markdown.js';
import { describeMachine, machineLine, recordLoad } from './lib/machine.js';
import { ROOT } from './lib/processes.js';
import { SUMMARY_HEADER, summaryRows, textTable, type Detail, type Line, type RowResult } from './lib/table.js';
import { samplerCost } from './rows/sampler-cost.js';
import { ownCost } from './rows/own-cost.js';
import { observerOverhead } from './rows/observer.js';
import { boundaryLatency } from './rows/boundary.js';
import { isolationCost } from './rows/isolation.js';
import { startUp } from './rows/startup.js';
import { writerCost } from './rows/writers.js';
import { bareHarness } from './rows/bare-harness.js';
import { allocationCost } from './rows/allocations.js';

const ROWS: Record<number, { title: string; run: () => Promise<RowResult> }> = {
  1: { title: 'sampler cost per process per tick', run: samplerCost },
  2: { title: "leakhunt's own cost against mprof and pidstat", run: ownCost },
  3: { title: 'observer overhead on a CPU-bound worker', run: observerOverhead },
  4: { title: 'boundary latency', run: boundaryLatency },
  5: { title: 'isolation cost per task', run: isolationCost },
  6: { title: 'start-up', run: startUp },
  7: { title: 'report writers', run: writerCost },
  8: { title: 'leakhunt against the bare harness', run: bareHarness },
  9: { title: 'cost of --allocations', run: allocationCost },
};

const args = process.argv.slice(2);
const asked = args.map(Number).filter((n) => ROWS[n]);
const selected = asked.length ? asked : Object.keys(ROWS).map(Number);
const machine = describeMachine();
const started = performance.now();
const lines: Line[] = [];
const details: Detail[] = [];

for (const row of selected) {
  const { title, run } = ROWS[row]!;
  process.stderr.write(`bench: row ${row}, ${title}...\n`);
  recordLoad(machine);
  const rowStart = performance.now();
  const result = await run();
  process.stderr.write(`bench: row ${row} took ${Math.round((performance.now() - rowStart) / 1000)} s\n`);
  lines.push(...result.lines);
  details.push(...result.details);
}
recordLoad(machine);

const runMs = performance.now() - started;
if (args.includes('--details')) {
  for (const d of details) process.stdout.write(`${d.title}\n${textTable(d.header, d.rows)}\n${d.notes.map((n) => `- ${n}\n`).join('')}\n`);
}
process.stdout.write(`${textTable(SUMMARY_HEADER, summaryRows(lines))}\n\n${machineLine(machine)}\n`);
if (selected.length === Object.keys(ROWS).length) {
  const path = join(ROOT, 'BENCHMARKS.md');
  writeFileSync(path, benchmarksMarkdown(lines, details, machine, new Date(), runMs));
  process.stdout.write(`wrote BENCHMARKS.md (${Math.round(runMs / 1000)} s)\n`);
}
