// What a comparison means, in one sentence built from its numbers, and which recycle:N to use.
// Pure: shared by the terminal and the Markdown summary.
import type { MemoryLimit, ModeResult, RunResult } from '../model.js';
import { endedTaskCount } from '../series/rows.js';
import { formatBytes } from '../units.js';
import { RUN_PACE, formatCount, truncate } from './text.js';
import { baselineMode, isIsolating } from './mode-roles.js';

/** How a mode reads in a sentence. */
export function modePhrase(mode: string): string {
  if (mode === 'isolated') return 'isolation';
  if (mode === 'fork') return 'a fork per task';
  const recycle = recycleEvery(mode);
  if (recycle !== null) return `recycling every ${recycle} tasks`;
  return truncate(mode, 40);
}

/** N of recycle:N, or null. */
export function recycleEvery(mode: string): number | null {
  const match = /^recycle:(\d+)$/.exec(mode);
  return match ? Number(match[1]) : null;
}

const growing = (m: ModeResult): boolean => m.verdict.status === 'leak' || m.verdict.status === 'suspect';

/** The limit to measure against: the caller's (--limit, cgroup), else the one a verdict carries. */
function limitOf(result: RunResult, limitBytes?: number | null): Pick<MemoryLimit, 'bytes'> | null {
  if (limitBytes) return { bytes: limitBytes };
  return result.modes?.find((m) => m.verdict.limit)?.verdict.limit ?? result.verdict.limit;
}

/** When in-process crosses the limit, counted in tasks from the start: seen in the data, or projected. */
function tasksToReach(mode: ModeResult, limitBytes: number): { tasks: number; seen: boolean } | null {
  let position = 0;
  for (const task of mode.tasks) {
    position++;
    if (task.treeRssAfterBytes !== null && task.treeRssAfterBytes >= limitBytes) return { tasks: position, seen: true };
  }
  const done = endedTaskCount(mode.tasks);
  const projected = mode.verdict.projection?.tasksToLimit?.[0];
  if (projected !== null && projected !== undefined) return { tasks: done + projected, seen: false };
  const slope = mode.verdict.bytesPerTask;
  if (!slope || slope <= 0 || mode.baselineBytes === null) return null;
  return { tasks: Math.ceil((limitBytes - mode.baselineBytes) / slope) + 1, seen: false };
}

/** e.g. "isolation holds the worker at 38.0 MB; in-process grows 6.4 MB/task and reaches the 512.0 MB limit after ~74 tasks". */
export function comparisonConclusion(result: RunResult, limitBytes?: number | null): string | null {
  const modes = result.modes ?? [];
  // The baseline: in-process, or the first --variant.
  const inProcess = baselineMode(modes);
  const name = truncate(inProcess?.mode ?? '', 40);
  const flat = modes.filter((m) => m !== inProcess && isIsolating(m, modes) && !m.failure && m.verdict.status === 'stable');
  const best = flat.find((m) => m.mode === 'isolated') ?? flat.find((m) => m.mode === 'fork') ?? flat[0];
  const parts: string[] = [];
  if (best) parts.push(`${modePhrase(best.mode)} holds the worker at ${formatBytes(best.finalBytes ?? best.peakTreeRssBytes)}`);
  if (inProcess && growing(inProcess)) {
    let text = `${name} grows ${formatBytes(inProcess.verdict.bytesPerTask ?? 0)}/task`;
    if (inProcess.verdict.bytesPerTask === null) text = `${name} grows ${formatBytes(inProcess.verdict.bytesPerHour)}/h ${RUN_PACE}`;
    const limit = limitOf(result, limitBytes);
    const reach = limit ? tasksToReach(inProcess, limit.bytes) : null;
    if (limit && reach) {
      text += reach.seen
        ? ` and passed the ${formatBytes(limit.bytes)} limit at task ${formatCount(reach.tasks)}`
        : ` and reaches the ${formatBytes(limit.bytes)} limit after ~${formatCount(reach.tasks)} tasks`;
    }
    parts.push(text);
  } else if (inProcess && inProcess.verdict.status === 'stable') {
    parts.push(`${name} stays flat too (${formatBytes(inProcess.finalBytes)} after the last task): this workload does not need isolation`);
  }
  return parts.length ? parts.join('; ') : null;
}

/**
 * Overhead below 5% is within the run-to-run noise of wall time on a shared machine, so a larger N
 * than the first one under it buys no measurable speed, only memory: that N is the knee.
 */
const KNEE_OVERHEAD = 0.05;

/** Which recycle:N to use, when at least two were measured; null otherwise. */
export function recycleRecommendation(result: RunResult, limitBytes?: number | null): string | null {
  const modes = result.modes ?? [];
  const recycles = modes
    .filter((m) => recycleEvery(m.mode) !== null && !m.failure)
    .sort((a, b) => recycleEvery(a.mode)! - recycleEvery(b.mode)!);
  if (recycles.length < 2) return null;
  const limit = limitOf(result, limitBytes);
  if (limit) {
    const under = recycles.filter((m) => m.peakTreeRssBytes !== null && m.peakTreeRssBytes < limit.bytes);
    const pick = under.at(-1);
    if (!pick) return `no recycle:N tried keeps the peak under the ${formatBytes(limit.bytes)} limit; use isolated or a smaller N`;
    return `use ${pick.mode}: the largest N whose peak (${formatBytes(pick.peakTreeRssBytes)}) stays under the ${formatBytes(limit.bytes)} limit`;
  }
  const reference = modes.find((m) => m.mode === 'in-process')?.msPerTask
    ?? Math.min(...recycles.map((m) => m.msPerTask ?? Infinity));
  if (!Number.isFinite(reference) || reference <= 0) return null;
  const knee = recycles.find((m) => m.msPerTask !== null && (m.msPerTask - reference) / reference <= KNEE_OVERHEAD);
  if (knee) {
    return `use ${knee.mode}: the smallest N within 5% of the fastest time per task (peak ${formatBytes(knee.peakTreeRssBytes)}); a larger N only holds more memory`;
  }
  const cheapest = recycles.at(-1)!;
  return `every recycle:N tried costs more than 5% time per task; ${cheapest.mode} costs least (peak ${formatBytes(cheapest.peakTreeRssBytes)})`;
}
