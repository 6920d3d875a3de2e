// Seeded randomness for the evaluation: the same seed gives the same series on every machine.
import { mulberry32 } from '../src/seeded-random.js';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(low: number, high: number): number;
  /** Standard normal (Box-Muller). */
  gaussian(): number;
}

export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  return {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    gaussian: () => {
      const u = Math.max(next(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}

/** A distinct, well-mixed seed for each (class, seed) pair, so classes never share noise. */
export function seedFor(className: string, seed: number): number {
  let hash = 2166136261;
  for (const char of `${className}#${seed}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return hash >>> 0;
}
