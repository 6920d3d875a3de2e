// Spreads the classes over worker threads (the evaluation is CPU-bound) and keeps their order.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { evaluateClassesOf, type ClassSummary, type EvalOptions } from './evaluate.js';
import { CLASSES } from './generate.js';

function runWorker(names: string[], options: EvalOptions): Promise<ClassSummary[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { names, seeds: options.seeds, tasks: options.tasks, detector: options.detector },
    });
    worker.once('message', (rows: ClassSummary[]) => resolve(rows));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`evaluation worker exited with code ${code}`));
    });
  });
}

export async function evaluateInParallel(options: EvalOptions, threads = Math.min(2, availableParallelism())): Promise<ClassSummary[]> {
  const names = CLASSES.filter((c) => !options.classes || options.classes.includes(c.name)).map((c) => c.name);
  // Round-robin, so the slow and the fast classes spread evenly.
  const shares = Array.from({ length: Math.max(1, threads) }, (_, w) => names.filter((_, i) => i % threads === w));
  const results = (await Promise.all(shares.filter((s) => s.length > 0).map((share) => runWorker(share, options)))).flat();
  const ordered = names.map((name) => results.find((row) => row.name === name)!);
  return [...ordered, ...evaluateClassesOf(options.extra ?? [], options.detector)];
}
