// A chart series' readings as two typed columns. A day at 1 s × 5 processes is 432,000 readings:
// as { x, y } objects they cost ~100 bytes each while the HTML report was built (bench row 7);
// as pairs of float64s, 16 (and up to twice that while a column is full and doubles).
import { widened } from '../typed-arrays.js';

const FIRST_CAPACITY = 64;

export class PointColumns {
  private xs: Float64Array = new Float64Array(FIRST_CAPACITY);
  /** NaN stands for null: a reading the platform could not give, which breaks the line. */
  private ys: Float64Array = new Float64Array(FIRST_CAPACITY);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(x: number, y: number | null): void {
    if (this.count === this.xs.length) this.grow();
    this.xs[this.count] = x;
    this.ys[this.count] = y ?? NaN;
    this.count++;
  }

  /** Adds `y` to the last reading; a null reading becomes `y`. */
  addToLast(y: number): void {
    const last = this.count - 1;
    const current = this.ys[last]!;
    this.ys[last] = Number.isNaN(current) ? y : current + y;
  }

  x(index: number): number {
    return this.xs[index]!;
  }

  y(index: number): number | null {
    const value = this.ys[index]!;
    return Number.isNaN(value) ? null : value;
  }

  /** Sorted by x in place (stable), when they are not already: recordings nearly always are. */
  sortByX(): this {
    let sorted = true;
    for (let i = 1; i < this.count && sorted; i++) sorted = this.xs[i]! >= this.xs[i - 1]!;
    if (sorted) return this;
    const order = Uint32Array.from({ length: this.count }, (_, i) => i).sort((a, b) => this.xs[a]! - this.xs[b]! || a - b);
    this.xs = Float64Array.from(order, (i) => this.xs[i]!);
    this.ys = Float64Array.from(order, (i) => this.ys[i]!);
    return this;
  }

  private grow(): void {
    this.xs = widened(this.xs, this.xs.length * 2);
    this.ys = widened(this.ys, this.ys.length * 2);
  }
}
