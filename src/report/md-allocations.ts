// The Markdown summary's allocation lines (--allocations): the top site of each task type that
// leaks, then the top site of other types that still keep traced memory, and the notes.
import type { RunResult } from '../model.js';
import { describeFrame, userFrame } from '../detect/allocations.js';
import { formatDelta } from '../units.js';

/** Types listed at most, so a run of hundreds of task types stays a short summary. */
const MAX_TYPES = 10;

export function allocationMarkdown(result: RunResult, text: (value: string) => string): string[] {
  if (result.allocations === undefined) return [];
  const leaking = new Set(result.attribution.filter((a) => a.kind === 'leak').map((a) => a.name));
  const firstSite = new Map<string, (typeof result.allocations)[number]>();
  for (const site of result.allocations) if (!firstSite.has(site.name)) firstSite.set(site.name, site);
  const ordered = [...firstSite.values()].sort((a, b) => Number(leaking.has(b.name)) - Number(leaking.has(a.name)));
  const lines = ordered.slice(0, MAX_TYPES).map((site) => {
    const via = userFrame(site);
    const from = via ? `, reached from ${text(describeFrame(via))}` : '';
    const flag = leaking.has(site.name) ? '' : ' (type not classed as a leak)';
    return `- **${text(site.name)}**: ${text(describeFrame(site))}, ${formatDelta(site.bytesPerRun)} per run over ${site.runs} repeats${from}${flag}`;
  });
  if (ordered.length > MAX_TYPES) lines.push(`- … ${ordered.length - MAX_TYPES} more task types in the JSON report`);
  for (const note of result.allocationNotes ?? []) lines.push(`- ${text(note)}`);
  if (lines.length === 0) lines.push('- no site keeps memory above noise on the repeats of any task type');
  return lines;
}
