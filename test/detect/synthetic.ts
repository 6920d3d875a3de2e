// Small seeded series for the detector's tests.
import type { RunSeries } from '../../src/detect/index.js';
import { createRandom } from '../../eval/prng.js';

export const KB = 1024;
export const MB = 1024 * 1024;

/** base + growth(t) + white noise (σ) for t = 1..n, in whole 4 KB pages. */
export function perTaskSeries(n: number, growth: (t: number) => number, sigma: number, seed = 1): number[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, (_, i) => Math.floor((50 * MB + growth(i + 1) + sigma * random.gaussian()) / 4096) * 4096);
}

/** A run known per task, one task every `msPerTask`. */
export function taskRun(values: number[], msPerTask = 100, extra: Partial<RunSeries> = {}): RunSeries {
  const endMs = values.map((_, i) => (i + 1) * msPerTask);
  return { perTask: { values, endMs }, timeSeries: { ms: endMs, values }, limit: null, currentBytes: values[values.length - 1] ?? null, ...extra };
}

/** A run known only by samples every `msPerSample`. */
export function timeRun(values: number[], msPerSample = 1000): RunSeries {
  return { timeSeries: { ms: values.map((_, i) => i * msPerSample), values }, limit: null, currentBytes: values[values.length - 1] ?? null };
}
