// Long series (a day at 1 s × 5 processes is 432,000 readings) shrink to what a chart can show:
// per pixel column, the lowest and the highest reading. Peaks and dips survive, so a spike a
// person must see is never averaged away, and the file stays small whatever the run length.
import type { PointColumns } from './point-columns.js';

export interface Point {
  x: number;
  /** null breaks the line: a reading the platform could not give. */
  y: number | null;
}

export interface DefinedPoint {
  x: number;
  y: number;
}

/**
 * Splits `points` (sorted by x) into unbroken segments and keeps, per bucket of x, the minimum and
 * the maximum in the order they occurred: at most 2 points per bucket per segment.
 */
export function downsampleMinMax(points: PointColumns, xMin: number, xMax: number, buckets: number): DefinedPoint[][] {
  const segments: DefinedPoint[][] = [];
  const span = xMax - xMin;
  const bucketOf = (x: number): number => (span > 0 ? Math.min(buckets - 1, Math.floor(((x - xMin) / span) * buckets)) : 0);
  let segment: DefinedPoint[] = [];
  let bucket = -1;
  let low: { point: DefinedPoint; index: number } | null = null;
  let high: { point: DefinedPoint; index: number } | null = null;

  const flushBucket = (): void => {
    if (!low || !high) return;
    if (low.index === high.index) segment.push(low.point);
    else if (low.index < high.index) segment.push(low.point, high.point);
    else segment.push(high.point, low.point);
    low = high = null;
  };
  const flushSegment = (): void => {
    flushBucket();
    if (segment.length > 0) segments.push(segment);
    segment = [];
    bucket = -1;
  };

  for (let index = 0; index < points.length; index++) {
    const x = points.x(index);
    const y = points.y(index);
    if (y === null || !Number.isFinite(y)) {
      flushSegment();
      continue;
    }
    const here = bucketOf(x);
    if (here !== bucket) {
      flushBucket();
      bucket = here;
    }
    // Only a bucket's new lowest or highest reading becomes an object.
    if (!low || y < low.point.y) low = { point: { x, y }, index };
    if (!high || y > high.point.y) high = { point: { x, y }, index };
  }
  flushSegment();
  return segments;
}
