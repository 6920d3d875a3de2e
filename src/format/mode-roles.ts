// Which mode of a comparison is the baseline, and which ones isolate tasks: read from the mode
// (compare --variant sets both) or, for runs that do not say, from the mode's name.
import type { ModeResult } from '../model.js';

/** `isolated`, `fork` and `recycle:N` name the modes that give tasks fresh processes. */
export function isolatingName(name: string): boolean {
  return name === 'isolated' || name === 'fork' || /^recycle:\d+$/.test(name);
}

/** The mode the others are measured against: the one marked so, else in-process. */
export function baselineMode(modes: readonly ModeResult[]): ModeResult | undefined {
  return modes.find((m) => m.baseline === true) ?? modes.find((m) => m.mode === 'in-process');
}

/** Whether the gate expects this mode not to grow. */
export function isIsolating(mode: ModeResult, modes: readonly ModeResult[]): boolean {
  if (mode.isolating !== undefined) return mode.isolating;
  return mode !== baselineMode(modes) && mode.mode !== 'in-process';
}
