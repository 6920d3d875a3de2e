// The Markdown summary of `compare <before> <after>`: per mode, the two runs side by side, and
// the gates. Pure.
import type { GateResult } from '../model.js';
import { formatBytes } from '../units.js';
import { peakChange, verdictText, type RecordedPair } from '../format/recorded.js';
import { mdEscape, mdTable, mdText } from './md.js';

/** Pairs and gates are capped like every list in the Markdown summary (GitHub's 1 MiB cut). */
const MAX_ROWS = 50;

export function renderRecordedMarkdown(pairs: RecordedPair[], gates: GateResult[], beforeLabel: string, afterLabel: string): string {
  const failed = gates.filter((g) => !g.passed).length;
  const rows = pairs.slice(0, MAX_ROWS).map((p) => [
    mdText(p.mode), formatBytes(p.before?.peakTreeRssBytes), formatBytes(p.after?.peakTreeRssBytes),
    mdEscape(peakChange(p)), mdEscape(verdictText(p.before)), mdEscape(verdictText(p.after)),
  ]);
  const out = [
    `## leakhunt compare: ${failed > 0 ? `${failed} gate${failed === 1 ? '' : 's'} failed` : 'passed'}`, '',
    `Before: ${mdText(beforeLabel)} · After: ${mdText(afterLabel)}`, '',
    mdTable(['Mode', 'Peak before', 'Peak after', 'Change', 'Before', 'After'], [false, true, true, true, false, false], rows), '',
  ];
  if (gates.length) {
    const gateRows = gates.slice(0, MAX_ROWS).map((g) => [mdText(g.gate), g.passed ? 'pass' : '**FAIL**', mdText(g.message)]);
    out.push('### Gates', '', mdTable(['Gate', 'Result', 'Detail'], [false, false, false], gateRows), '');
  }
  return out.join('\n');
}
