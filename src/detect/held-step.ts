// A level shift that then holds: V8 growing a space, an allocator mapping an arena, a pool filling
// its buffers. The step explanation says memory moved in a jump or two; whether that is growth
// depends on what came after. A new level that holds over the window's later half is no growth
// (the per-run-leak rule itself asks the later half to keep rising); a staircase that keeps
// stepping fits a line better than one or two jumps and never reaches this rule.
import type { Explanation } from '../model.js';
import { formatDelta } from '../units.js';
import { MATERIAL_SHARE } from './explain.js';
import { mannKendall } from './mann-kendall.js';
import { fitStep } from './step.js';
import { senSlope } from './theil-sen.js';
import type { Envelope } from './envelope.js';

/**
 * The new level must hold from its step to the window's end over at least half the window: the
 * same half in which the sustained-growth test asks a leak to keep rising. A step later than that
 * cannot yet be told from one stair of a staircase.
 */
export const HELD_SHARE = 0.5;

export interface HeldInput {
  /** The window's envelope (block minima). */
  envelope: Envelope;
  /** The step fit's level shifts (explain.ts), in order. */
  steps: NonNullable<Explanation['steps']>;
  /** Memory held in the window (its median). */
  level: number;
  /** First and last position of the window. */
  from: number;
  to: number;
  /** Growth per position below which nothing is a leak (the detector's minimum slope). */
  minSlope: number;
  /** The p-value under which a trend is growth (the leak test's). */
  leakP: number;
}

export interface HeldStep {
  /** The material shifts, the last of them the one whose level held. */
  steps: Array<{ at: number; bytes: number }>;
}

/**
 * The material level shifts when the last of them held (flat since, over at least HELD_SHARE of
 * the window); null when there is no such step, or memory kept moving after it. Flat means both
 * small (range under 1% of the memory held) and not rising: no trend at the leak test's level with
 * a slope above the minimum, unless a jump or two explain it better than a line (step.ts; a page
 * or an immaterial sub-step is no rise). A slow leak behind a step keeps rising and is not "held".
 */
export function heldStep(input: HeldInput): HeldStep | null {
  const material = input.steps.filter((s) => Math.abs(s.bytes) >= MATERIAL_SHARE * input.level);
  const last = material[material.length - 1];
  if (!last || input.to - last.at < HELD_SHARE * (input.to - input.from)) return null;
  const { positions, values } = input.envelope;
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (positions[i]! >= last.at) {
      x.push(positions[i]!);
      y.push(values[i]!);
    }
  }
  if (y.length < 3) return null;
  // Flat for any practical purpose: the level moves less than a material shift (1%).
  if (Math.max(...y) - Math.min(...y) >= MATERIAL_SHARE * input.level) return null;
  const rising = mannKendall(y, 1).pValue < input.leakP && senSlope(x, y) > input.minSlope && !fitStep(x, y).stepLike;
  return rising ? null : { steps: material };
}

/** "a step of +3.8 MB at task 166, flat since" (or "steps of … and …"); positions in ms read as seconds. */
export function heldStepReason(held: HeldStep, unit: 'task' | 'ms'): string {
  const where = (at: number): string => (unit === 'task' ? `task ${Math.round(at)}` : `${(at / 1000).toFixed(1)} s`);
  const parts = held.steps.map((s) => `${formatDelta(s.bytes)} at ${where(s.at)}`);
  return `${parts.length === 1 ? 'a step' : 'steps'} of ${parts.join(' and ')}, flat since`;
}
