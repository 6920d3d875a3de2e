// Growing typed arrays: a typed array cannot grow in place, so a column that doubles is copied
// into a larger one.

/** A copy of `from` in a new array of `size` numbers (the rest zero). */
export function widened(from: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const to = new Float64Array(size);
  to.set(from);
  return to;
}
