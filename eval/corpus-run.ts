// npm run eval (second half): node dist/eval/corpus-run.js [--runs 5] [--loaded 2] [--parallel 2]
//                                   [--only id,id] [--scale 1] [--out EVAL.md] [--details .eval-corpus.json]
//
// Runs every corpus worker `runs` times through the built bin, the last `loaded` of them with a
// busy loop on every core, at most `parallel` workers at a time (each for `scale` times its usual
// number of tasks: what a longer look at the same workers reads); scores the verdicts against each
// worker's own account of what it keeps; prints the failures and writes the corpus section of
// EVAL.md and every run's details as JSON.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CORPUS, type CorpusCase } from './corpus-cases.js';
import { findInterpreters, runWorker, type Interpreters } from './corpus-exec.js';
import { CpuLoad } from './corpus-load.js';
import { corpusSection, withCorpusSection } from './corpus-report.js';
import { scoreWorker, type CorpusRun } from './corpus-score.js';
import { spawnSync } from 'node:child_process';

interface Job {
  worker: CorpusCase;
  run: number;
}

/** Runs jobs at most `parallel` at a time, in order. */
async function inPool<T>(jobs: Job[], parallel: number, work: (job: Job) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const at = next++;
      results[at] = await work(jobs[at]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, lane));
  return results;
}

function machine(interpreters: Interpreters, loadAtStart: number): string {
  const version = (python: string | null): string => (python ? spawnSync(python, ['--version'], { encoding: 'utf8' }).stdout.trim() : 'none');
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${availableParallelism()} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Node ${process.version}, ` +
    `${version(interpreters.python)} (CPython), ${version(interpreters.django)} with Django (Debian); ` +
    `load average ${loadAtStart.toFixed(1)} at the start (other work on the machine, before the eval's own)`;
}

function describe(run: CorpusRun): string {
  const load = run.loaded ? 'loaded' : 'idle';
  const bpt = run.bytesPerTask === null ? '' : ` ${Math.round(run.bytesPerTask)} B/task`;
  return `${run.id} #${run.run} (${load}, ${run.seconds.toFixed(1)} s, ${run.tasks} tasks): ${run.status}${bpt}` +
    (run.reason ? ` — ${run.reason}` : '') + ` [truth ${run.truth ?? 'unread'}]` + (run.error ? ` ${run.error}` : '');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      loaded: { type: 'string', default: '2' },
      parallel: { type: 'string', default: '2' },
      only: { type: 'string' },
      scale: { type: 'string', default: '1' },
      out: { type: 'string', default: 'EVAL.md' },
      details: { type: 'string', default: '.eval-corpus.json' },
    },
  });
  const runs = Number(values.runs);
  const loadedRuns = Math.min(runs, Number(values.loaded));
  const parallel = Math.max(1, Number(values.parallel));
  const root = resolve('.');
  const interpreters = findInterpreters();
  const only = values.only?.split(',');
  const scale = Number(values.scale);
  if (!(scale > 0)) throw new Error(`--scale must be a positive number, not ${values.scale}`);
  let workers = CORPUS.filter((w) => !only || only.includes(w.id)).map((w) => ({ ...w, feed: { ...w.feed, tasks: Math.round(w.feed.tasks * scale) } }));
  const skipped: string[] = [];
  if (!interpreters.django) {
    const django = workers.filter((w) => w.runtime === 'django');
    if (django.length > 0) {
      console.log(`notice: Debian's /usr/bin/python3 with python3-django is missing: ${django.length} Django workers skipped`);
      skipped.push(`${django.length} Django workers (python3-django missing)`);
    }
    workers = workers.filter((w) => w.runtime !== 'django');
  }
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  const results: CorpusRun[] = [];
  const phase = async (runNumbers: number[], loaded: boolean): Promise<void> => {
    // Run-major order: the two lanes run two different workers.
    const jobs = runNumbers.flatMap((run) => workers.map((worker) => ({ worker, run })));
    const load = new CpuLoad();
    if (loaded && jobs.length > 0) console.log(`competing load: ${load.start()} busy loops`);
    try {
      results.push(...(await inPool(jobs, parallel, async ({ worker, run }) => {
        const result = await runWorker(worker, run, loaded, root, interpreters);
        console.log(describe(result));
        return result;
      })));
    } finally {
      load.stop();
    }
  };
  const all = Array.from({ length: runs }, (_, i) => i + 1);
  await phase(all.slice(0, runs - loadedRuns), false);
  await phase(all.slice(runs - loadedRuns), true);
  const seconds = (Date.now() - started) / 1000;

  const scores = workers.map((worker) => scoreWorker(worker, results.filter((r) => r.id === worker.id).sort((a, b) => a.run - b.run)));
  console.log('\nWorkers not right in every run:');
  for (const score of scores.filter((s) => s.right < s.runs.length || !s.consistent)) {
    console.log(`  ${score.worker.id} (${score.worker.label}): ${score.right}/${score.runs.length} right, ${score.falseLeaks} false leaks` +
      (score.truthMismatches > 0 ? `, truth disagrees with the label in ${score.truthMismatches} runs` : ''));
    for (const run of score.runs.filter((r) => !r.error && r.status !== 'error')) console.log(`    ${describe(run)}`);
    for (const run of score.runs.filter((r) => r.error)) console.log(`    ${describe(run)}`);
  }
  // The command that produced the figures: the npm script when run through one, else this script's own line.
  const script = process.env.npm_lifecycle_event;
  const command = script ? `npm run ${script}` : `node dist/eval/corpus-run.js ${process.argv.slice(2).join(' ')}`.trim();
  const section = corpusSection(scores, {
    date: new Date().toISOString().slice(0, 10), machine: machine(interpreters, loadAtStart), command,
    runs, loadedRuns, seconds, skipped,
  });
  console.log(`\n${section}`);
  const out = resolve(root, values.out!);
  writeFileSync(out, withCorpusSection(existsSync(out) ? readFileSync(out, 'utf8') : '# Detector evaluation\n', section));
  writeFileSync(join(root, values.details!), JSON.stringify(results, null, 1));
  console.log(`wrote ${out} and ${values.details} (${(seconds / 60).toFixed(1)} min)`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack ?? error.message : error);
    process.exitCode = 2;
  },
);
