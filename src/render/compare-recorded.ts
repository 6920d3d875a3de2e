// The terminal view of `compare <before> <after>`: two recorded runs side by side, per mode.
import type { GateResult, ModeResult } from '../model.js';
import { formatBytes, formatDelta } from '../units.js';
import { peakChange, verdictText, type RecordedPair } from '../format/recorded.js';
import type { Style } from './color.js';
import { formatTable, type Column } from './table.js';
import { gateLines } from './compare.js';
import { paintStatus } from './summary.js';
import { oneLine, truncate } from '../format/text.js';

export interface RecordedLabels {
  before: string;
  after: string;
}

/** Per task type: first-run and per-repeat growth, before → after (the types that moved most first). */
export function typeLines(pairs: RecordedPair[], limit = 8): string[] {
  const lines: string[] = [];
  for (const pair of pairs) {
    const before = pair.before?.attribution ?? [];
    const after = pair.after?.attribution ?? [];
    const names = [...new Set([...before.map((a) => a.name), ...after.map((a) => a.name)])];
    const moved = names
      .map((name) => ({ name, b: before.find((a) => a.name === name), a: after.find((a) => a.name === name) }))
      .sort((x, y) => Math.abs((y.a?.retainedBytes ?? 0) - (y.b?.retainedBytes ?? 0)) - Math.abs((x.a?.retainedBytes ?? 0) - (x.b?.retainedBytes ?? 0)));
    if (moved.length === 0) continue;
    lines.push(`${oneLine(pair.mode)} — per task type (first run; per repeat run):`);
    const perRun = (x: { repeatBytesPerRun: number | null } | undefined) => (x?.repeatBytesPerRun == null ? '–' : `${formatDelta(x.repeatBytesPerRun)}/run`);
    for (const { name, b, a } of moved.slice(0, limit)) {
      lines.push(`  ${truncate(oneLine(name), 30)}: ${formatDelta(b?.firstRunBytes)} → ${formatDelta(a?.firstRunBytes)}; ${perRun(b)} → ${perRun(a)}`);
    }
    if (moved.length > limit) lines.push(`  … ${moved.length - limit} more types`);
  }
  return lines;
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
  const sections = [[style.bold(heading)], table, typeLines(pairs), gateLines(gates, style)];
  return sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n') + '\n';
}
