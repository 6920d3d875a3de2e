// The HTML report's allocation sites (--allocations), shown beside the growth by task type: per
// type, the sites that keep memory on every repeat. Every name here comes from the worker and
// goes through renderTable's escaping.
import type { RunResult } from '../model.js';
import { describeFrame, userFrame } from '../detect/allocations.js';
import { formatDelta } from '../units.js';
import { escapeHtml, truncate } from './html-escape.js';
import { renderTable, type Row } from './html-table.js';

/** Sites shown per task type (the JSON report holds up to ten). */
const SITES_PER_TYPE = 5;
const MAX_PATH_CHARS = 120;

export function allocationsHtml(result: RunResult): { table: string; note: string } | null {
  if (result.allocations === undefined) return null;
  const shownPerType = new Map<string, number>();
  const rows: Row[] = [];
  for (const site of result.allocations) {
    const shown = shownPerType.get(site.name) ?? 0;
    if (shown >= SITES_PER_TYPE) continue;
    shownPerType.set(site.name, shown + 1);
    const via = userFrame(site);
    rows.push([
      truncate(site.name, 60),
      { html: `<code>${escapeHtml(truncate(describeFrame({ ...site, function: '' }), MAX_PATH_CHARS))}</code>` },
      truncate(site.function, 60),
      { html: `<span class="up">${escapeHtml(formatDelta(site.bytesPerRun))}</span>` },
      site.runs,
      via ? { html: `<code>${escapeHtml(truncate(describeFrame(via), MAX_PATH_CHARS))}</code>` } : null,
    ]);
  }
  const columns = [
    { label: 'Task type' }, { label: 'Site' }, { label: 'Function' }, { label: 'Kept per run', numeric: true },
    { label: 'Repeats', numeric: true }, { label: 'Reached from your code' },
  ];
  const why = 'Sites whose retained size grows with the repeats of a task type, after a full collection, per run (a robust slope over the traced repeats).';
  const note = [why, ...(result.allocationNotes ?? [])].join(' ');
  const table = rows.length > 0 ? renderTable(columns, rows, 'allocations') : `<p class="muted">${escapeHtml('No site keeps memory above noise on the repeats of any task type.')}</p>`;
  return { table, note };
}
