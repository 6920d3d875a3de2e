// The real fixture workers, run through leakhunt itself (the programmatic `watch` with lockstep
// dispatch), as labelled series for the eval: `node dist/eval/fixtures.js [--runs 3] [--tasks 300]
// [--out eval-fixtures.json]`, then `node dist/eval/run.js --extra eval-fixtures.json`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { watch } from '../src/index.js';
import { perTaskSeries } from '../src/runner/task-series.js';
import type { LabelledSeries } from './generate.js';

interface FixtureCase {
  className: string;
  label: 'normal' | 'leak';
  command: (root: string) => string[];
  /** Task names, cycled. */
  names: string[];
}

/** Each worker does one thing; the label is what it really does. */
const CASES: FixtureCase[] = [
  { className: 'fixture:one-type-leaks.js', label: 'leak', command: (r) => [process.execPath, '--expose-gc', join(r, 'fixtures/one-type-leaks.js')], names: ['send_email', 'build_report', 'parse_csv'] },
  { className: 'fixture:one-type-leaks.py', label: 'leak', command: (r) => ['python3', join(r, 'fixtures/one-type-leaks.py')], names: ['send_email', 'build_report', 'parse_csv'] },
  { className: 'fixture:import-leak.js (3 types)', label: 'normal', command: (r) => [process.execPath, '--expose-gc', join(r, 'fixtures/import-leak.js')], names: ['build_report', 'send_email', 'parse_csv'] },
  { className: 'fixture:import-leak.py (4 types)', label: 'normal', command: (r) => ['python3', join(r, 'fixtures/import-leak.py')], names: ['build_report', 'send_email', 'parse_csv', 'sync_calendar'] },
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, tasks: { type: 'string', default: '300' }, out: { type: 'string', default: 'eval-fixtures.json' } } });
  const runs = Number(values.runs);
  const taskCount = Number(values.tasks);
  const root = process.cwd();
  const series: LabelledSeries[] = [];
  for (const fixture of CASES) {
    for (let run = 0; run < runs; run++) {
      const tasks = Array.from({ length: taskCount }, (_, i) => ({ task: String(i + 1), name: fixture.names[i % fixture.names.length]! }));
      const started = Date.now();
      const result = await watch({ command: fixture.command(root), tasks, interval: '1s' });
      const done = perTaskSeries(result.tasks) ?? { values: [], endMs: [], heapUsed: null };
      series.push({
        className: fixture.className,
        label: fixture.label,
        // Plain arrays: the series are written out as JSON.
        values: Array.from(done.values),
        endMs: Array.from(done.endMs),
        ...(done.heapUsed ? { heap: Array.from(done.heapUsed) } : {}),
        leakStart: 0,
      });
      console.log(`${fixture.className} run ${run + 1}: ${done.values.length} tasks in ${((Date.now() - started) / 1000).toFixed(1)} s, verdict ${result.verdict.status}`);
    }
  }
  writeFileSync(values.out!, JSON.stringify(series));
  console.log(`wrote ${series.length} series to ${values.out}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
