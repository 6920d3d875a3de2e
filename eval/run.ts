// npm run eval: node dist/eval/run.js [--seeds 200] [--tasks 3000] [--classes a,b] [--extra runs.json]
//                                      [--ablation-seeds 50] [--out EVAL.md]
//
// --extra takes a JSON array of labelled series (eval/generate.ts LabelledSeries: className,
// label, values, endMs, optional heap and leakStart), e.g. real fixture workers run through
// leakhunt; each className becomes one more row of the table.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderAblations, runAblations } from './ablation.js';
import type { LabelledSeries } from './generate.js';
import { evaluateInParallel } from './parallel.js';
import { existingSection } from './corpus-report.js';
import { buildReport } from './report.js';
import { renderTable } from './table.js';
import { checkTargets } from './targets.js';

function repositoryRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}

function positive(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} must be a positive integer, got "${text}"`);
  return value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '200' },
      tasks: { type: 'string', default: '3000' },
      classes: { type: 'string' },
      extra: { type: 'string' },
      'ablation-seeds': { type: 'string', default: '50' },
      out: { type: 'string' },
    },
  });
  const seeds = positive(values.seeds!, '--seeds');
  const tasks = positive(values.tasks!, '--tasks');
  const extra = values.extra ? (JSON.parse(readFileSync(values.extra, 'utf8')) as LabelledSeries[]) : [];
  const started = Date.now();
  const rows = await evaluateInParallel({ seeds, tasks, extra, classes: values.classes?.split(',') });
  const targets = checkTargets(rows);
  console.log(renderTable(rows));
  console.log();
  for (const t of targets) console.log(`${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${t.measured}`);
  const ablationSeeds = Number(values['ablation-seeds']);
  const ablations = ablationSeeds > 0 ? await runAblations(Math.min(ablationSeeds, seeds), tasks) : [];
  if (ablations.length > 0) console.log(`\nAblations (${Math.min(ablationSeeds, seeds)} seeds):\n${renderAblations(ablations)}`);
  console.log(`\n${seeds} seeds × ${tasks} tasks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const out = values.out ?? join(repositoryRoot(process.cwd()), 'EVAL.md');
  // The real-worker corpus writes its own section (corpus-run.ts); a synthetic run keeps it.
  const corpus = existsSync(out) ? existingSection(readFileSync(out, 'utf8')) : '';
  const report = buildReport({ rows, targets, seeds, tasks, ablations, ablationSeeds: Math.min(ablationSeeds, seeds) });
  writeFileSync(out, corpus ? `${report.trimEnd()}\n\n${corpus}` : report);
  console.log(`wrote ${out}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
