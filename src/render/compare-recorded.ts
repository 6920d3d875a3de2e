// The terminal view of `compare <before> <after>`: two recorded runs side by side, per mode.
import type { GateResult, ModeResult } from '../model.js';
import { formatBytes, formatDelta } from '../units.js';
import type { Style } from './color.js';
import { formatTable, type Column } from './table.js';
import { gateLines } from './compare.js';
import { paintStatus } from './summary.js';
import { formatRates, oneLine, truncate } from './text.js';

/** One mode as recorded in each run; null where a run lacks the mode. */
export interface RecordedPair {
  mode: string;
  before: ModeResult | null;
  after: ModeResult | null;
}

export interface RecordedLabels {
  before: string;
  after: string;
}

/** "leak +1.0 MB/task", or "–" for a mode the run does not have. */
export function verdictText(mode: ModeResult | null): string {
  if (!mode) return '–';
  if (mode.failure) return 'failed';
  const rate = formatRates({ ...mode.verdict, bytesPerTaskCI: null, bytesPerHour: mode.verdict.bytesPerTask === null ? mode.verdict.bytesPerHour : null });
  return `${mode.verdict.status}${rate ? ` ${rate}` : ''}`;
}

/** How the after-run's peak moved against the before-run's. */
export function peakChange(pair: RecordedPair): string {
  const before = pair.before?.peakTreeRssBytes;
  const after = pair.after?.peakTreeRssBytes;
  if (before === null || before === undefined || after === null || after === undefined) return '–';
  const percent = before > 0 ? ` (${after >= before ? '+' : ''}${(((after - before) / before) * 100).toFixed(1)}%)` : '';
  return `${formatDelta(after - before)}${percent}`;
}

export function renderRecordedComparison(pairs: RecordedPair[], gates: GateResult[], style: Style, labels: RecordedLabels): string {
  const columns: Column[] = [
    { header: 'MODE', align: 'left', maxWidth: 24 }, { header: 'PEAK BEFORE', align: 'right' },
    { header: 'PEAK AFTER', align: 'right' }, { header: 'CHANGE', align: 'right' },
    { header: 'BEFORE', align: 'left' }, { header: 'AFTER', align: 'left' },
  ];
  const rows = pairs.map((p) => [
    oneLine(p.mode), formatBytes(p.before?.peakTreeRssBytes), formatBytes(p.after?.peakTreeRssBytes),
    peakChange(p), verdictText(p.before), verdictText(p.after),
  ]);
  const paintVerdict = (mode: ModeResult | null, text: string): string => (mode && !mode.failure ? paintStatus(mode.verdict.status, style, text) : text);
  const table = formatTable(columns, rows, {
    header: style.dim,
    paint: (row, column, text) => {
      if (column === 4) return paintVerdict(pairs[row]!.before, text);
      if (column === 5) return paintVerdict(pairs[row]!.after, text);
      return text;
    },
  });
  const heading = `leakhunt compare: before ${truncate(oneLine(labels.before), 60)}, after ${truncate(oneLine(labels.after), 60)}`;
  const sections = [[style.bold(heading)], table, gateLines(gates, style)];
  return sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n') + '\n';
}
