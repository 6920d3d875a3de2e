// Plain-text pieces every human-facing output shares (terminal, Markdown): the verdict sentence,
// rates with their confidence interval, projections, counts. No colour here; callers style it.
import type { ModeResult, Verdict, VerdictStatus } from '../model.js';
import { formatBytes, formatDelta, formatDuration } from '../units.js';

export const STATUS_LABEL: Record<VerdictStatus, string> = {
  leak: 'LEAK',
  suspect: 'suspect',
  stable: 'stable',
  insufficient: 'insufficient',
};

/** 1400 → "1,400". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

const STEPS: Array<[number, string]> = [[1024 ** 4, 'TB'], [1024 ** 3, 'GB'], [1024 ** 2, 'MB'], [1024, 'KB']];

/** A confidence interval in one unit, e.g. "+0.98..+1.02 MB", so the bounds compare at a glance. */
export function formatRange(low: number, high: number): string {
  const largest = Math.max(Math.abs(low), Math.abs(high));
  const [divisor, unit] = STEPS.find(([size]) => largest >= size) ?? [1, 'B'];
  const digits = divisor === 1 ? 0 : 2;
  const signed = (value: number): string => {
    const text = (Math.abs(value) / divisor).toFixed(digits);
    if (Number(text) === 0) return text;
    return (value < 0 ? '-' : '+') + text;
  };
  return `${signed(low)}..${signed(high)} ${unit}`;
}

/** Said after a figure in time when leakhunt fed the tasks back to back (Verdict.dispatched). */
export const RUN_PACE = "at this run's pace";

/**
 * "+1.0 MB/task (95% CI +0.98..+1.02 MB/task), +3.2 GB/h", or per hour alone for a run without
 * tasks. When leakhunt fed the tasks back to back, per hour measures only how fast they were fed:
 * it is left out beside a rate per task, and labelled with the run's pace when it is all there is.
 */
export function formatRates(verdict: Verdict): string {
  const parts: string[] = [];
  if (verdict.bytesPerTask !== null) {
    const ci = verdict.bytesPerTaskCI ? ` (95% CI ${formatRange(...verdict.bytesPerTaskCI)}/task)` : '';
    parts.push(`${formatDelta(verdict.bytesPerTask)}/task${ci}`);
    if (verdict.bytesPerHour !== null && !verdict.dispatched) parts.push(`${formatDelta(verdict.bytesPerHour)}/h`);
  } else if (verdict.bytesPerHour !== null) {
    const ci = verdict.bytesPerHourCI ? ` (95% CI ${formatRange(...verdict.bytesPerHourCI)}/h)` : '';
    parts.push(`${formatDelta(verdict.bytesPerHour)}/h${ci}${verdict.dispatched ? ` ${RUN_PACE}` : ''}`);
  }
  return parts.join(', ');
}

/** "~9m28s" or "~9m28s–9m52s" or "~9m28s or later" (the slow bound never reaches it). */
function span(range: [number | null, number | null], format: (value: number) => string): string | null {
  const [fast, slow] = range;
  if (fast === null) return null;
  if (slow === null) return `~${format(fast)} or later`;
  const [a, b] = [format(fast), format(slow)];
  return a === b ? `~${a}` : `~${a}–${b}`;
}

/**
 * "reaches the 2.0 GB limit in ~1h10m (~1,400 tasks)", or null without a limit or a projection.
 * Tasks fed back to back: in tasks alone, or the time labelled with the run's pace.
 */
export function formatProjection(verdict: Verdict): string | null {
  if (!verdict.limit || !verdict.projection) return null;
  const source = verdict.limit.source === 'flag' ? '' : ' cgroup';
  const tasks = verdict.projection.tasksToLimit && span(verdict.projection.tasksToLimit, formatCount);
  const timeAtPace = verdict.projection.secondsToLimit && span(verdict.projection.secondsToLimit, (s) => formatDuration(s * 1000));
  const time = verdict.dispatched ? (tasks ? null : timeAtPace && `${timeAtPace} ${RUN_PACE}`) : timeAtPace;
  if (!time && !tasks) return null;
  const fastest = verdict.projection.tasksToLimit?.[0] ?? verdict.projection.secondsToLimit?.[0];
  if (fastest !== null && fastest !== undefined && fastest <= 0) return `is already past the ${formatBytes(verdict.limit.bytes)}${source} limit`;
  const when = time ? ` in ${time}${tasks ? ` (${tasks} tasks)` : ''}` : ` in ${tasks} tasks`;
  return `reaches the ${formatBytes(verdict.limit.bytes)}${source} limit${when}`;
}

/** The verdict without its status word: rates, projection, and why when it is not clear-cut. */
export function describeVerdict(verdict: Verdict): string {
  if (verdict.status === 'insufficient') return verdict.reason || 'too little data';
  // A stable verdict with a rising rate says why it is stable (within 1% of the memory held, or
  // not significant), or "stable +850 MB/h" would read as a contradiction.
  const rising = (verdict.bytesPerTask ?? verdict.bytesPerHour ?? 0) > 0;
  const explained = verdict.status === 'suspect' || (verdict.status === 'stable' && rising);
  const reason = explained && verdict.reason ? ` (${verdict.reason})` : '';
  const rates = formatRates(verdict);
  const projection = verdict.status === 'leak' || verdict.status === 'suspect' ? formatProjection(verdict) : null;
  const cut = verdict.incomplete ? ' [run cut short: covers what was recorded]' : '';
  return `${reason}${reason && rates ? ' ' : ''}${rates}${projection ? ` — ${projection}` : ''}${cut}`.trim();
}

/** "LEAK  +1.0 MB/task …" / "insufficient — too few samples": the verdict as one line. */
export function verdictSentence(verdict: Verdict): string {
  const label = STATUS_LABEL[verdict.status];
  const detail = describeVerdict(verdict);
  if (!detail) return label;
  return verdict.status === 'insufficient' ? `${label} — ${detail}` : `${label}  ${detail}`;
}

/** Time a mode pays per task over the baseline: "+120ms/task (+40%)", "–" for the baseline itself. */
export function formatOverhead(mode: ModeResult, inProcess: ModeResult | undefined): string {
  if (!inProcess || mode === inProcess || mode.msPerTask === null || !inProcess.msPerTask) return '–';
  const extra = mode.msPerTask - inProcess.msPerTask;
  const percent = Math.round((extra / inProcess.msPerTask) * 100);
  return `${extra >= 0 ? '+' : '-'}${formatDuration(Math.abs(extra))}/task (${percent >= 0 ? '+' : ''}${percent}%)`;
}

/** Worker-provided text made safe for one terminal or table line: control characters (escape
 * sequences, line breaks) become spaces, so a command line cannot move the cursor or recolour. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

/** Cut to width columns with an ellipsis (code points, not UTF-16 units). */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  return width <= 1 ? chars.slice(0, width).join('') : chars.slice(0, width - 1).join('') + '…';
}

/** ms per task, e.g. "300ms". */
export function formatMsPerTask(ms: number | null): string {
  return ms === null ? '–' : `${formatDuration(ms)}`;
}
