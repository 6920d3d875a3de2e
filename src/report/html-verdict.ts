// The top of the report: what a person needs in five seconds — the verdict with its rates and
// projection, then what ran, when, for how long and how it ended.
import type { RunResult, Sample, Verdict } from '../model.js';
import { formatBytes, formatDuration } from '../units.js';
import { RUN_PACE } from '../format/text.js';
import { escapeHtml } from './html-escape.js';
import { explanationSentence } from '../format/explanation-words.js';
import { badge, commandLine, countText, exitText, projectionText, rateText, timestampText } from './html-format.js';

export function incompleteBanner(result: RunResult): string {
  if (!result.incomplete) return '';
  const unfinished = result.unfinished;
  const details = [
    `The worker stopped before the run finished (${exitText(result.exit)}); the verdict covers only what was recorded.`,
    unfinished?.inFlight ? `Task ${unfinished.inFlight} was in flight.` : '',
    unfinished && unfinished.neverRan > 0 ? `${countText(unfinished.neverRan)} dispatched tasks never ran.` : '',
  ];
  return `<div class="banner" role="alert"><strong>Incomplete run.</strong> ${escapeHtml(details.filter(Boolean).join(' '))}</div>`;
}

function statisticText(verdict: Verdict): string {
  const parts: string[] = [];
  if (verdict.window) {
    const w = verdict.window;
    parts.push(w.unit === 'task' ? `tasks ${countText(w.from)}–${countText(w.to)}` : `${formatDuration(w.from)} – ${formatDuration(w.to)}`);
  }
  const s = verdict.statistic;
  if (s) {
    parts.push(`Mann-Kendall Z ${s.mannKendallZ.toFixed(2)}`, `p ${s.pValue < 1e-4 ? s.pValue.toExponential(1) : s.pValue.toFixed(4)}`);
    parts.push(`lag-1 autocorrelation ${s.lag1.toFixed(2)}`, `${s.blocks} blocks of ${s.blockSize}`);
  }
  return parts.join(' · ');
}

/** The rate per hour, unless leakhunt fed the tasks back to back: then time is only this run's pace. */
function hourText(verdict: Verdict): string {
  if (!verdict.dispatched || verdict.bytesPerHour === null) return rateText(verdict.bytesPerHour, verdict.bytesPerHourCI, 'hour');
  if (verdict.bytesPerTask !== null) return '<span class="muted">no rate per hour: leakhunt fed the tasks back to back, so time measures only this run</span>';
  return `${rateText(verdict.bytesPerHour, verdict.bytesPerHourCI, 'hour')} <span class="muted">${escapeHtml(RUN_PACE)}</span>`;
}

/** The verdict card; `heading` names the run or the mode it judges. */
export function verdictCard(verdict: Verdict, heading: string): string {
  const series = verdict.series ? ` <span class="muted">on ${escapeHtml(verdict.series)}</span>` : '';
  const stats = statisticText(verdict);
  const why = explanationSentence(verdict);
  return `<section class="verdict ${escapeHtml(verdict.status)}" aria-label="${escapeHtml(heading)}">
<div class="verdict-head">${badge(verdict.status, 'large')}<span class="reason">${escapeHtml(verdict.reason)}</span>${series}</div>
<ul class="rates">
<li>${rateText(verdict.bytesPerTask, verdict.bytesPerTaskCI, 'task')}</li>
<li>${hourText(verdict)}</li>
<li>${projectionText(verdict, formatBytes)}</li>
</ul>
${why ? `<p class="explanation">${escapeHtml(why)}</p>\n` : ''}${stats ? `<p class="stats">${escapeHtml(stats)}</p>` : ''}
</section>`;
}

export function runFacts(result: RunResult): string {
  const sampleSets = result.modes ? result.modes.map((mode) => mode.samples) : [result.samples];
  const snapshots = sampleSets.reduce((n, samples) => n + distinctSeqs(samples), 0);
  const facts: [string, string][] = [
    ['Started', timestampText(result.startedAt)],
    ['Duration', formatDuration(result.durationMs)],
    ['Exit', exitText(result.exit)],
    ['Tasks', countText(result.modes ? result.modes.reduce((n, m) => n + m.tasks.length, 0) : result.tasks.length)],
    ['Samples', `${countText(snapshots)} every ${formatDuration(result.intervalMs)}`],
    ['Metric', `${result.metric} · ${result.sampler} on ${result.platform}`],
  ];
  const items = facts.map(([term, value]) => `<div><dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd></div>`);
  return `<section class="facts" aria-label="Run">
<p class="command"><span class="prompt">$</span> <code>${escapeHtml(commandLine(result.command))}</code></p>
<dl>${items.join('')}</dl>
</section>`;
}

function distinctSeqs(samples: Iterable<Sample>): number {
  const seqs = new Set<number>();
  for (const sample of samples) seqs.add(sample.seq);
  return seqs.size;
}
