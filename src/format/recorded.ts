// Two recorded runs of one mode side by side, in words: the verdict with its rate, and how the
// peak moved. Pure: shared by the terminal view and the Markdown summary of `compare <before> <after>`.
import type { ModeResult } from '../model.js';
import { formatDelta } from '../units.js';
import { formatRates } from './text.js';

/** One mode as recorded in each run; null where a run lacks the mode. */
export interface RecordedPair {
  mode: string;
  before: ModeResult | null;
  after: ModeResult | null;
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
