// Invariants of the verdict, checked with fast-check on seeded random series: what the detector
// says must not depend on where the memory sits, on its unit, on page rounding or on a few spikes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { judgeRun } from '../../src/detect/index.js';
import { createRandom } from '../../eval/prng.js';
import { KB, MB, taskRun } from './synthetic.js';

/** Fixed seed and a small number of runs: the suite stays deterministic and quick. */
const RUNS = { seed: 22, numRuns: 25 };

interface Shape {
  kind: 'leak' | 'constant';
  tasks: number;
  base: number;
  slope: number;
  sigma: number;
  seed: number;
}

/** A line with small noise (σ ≤ 1/4 of a task's growth) or a constant, from 100 to 400 tasks. */
const shapes: fc.Arbitrary<Shape> = fc.record({
  kind: fc.constantFrom('leak' as const, 'constant' as const),
  tasks: fc.integer({ min: 100, max: 400 }),
  base: fc.integer({ min: 20, max: 400 }).map((mb) => mb * MB),
  slope: fc.integer({ min: 16, max: 512 }).map((kb) => kb * KB),
  sigma: fc.double({ min: 0, max: 0.25, noNaN: true }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

function render(shape: Shape): number[] {
  const random = createRandom(shape.seed);
  return Array.from({ length: shape.tasks }, (_, i) =>
    shape.kind === 'constant' ? shape.base : shape.base + shape.slope * i + shape.sigma * shape.slope * random.gaussian(),
  );
}

const statusOf = (values: number[]): string => judgeRun(taskRun(values)).status;
const expected = (shape: Shape): string => (shape.kind === 'leak' ? 'leak' : 'stable');

test('a line with small noise is leak; a constant is stable', () => {
  fc.assert(fc.property(shapes, (shape) => statusOf(render(shape)) === expected(shape)), RUNS);
});

test('shifting a series by a constant does not change its verdict', () => {
  fc.assert(
    fc.property(shapes, fc.double({ min: -0.5, max: 2, noNaN: true }), (shape, share) => {
      const values = render(shape);
      return statusOf(values.map((v) => v + share * shape.base)) === statusOf(values);
    }),
    RUNS,
  );
});

test('scaling a series by a positive factor does not change its verdict', () => {
  fc.assert(
    fc.property(shapes, fc.double({ min: 0.5, max: 8, noNaN: true }), (shape, factor) => {
      const values = render(shape);
      return statusOf(values.map((v) => v * factor)) === statusOf(values);
    }),
    RUNS,
  );
});

test('rounding a series to 4 KB pages does not change its verdict', () => {
  fc.assert(
    fc.property(shapes, (shape) => {
      const values = render(shape);
      return statusOf(values.map((v) => Math.ceil(v / 4096) * 4096)) === statusOf(values);
    }),
    RUNS,
  );
});

test('a few spikes do not change the verdict', () => {
  const spikes = fc.array(fc.record({ at: fc.double({ min: 0, max: 0.999, noNaN: true }), size: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 3 });
  fc.assert(
    fc.property(shapes, spikes, (shape, added) => {
      const values = render(shape);
      const spiked = [...values];
      for (const spike of added) spiked[Math.floor(spike.at * values.length)]! += spike.size * MB;
      return statusOf(spiked) === statusOf(values);
    }),
    RUNS,
  );
});
