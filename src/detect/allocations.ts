// Which allocation sites keep memory across the repeats of a task type (--allocations). Pure:
// the helpers' tables in, sites and notes out.
//
// Per site, a traced run's figure is what that run kept there (live bytes after the task minus
// before it, after a full collection). Summed run after run they give the site's retained size
// as the type repeats; its Theil-Sen slope is the bytes kept per run. The first run (imports,
// caches priming) only shifts that line, so the slope is over the repeats alone.
import type { AllocationFrame, AllocationSite, AllocationTable, TypeRunsTable } from '../model.js';
import { formatDelta } from '../units.js';
import { median } from './stats.js';

/** Fewer traced repeats than this, and a slope is a guess: say so instead. */
export const MIN_REPEATS = 5;
/**
 * A site must keep at least this much per run. tracemalloc is exact, and what a run that only
 * allocates and frees leaves behind is tens of bytes (free lists, interned names); V8's sampler
 * sees objects of this size and more on average every 32 runs at its 32 KiB interval.
 */
export const MIN_BYTES_PER_RUN = 1024;
/** Sites kept per task type, largest first (the terminal shows 3). */
export const SITES_PER_TYPE = 10;
/** Notes about short types past this many are summed up in one line. */
const MAX_NOTES = 8;

export interface SiteSlope {
  bytesPerRun: number;
  /** Traced repeats the slope rests on (the first run not counted). */
  repeats: number;
  /** Grew in both halves of the repeats: a one-off step is not a per-run leak. */
  sustained: boolean;
}

/** Theil-Sen slope of the retained size over the repeats, from the per-run figures (first run first). */
export function siteSlope(deltas: readonly number[]): SiteSlope {
  const retained: number[] = [];
  let sum = 0;
  for (const delta of deltas) retained.push((sum += delta));
  const n = retained.length;
  const slopes: number[] = [];
  for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) slopes.push((retained[j]! - retained[i]!) / (j - i));
  const middle = Math.floor((n - 1) / 2);
  return {
    bytesPerRun: slopes.length > 0 ? median(slopes) : 0,
    repeats: Math.max(0, n - 1),
    sustained: n >= 3 && retained[middle]! > retained[0]! && retained[n - 1]! > retained[middle]!,
  };
}

/** leakhunt's own helpers and --instrument hooks, wherever the package is installed. */
const OWN_FILES = [
  /(^|[\\/])leakhunt_(worker|allocations|instrument)\.py$/,
  /[\\/]src[\\/]worker[\\/]instrument[\\/]python[\\/]sitecustomize\.py$/,
  /[\\/]dist[\\/]src[\\/]worker[\\/](.+[\\/])?[^\\/]+\.js$/,
];

/** Sites the user did not write: a library, the runtime, the standard library, leakhunt's helpers. */
const LIBRARY_FILES = [
  /[\\/](site|dist)-packages[\\/]/,
  /[\\/]node_modules[\\/]/,
  /^node:/,
  /^\(native\)$/,
  /^<frozen /,
  /[\\/]lib[\\/]python\d+(\.\d+)?[\\/]/,
  /[\\/]Lib[\\/]/,
  ...OWN_FILES,
];

export function isLibraryFrame(frame: AllocationFrame): boolean {
  return LIBRARY_FILES.some((pattern) => pattern.test(frame.file));
}

/**
 * A site allocated by leakhunt's own helper with no frame of the user's code under it: the
 * tracer's and the boundary reports' own records, which are not the worker's to fix.
 */
function isOwnSite(stack: readonly AllocationFrame[]): boolean {
  return stack.length > 0 && OWN_FILES.some((pattern) => pattern.test(stack[0]!.file)) && stack.every(isLibraryFrame);
}

/** When the site is inside a library or the runtime, the first frame in the user's code that leads to it. */
export function userFrame(site: Pick<AllocationSite, 'stack'>): AllocationFrame | null {
  if (site.stack.length === 0 || !isLibraryFrame(site.stack[0]!)) return null;
  return site.stack.find((frame) => !isLibraryFrame(frame)) ?? null;
}

/** Per task type, the process that traced it most (each process keeps its own heap). */
function pickTypes(tables: readonly AllocationTable[]): TypeRunsTable[] {
  const best = new Map<string, TypeRunsTable>();
  for (const table of tables) {
    for (const type of table.types) {
      const seen = best.get(type.name);
      if (!seen || type.traced.length > seen.traced.length) best.set(type.name, type);
    }
  }
  return [...best.values()];
}

function sitesOf(type: TypeRunsTable): AllocationSite[] {
  const sites: AllocationSite[] = [];
  for (const site of type.sites) {
    const slope = siteSlope(site.deltas);
    if (!slope.sustained || slope.bytesPerRun < MIN_BYTES_PER_RUN || isOwnSite(site.stack)) continue;
    const top = site.stack[0]!;
    sites.push({ name: type.name, file: top.file, line: top.line, function: top.function, bytesPerRun: Math.round(slope.bytesPerRun), runs: slope.repeats, stack: site.stack });
  }
  return sites.sort((a, b) => b.bytesPerRun - a.bytesPerRun).slice(0, SITES_PER_TYPE);
}

export interface AllocationFindings {
  /** Types with enough repeats, each type's sites largest first; types by their largest site. */
  sites: AllocationSite[];
  notes: string[];
}

export function findAllocationSites(tables: readonly AllocationTable[]): AllocationFindings {
  const types = pickTypes(tables);
  const perType: AllocationSite[][] = [];
  const short: string[] = [];
  for (const type of types) {
    const repeats = Math.max(0, type.traced.length - 1);
    if (repeats < MIN_REPEATS) {
      short.push(`${type.name}: ${repeats} ${repeats === 1 ? 'repeat' : 'repeats'} traced; allocation sites need more repeats (at least ${MIN_REPEATS})`);
      continue;
    }
    const sites = sitesOf(type);
    if (sites.length > 0) perType.push(sites);
  }
  perType.sort((a, b) => b[0]!.bytesPerRun - a[0]!.bytesPerRun);
  const notes = short.slice(0, MAX_NOTES);
  if (short.length > MAX_NOTES) notes.push(`… ${short.length - MAX_NOTES} more task types with too few repeats`);
  return { sites: perType.flat(), notes };
}

/** "file:line function  +N KB per run", the site as one line of text (callers make it safe to print). */
export function describeSite(site: AllocationSite): string {
  const via = userFrame(site);
  const from = via ? `  (from ${describeFrame(via)})` : '';
  return `${describeFrame(site)}  ${formatDelta(site.bytesPerRun)} per run${from}`;
}

/** "file:line function"; a frame without a line (native code) is "file function". */
export function describeFrame(frame: AllocationFrame): string {
  return `${frame.file}${frame.line > 0 ? `:${frame.line}` : ''}${frame.function ? ` ${frame.function}` : ''}`;
}
