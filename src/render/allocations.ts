// The terminal's allocation section (--allocations): for each task type classed as a leak, its
// top sites, and what could not be said. Site names come from the worker: one safe line each.
import type { RunResult } from '../model.js';
import { describeSite } from '../detect/allocations.js';
import type { Style } from './color.js';
import { oneLine, truncate } from '../format/text.js';

/** Sites shown per leaking type; the reports hold up to ten. */
const SITES_SHOWN = 3;
/** Types not classed as leaks that still have a growing site: one line each, at most this many. */
const OTHER_TYPES_SHOWN = 3;
/** A site line past this many characters is cut (a deep path in a monorepo). */
const MAX_LINE_CHARS = 240;

const safe = (text: string): string => truncate(oneLine(text), MAX_LINE_CHARS);

/** attribution: the one that says which types leak (a comparison's in-process mode). */
export function allocationLines(result: RunResult, style: Style, attribution = result.attribution): string[] {
  if (result.allocations === undefined) return [];
  const sites = result.allocations;
  const leaking = attribution.filter((a) => a.kind === 'leak').map((a) => a.name);
  const lines: string[] = [];
  for (const name of leaking) {
    const own = sites.filter((site) => site.name === name).slice(0, SITES_SHOWN);
    const noted = result.allocationNotes?.some((note) => note.startsWith(`${name}: `));
    if (own.length === 0 && noted) continue;
    lines.push(style.bold(`where ${safe(name)} keeps memory:`));
    if (own.length === 0) lines.push(style.dim('  no allocation site above noise: the growth is outside the traced heap (native memory, buffers) or below 1 KB per site'));
    for (const site of own) lines.push(`  ${safe(describeSite(site))}`);
  }
  // Types whose RSS did not read as a leak can still keep traced memory on every run (RSS moves
  // in pages and arenas): their top site, so the terminal does not hide what the helper saw.
  const others = [...new Set(sites.map((site) => site.name))].filter((name) => !leaking.includes(name));
  if (others.length > 0) lines.push(style.bold('also growing, in types not classed as leaks:'));
  for (const name of others.slice(0, OTHER_TYPES_SHOWN)) {
    lines.push(`  ${safe(`${name}: ${describeSite(sites.find((site) => site.name === name)!)}`)}`);
  }
  if (others.length > OTHER_TYPES_SHOWN) lines.push(style.dim(`  … ${others.length - OTHER_TYPES_SHOWN} more task types in the reports`));
  for (const note of result.allocationNotes ?? []) lines.push(style.yellow(`allocations: ${safe(note)}`));
  return lines;
}
