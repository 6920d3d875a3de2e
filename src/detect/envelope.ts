// The lower envelope: the minimum of each block of consecutive points. Memory that is still held
// at the lowest point of a block is memory the worker kept; GC sawtooth peaks, allocation
// spikes and in-flight buffers sit above it and drop out.
import { median, quantileInPlace, robustSigmaInPlace } from './stats.js';

export interface Envelope {
  /** Position (task index or ms) of each block's minimum. */
  positions: number[];
  values: number[];
  blockSize: number;
}

/** Aim for about this many blocks: enough for the trend tests, few enough to average out noise. */
const TARGET_BLOCKS = 30;
/** Short windows keep at least this many blocks so the trend tests still have power. */
const MIN_BLOCKS = 12;
/** A block of 4 points already drops single spikes; short runs use smaller blocks only to keep 12. */
const SHORT_BLOCK = 4;

/** Even with a long GC period, keep at least this many blocks. */
const MIN_GC_BLOCKS = 4;

/**
 * Block size for a window of `length` points: length/30 for long windows, ≥ 12 blocks for short
 * ones. When the series has a GC period, blocks span at least 1.25 periods even if that leaves
 * fewer blocks: a block without a post-GC trough has a minimum on the rising edge, and a few
 * such blocks in a row look like growth. Fewer blocks then simply make the tests less sure.
 */
export function chooseBlockSize(length: number, gcPeriod = 0): number {
  const base = Math.max(1, Math.min(SHORT_BLOCK, Math.floor(length / MIN_BLOCKS)), Math.floor(length / TARGET_BLOCKS));
  return Math.max(base, Math.min(Math.ceil(1.25 * gcPeriod), Math.floor(length / MIN_GC_BLOCKS)));
}

/** A fall larger than this many robust σ of the task-to-task changes is a collection, not noise. */
const DROP_SIGMAS = 6;
const PAGE_BYTES = 4096;
/** Fewer drops than this do not make a period. */
const MIN_DROPS = 3;

/**
 * The typical spacing, in points, between large drops (GC collections giving memory back);
 * 0 when there are too few drops to speak of a period. Single-point spikes are removed first
 * (3-point running minimum) so their fall does not count.
 */
export function gcPeriod(values: ArrayLike<number>): number {
  // Plain loops over the whole series (see stats.ts, robustSigma, for why not callbacks).
  // The yardstick is the spread of the raw task-to-task changes: the running minimum smooths
  // the series, and its own changes would make ordinary noise look like a fall. The changes
  // live in one scratch array that the median and the spread reorder in place: over a 10^6-task
  // run it is 8 MB, once.
  const rawChanges = new Float64Array(Math.max(0, values.length - 1));
  for (let i = 1; i < values.length; i++) rawChanges[i - 1] = values[i]! - values[i - 1]!;
  const centre = quantileInPlace(rawChanges, 0.5);
  // Memory moves in 4 KB pages: a spread below one page is quantisation, not a yardstick.
  const spread = Math.max(robustSigmaInPlace(rawChanges), PAGE_BYTES);
  // A real fall, not merely a slower rise: below zero even when memory grows fast.
  const threshold = Math.min(centre, 0) - DROP_SIGMAS * spread;
  // Drop i: the running minimum falls from point i to point i + 1.
  const drops: number[] = [];
  let floor = runningMinimum(values, 0);
  for (let i = 1; i < values.length; i++) {
    const next = runningMinimum(values, i);
    if (next - floor < threshold) drops.push(i - 1);
    floor = next;
  }
  if (drops.length < MIN_DROPS) return 0;
  const gaps: number[] = [];
  for (let i = 1; i < drops.length; i++) gaps.push(drops[i]! - drops[i - 1]!);
  return median(gaps);
}

/** The 3-point running minimum at i, which removes single-point spikes. */
function runningMinimum(values: ArrayLike<number>, i: number): number {
  return Math.min(values[i]!, values[i - 1] ?? Infinity, values[i + 1] ?? Infinity);
}

/**
 * Block minima of `values`. Blocks are aligned to the end of the series, so the newest points
 * always form a full block; up to blockSize − 1 of the oldest points are left out.
 */
export function lowerEnvelope(
  positions: ArrayLike<number>,
  values: ArrayLike<number>,
  blockSize: number,
): Envelope {
  return blockExtremes(positions, values, blockSize, 1);
}

/**
 * Block maxima, aligned as lowerEnvelope's. Under a GC sawtooth each block (≥ 1.25 periods) holds
 * a peak before a collection: a second reading of the level, which a leak raises as it raises the
 * troughs.
 */
export function upperEnvelope(
  positions: ArrayLike<number>,
  values: ArrayLike<number>,
  blockSize: number,
): Envelope {
  return blockExtremes(positions, values, blockSize, -1);
}

function blockExtremes(
  positions: ArrayLike<number>,
  values: ArrayLike<number>,
  blockSize: number,
  /** 1 picks each block's minimum, −1 its maximum (a sign, not a callback: this loop sees every point). */
  sign: 1 | -1,
): Envelope {
  const n = Math.min(positions.length, values.length);
  const size = Math.max(1, Math.floor(blockSize));
  const blocks = Math.floor(n / size);
  const first = n - blocks * size;
  const envelope: Envelope = { positions: [], values: [], blockSize: size };
  for (let b = 0; b < blocks; b++) {
    let best = first + b * size;
    for (let i = best + 1; i < first + (b + 1) * size; i++) if (sign * values[i]! < sign * values[best]!) best = i;
    envelope.positions.push(positions[best]!);
    envelope.values.push(values[best]!);
  }
  return envelope;
}
