// Is the growth still slowing down at the very end of the window? A cache filling towards its cap
// (or any exponential approach to a plateau) slows down at a steady rate, so its slope keeps
// falling from one quarter of the window to the next. A leak's slope does not, even while the
// tail of a warm-up that ended long ago still bends the start of the window.
import { senSlope } from './theil-sen.js';

/**
 * Fewer blocks than this per quarter give no slope worth comparing: with 4, a Theil-Sen slope
 * rests on 6 pairs, and a near-noiseless 250 KB/task line (60 tasks, 15 blocks) read a 6% wobble
 * between its last two quarters as a slowdown at z = 3.1 (its error is figured for least squares).
 */
const MIN_QUARTER_BLOCKS = 5;

/** Standard error of a least-squares slope through m evenly spaced points with noise σ. */
function slopeError(sigma: number, count: number, spacing: number): number {
  return (sigma * Math.sqrt(12 / (count * (count * count - 1)))) / spacing;
}

/**
 * z-score of the fall in slope from the third quarter of the envelope to the fourth: positive
 * when growth slows down. `sigma` is the envelope's noise around its trend and `inflation` the
 * variance factor for serial correlation. 0 when the quarters are too short to compare.
 */
export function lateSlowdownZ(x: readonly number[], y: readonly number[], sigma: number, inflation: number): number {
  return lateSlowdown(x, y, sigma, inflation).z;
}

/** lateSlowdownZ with the effect size: the fourth quarter's slope over the third's (1 when not compared). */
export function lateSlowdown(x: readonly number[], y: readonly number[], sigma: number, inflation: number): { z: number; ratio: number } {
  const middle = Math.floor(y.length / 2);
  const quarter = Math.floor((y.length - middle) / 2);
  if (quarter < MIN_QUARTER_BLOCKS) return { z: 0, ratio: 1 };
  const parts = [
    [middle, middle + quarter],
    [middle + quarter, y.length],
  ].map(([from, to]) => {
    const px = x.slice(from, to);
    const spacing = (px[px.length - 1]! - px[0]!) / (px.length - 1);
    return { slope: senSlope(px, y.slice(from, to)), error: slopeError(sigma, px.length, spacing || 1) };
  });
  const error = Math.sqrt(inflation) * Math.hypot(parts[0]!.error, parts[1]!.error);
  const [third, fourth] = [parts[0]!.slope, parts[1]!.slope];
  return { z: error > 0 ? (third - fourth) / error : 0, ratio: third > 0 ? fourth / third : 1 };
}
