// Small phrases the report repeats: a status badge, a rate with its interval, an exit status,
// a command line as a person would type it. Every returned string is already HTML-escaped.
import type { ExitStatus, Verdict, VerdictStatus } from '../model.js';
import { formatDelta, formatDuration } from '../units.js';
import { RUN_PACE } from '../format/text.js';
import { escapeHtml, truncate } from './html-escape.js';

const STATUS_WORDS: Record<VerdictStatus, string> = {
  leak: 'Leak',
  suspect: 'Suspect',
  stable: 'Stable',
  insufficient: 'Insufficient data',
};

export function badge(status: VerdictStatus, size: 'large' | 'small' = 'small'): string {
  const known = status in STATUS_WORDS ? status : 'insufficient';
  return `<span class="badge ${known} ${size}">${escapeHtml(STATUS_WORDS[known])}</span>`;
}

/** "+1.2 MB / task (CI +1.0 MB … +1.4 MB)". */
export function rateText(value: number | null, ci: [number, number] | null, unit: string): string {
  if (value === null) return `<span class="muted">no rate per ${escapeHtml(unit)}</span>`;
  const interval = ci ? ` <span class="ci">(CI ${escapeHtml(formatDelta(ci[0]))} … ${escapeHtml(formatDelta(ci[1]))})</span>` : '';
  return `<strong>${escapeHtml(formatDelta(value))}</strong> per ${escapeHtml(unit)}${interval}`;
}

/** A projection bound pair as a range; one null bound means that end of the interval never gets there. */
function boundRange(pair: [number | null, number | null] | null, format: (v: number) => string): string | null {
  if (!pair) return null;
  const known = pair.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (known.length === 0) return null;
  if (known.length === 1) return `${format(known[0]!)} or later`;
  return known[0] === known[1] ? format(known[0]!) : `${format(known[0]!)} – ${format(known[1]!)}`;
}

export function projectionText(verdict: Verdict, formatLimit: (bytes: number) => string): string {
  if (!verdict.limit) return '<span class="muted">No memory limit known</span> (set <code>--limit</code>, or run under a cgroup memory limit).';
  const limit = `${escapeHtml(formatLimit(verdict.limit.bytes))} <span class="muted">(${escapeHtml(verdict.limit.source)})</span>`;
  const tasks = boundRange(verdict.projection?.tasksToLimit ?? null, (n) => Math.round(n).toLocaleString('en-US'));
  // Tasks fed back to back: the time to the limit is this run's pace, not production's.
  const timeAtPace = boundRange(verdict.projection?.secondsToLimit ?? null, (s) => formatDuration(s * 1000));
  const time = verdict.dispatched ? (tasks ? null : timeAtPace && `${timeAtPace} ${RUN_PACE}`) : timeAtPace;
  if (!time && !tasks) return `Limit ${limit}: not reached at the measured rate.`;
  const parts = [time ? `in <strong>${escapeHtml(time)}</strong>` : '', tasks ? `after ${escapeHtml(tasks)} more tasks` : ''];
  return `Limit ${limit}: reached ${parts.filter(Boolean).join(', ')}.`;
}

export function exitText(exit: ExitStatus): string {
  if (exit.startError) return `failed to start: ${exit.startError}`;
  if (exit.signal) return `killed by ${exit.signal}`;
  if (exit.code !== null) return `exit code ${exit.code}`;
  return 'unknown';
}

/** argv as one line, quoting what a shell would split, for reading (never for running). */
export function commandLine(argv: readonly string[]): string {
  const quoted = argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`));
  return truncate(quoted.join(' '), 2000);
}

/** ISO time as "2024-05-01 12:00:00 UTC"; anything unparseable is shown as given. */
export function timestampText(iso: string): string {
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return iso;
  return new Date(time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export const countText = (n: number): string => n.toLocaleString('en-US');
