// The labelled synthetic series of the evaluation. Every number below is an assumption of this
// generator, chosen to resemble what RSS and heap-after-GC look like per task in real workers.
//
// RSS (every class): a 60–100 MB base; warm-up of 10–40 MB with τ = 50–150 tasks; AR(1) noise
// (φ = 0.5, σ = 100 KB); 2% of tasks with a transient spike of up to 5 MB; 4 KB pages.
// Heap after GC (classes named heap:…): an 6–12 MB base; warm-up of 0.5–3 MB with τ = 3–15 tasks
// (first runs of each task type); white noise σ = 8 KB; 1% outliers of up to 512 KB (a GC that
// did not finish); no quantisation.
import {
  ARENA, KB, MB, PAGE, exponentialFill, linearFill, linearLeak, render, sawtooth, steps, taskEndTimes, warmUp,
  type NoiseModel, type Shape,
} from './components.js';
import { createRandom, seedFor, type Random } from './prng.js';

export interface LabelledSeries {
  className: string;
  label: 'normal' | 'leak';
  /** Memory held after each task (tree RSS at each task end). */
  values: number[];
  /** Heap after GC at each task end, for the heap classes. */
  heap?: number[];
  endMs: number[];
  /** First task of the leak (0 when it leaks from the start); tasks-to-detect count from here. */
  leakStart: number;
}

export interface SeriesClass {
  name: string;
  label: 'normal' | 'leak';
  description: string;
  /** A normal class no detector can tell from a leak while it grows (see EVAL.md). */
  blindSpot?: boolean;
  generate(seed: number, n: number): LabelledSeries;
}

const RSS_NOISE: NoiseModel = { sigma: 100 * KB, phi: 0.5, spikeRate: 0.02, spikeMax: 5 * MB, quantum: PAGE };
const HEAP_NOISE: NoiseModel = { sigma: 8 * KB, phi: 0, spikeRate: 0.01, spikeMax: 512 * KB, quantum: 1 };

/** The parts of a class: extra RSS shapes, extra heap shapes (heap classes only), leak start. */
interface Parts {
  rss: Shape[];
  heap?: Shape[];
  leakStart?: number;
}

function defineClass(
  name: string,
  label: 'normal' | 'leak',
  description: string,
  parts: (random: Random, n: number) => Parts,
  blindSpot = false,
): SeriesClass {
  return {
    name,
    label,
    description,
    blindSpot,
    generate(seed, n) {
      const random = createRandom(seedFor(name, seed));
      const part = parts(random, n);
      const rssWarmUp = warmUp(random.uniform(10, 40) * MB, random.uniform(50, 150));
      const values = render(random, n, random.uniform(60, 100) * MB, [rssWarmUp, ...part.rss], RSS_NOISE);
      const series: LabelledSeries = { className: name, label, values, endMs: taskEndTimes(random, n), leakStart: part.leakStart ?? 0 };
      if (part.heap) {
        const heapWarmUp = warmUp(random.uniform(0.5, 3) * MB, random.uniform(3, 15));
        series.heap = render(random, n, random.uniform(6, 12) * MB, [heapWarmUp, ...part.heap], HEAP_NOISE);
      }
      return series;
    },
  };
}

const randomSawtooth = (random: Random): Shape =>
  sawtooth(random.uniform(4, 12) * MB, Math.round(random.uniform(20, 60)), random.uniform(0, 60));
const randomStep = (random: Random, n: number) => ({ at: Math.round(random.uniform(0.2, 0.9) * n), size: random.uniform(2, 16) * MB });
const randomCache = (random: Random): Shape => exponentialFill(random.uniform(16, 64) * MB, random.uniform(100, 300));

function leakClass(bytesPerTask: number, quantum: number): SeriesClass {
  const unit = quantum === PAGE ? '4 KB pages' : '256 KB arenas';
  const size = bytesPerTask >= MB ? `${bytesPerTask / MB}m` : `${bytesPerTask / KB}k`;
  return defineClass(`leak-${size}-${quantum === PAGE ? 'page' : 'arena'}`, 'leak', `${size.replace('k', ' KB').replace('m', ' MB')}/task, in ${unit}`, () => ({
    rss: [linearLeak(bytesPerTask, 0, quantum)],
  }));
}

export const CLASSES: SeriesClass[] = [
  defineClass('plateau', 'normal', 'warm-up, then flat', () => ({ rss: [] })),
  defineClass('sawtooth', 'normal', 'GC sawtooth 4–12 MB, period 20–60 tasks', (random) => ({ rss: [randomSawtooth(random)] })),
  defineClass('cache-fill', 'normal', 'exponential fill to a 16–64 MB cap, τ = 100–300 tasks', (random) => ({ rss: [randomCache(random)] })),
  defineClass('one-step', 'normal', 'one 2–16 MB step', (random, n) => ({ rss: [steps([randomStep(random, n)])] })),
  defineClass('two-steps', 'normal', 'two 2–16 MB steps', (random, n) => ({ rss: [steps([randomStep(random, n), randomStep(random, n)])] })),
  defineClass('linear-cache', 'normal', 'linear fill to a 16–64 MB cap over 300–900 tasks', (random) => ({
    rss: [linearFill(random.uniform(16, 64) * MB, random.uniform(300, 900))],
  }), true),
  ...[1, 2, 5, 10].flatMap((kb) => [leakClass(kb * KB, PAGE), leakClass(kb * KB, ARENA)]),
  leakClass(MB, PAGE),
  defineClass('leak-mid-run', 'leak', '5 KB/task from 30–60% of the run', (random, n) => {
    const start = Math.round(random.uniform(0.3, 0.6) * n);
    return { rss: [linearLeak(5 * KB, start, PAGE)], leakStart: start };
  }),
  defineClass('leak-saw-warm', 'leak', '5 KB/task + GC sawtooth + warm-up', (random) => ({
    rss: [linearLeak(5 * KB, 0, PAGE), randomSawtooth(random)],
  })),
  defineClass('heap:plateau', 'normal', 'RSS and heap: warm-up, then flat', () => ({ rss: [], heap: [] })),
  defineClass('heap:cache-fill', 'normal', 'the cache fill, seen in RSS and heap', (random) => {
    const cache = randomCache(random);
    return { rss: [cache], heap: [cache] };
  }),
  defineClass('heap:leak-1k', 'leak', '1 KB/task retained on the JS heap', () => ({
    rss: [linearLeak(KB, 0, PAGE)],
    heap: [linearLeak(KB)],
  })),
];
