// Long series (a day at 1 s × 5 processes is 432,000 readings) shrink to what a chart can show:
// per pixel column, the lowest and the highest reading. Peaks and dips survive, so a spike a
// person must see is never averaged away, and the file stays small whatever the run length.

export interface DefinedPoint {
  x: number;
  y: number;
}

/**
 * Splits a series (fed sorted by x) into unbroken segments and keeps, per bucket of x, the minimum
 * and the maximum in the order they occurred: at most 2 points per bucket per segment. Readings
 * come one at a time, so a series can be reduced while its samples stream past, never held whole.
 */
export class MinMaxBuckets {
  private readonly segments: DefinedPoint[][] = [];
  private readonly span: number;
  private segment: DefinedPoint[] = [];
  private bucket = -1;
  private index = 0;
  private low: { point: DefinedPoint; index: number } | null = null;
  private high: { point: DefinedPoint; index: number } | null = null;

  constructor(
    private readonly xMin: number,
    xMax: number,
    private readonly buckets: number,
  ) {
    this.span = xMax - xMin;
  }

  push(x: number, y: number | null): void {
    const index = this.index++;
    if (y === null || !Number.isFinite(y)) {
      this.flushSegment();
      return;
    }
    const here = this.bucketOf(x);
    if (here !== this.bucket) {
      this.flushBucket();
      this.bucket = here;
    }
    // Only a bucket's new lowest or highest reading becomes an object.
    if (!this.low || y < this.low.point.y) this.low = { point: { x, y }, index };
    if (!this.high || y > this.high.point.y) this.high = { point: { x, y }, index };
  }

  /** The segments so far; call once, after the last reading. */
  finish(): DefinedPoint[][] {
    this.flushSegment();
    return this.segments;
  }

  private bucketOf(x: number): number {
    return this.span > 0 ? Math.min(this.buckets - 1, Math.floor(((x - this.xMin) / this.span) * this.buckets)) : 0;
  }

  private flushBucket(): void {
    const { low, high } = this;
    if (!low || !high) return;
    if (low.index === high.index) this.segment.push(low.point);
    else if (low.index < high.index) this.segment.push(low.point, high.point);
    else this.segment.push(high.point, low.point);
    this.low = this.high = null;
  }

  private flushSegment(): void {
    this.flushBucket();
    if (this.segment.length > 0) this.segments.push(this.segment);
    this.segment = [];
    this.bucket = -1;
  }
}
