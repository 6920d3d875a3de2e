// Building blocks of the synthetic memory series: each shape adds bytes at task t (1-based).
import type { Random } from './prng.js';

export const KB = 1024;
export const MB = 1024 * 1024;
export const PAGE = 4 * KB;
export const ARENA = 256 * KB;

export type Shape = (t: number) => number;

/** Imports, JIT and pools priming: A·(1 − e^(−t/τ)). */
export const warmUp = (amplitude: number, tau: number): Shape => (t) => amplitude * (1 - Math.exp(-t / tau));

/** A cache filling towards its cap at a decaying rate (distinct keys seen so far). Same curve as warm-up. */
export const exponentialFill = warmUp;

/** A cache filling at a constant rate until full, then flat: a leak until `duration`. */
export const linearFill = (cap: number, duration: number): Shape => (t) => cap * Math.min(1, t / duration);

/** GC sawtooth: memory climbs for `period` tasks and drops back when the collector runs. */
export const sawtooth = (amplitude: number, period: number, phase: number): Shape => (t) => {
  const position = (t + phase) / period;
  return amplitude * (position - Math.floor(position));
};

/** Level shifts that then stay (fragmentation, a new allocator arena). */
export const steps = (list: Array<{ at: number; size: number }>): Shape => (t) =>
  list.reduce((sum, step) => sum + (t >= step.at ? step.size : 0), 0);

/** A leak of `rate` bytes per task from task `start`, visible in whole `quantum`s (pages or arenas). */
export const linearLeak = (rate: number, start = 0, quantum = 1): Shape => (t) =>
  Math.floor((rate * Math.max(0, t - start)) / quantum) * quantum;

export interface NoiseModel {
  /** Marginal σ of the AR(1) noise. */
  sigma: number;
  /** AR(1) coefficient: RSS noise carries over from one task to the next. */
  phi: number;
  /** Share of points with a transient upward spike (a big allocation still in flight). */
  spikeRate: number;
  spikeMax: number;
  /** Values are whole multiples of this (pages for RSS). */
  quantum: number;
}

export function render(random: Random, n: number, base: number, shapes: Shape[], noise: NoiseModel): number[] {
  const values: number[] = [];
  const innovation = noise.sigma * Math.sqrt(1 - noise.phi * noise.phi);
  let carried = noise.sigma * random.gaussian();
  for (let t = 1; t <= n; t++) {
    carried = noise.phi * carried + innovation * random.gaussian();
    const spike = random.next() < noise.spikeRate ? random.uniform(0, noise.spikeMax) : 0;
    const bytes = base + shapes.reduce((sum, shape) => sum + shape(t), 0) + carried + spike;
    values.push(Math.floor(bytes / noise.quantum) * noise.quantum);
  }
  return values;
}

/** Task end times: tasks of 50–150 ms, back to back. */
export function taskEndTimes(random: Random, n: number): number[] {
  const ends: number[] = [];
  let now = 0;
  for (let t = 0; t < n; t++) ends.push((now += random.uniform(50, 150)));
  return ends;
}
