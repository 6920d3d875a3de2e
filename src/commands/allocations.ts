// --allocations for watch and compare: the option, the directory the helpers write to, and the
// findings attached to the run once the worker has gone.
import type { RunResult } from '../model.js';
import { UsageError } from '../errors.js';
import { findAllocationSites } from '../detect/allocations.js';
import { openAllocationsDir, type AllocationsDir } from '../runner/allocations-dir.js';

/** tracemalloc's default in leakhunt: deep enough to reach the user's code from inside a library. */
export const DEFAULT_ALLOCATION_FRAMES = 16;
/** More frames cost the worker memory per traced block and time per snapshot, for little more insight. */
const MAX_ALLOCATION_FRAMES = 128;

export const NO_HELPER_NOTE = 'no allocation sites were recorded: they need the worker to run leakhunt\'s helper '
  + '(serveTasks/markTask in Node, serve_tasks/mark_task in Python) or --instrument';

export interface RawAllocationOptions {
  allocations?: boolean;
  allocationFrames?: string;
}

/** The frame count asked for, or null without --allocations. */
export function parseAllocationOptions(raw: RawAllocationOptions): number | null {
  if (raw.allocationFrames !== undefined && !raw.allocations) throw new UsageError('--allocation-frames needs --allocations');
  if (!raw.allocations) return null;
  if (raw.allocationFrames === undefined) return DEFAULT_ALLOCATION_FRAMES;
  const frames = Number(raw.allocationFrames);
  if (!/^\d+$/.test(raw.allocationFrames) || frames < 1 || frames > MAX_ALLOCATION_FRAMES) {
    throw new UsageError(`--allocation-frames: "${raw.allocationFrames}" is not a whole number from 1 to ${MAX_ALLOCATION_FRAMES}`);
  }
  return frames;
}

export function openAllocations(frames: number | null): AllocationsDir | null {
  return frames === null ? null : openAllocationsDir(frames);
}

/** Reads what the helpers wrote, attaches sites and notes to the run, and removes the directory. */
export function attachAllocations(result: RunResult, dir: AllocationsDir): void {
  try {
    const { tables } = dir.read();
    const findings = findAllocationSites(tables);
    result.allocations = findings.sites;
    const notes = tables.length === 0 ? [NO_HELPER_NOTE] : findings.notes;
    if (notes.length > 0) result.allocationNotes = notes;
  } finally {
    dir.remove();
  }
}

/** A comparison's sites were recorded in its in-process mode: that mode's attribution says which types leak. */
export function inProcessAttribution(result: RunResult): RunResult['attribution'] {
  return result.modes?.find((mode) => mode.mode === 'in-process')?.attribution ?? result.attribution;
}
