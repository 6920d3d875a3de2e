// Time and tasks until the memory limit, as a range across the slope's confidence interval.
import type { Projection } from '../model.js';

export interface ProjectionInput {
  limitBytes: number;
  currentBytes: number;
  bytesPerTaskCI: [number, number] | null;
  bytesPerHourCI: [number, number] | null;
}

/**
 * (limit − current) / rate for both bounds of the rate. The faster bound gives the first value
 * (the soonest), the slower one the second. A bound ≤ 0 never reaches the limit: null. At or past
 * the limit both values are 0.
 */
function rangeToLimit(remaining: number, ci: [number, number] | null, scale: number): [number | null, number | null] | null {
  if (ci === null) return null;
  if (remaining <= 0) return [0, 0];
  const [low, high] = ci;
  const at = (rate: number): number | null => (rate > 0 ? Math.ceil((remaining / rate) * scale) : null);
  return [at(high), at(low)];
}

export function projectToLimit(input: ProjectionInput): Projection {
  const remaining = input.limitBytes - input.currentBytes;
  return {
    tasksToLimit: rangeToLimit(remaining, input.bytesPerTaskCI, 1),
    secondsToLimit: rangeToLimit(remaining, input.bytesPerHourCI, 3600),
  };
}
