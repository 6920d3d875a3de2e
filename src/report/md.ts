// The Markdown summary for CI (--md, $GITHUB_STEP_SUMMARY). Pure.
//
// GitHub cuts a step summary at 1 MiB, so every list is capped whatever the run length: 20
// processes, 15 tasks, 20 task types, 50 gates; worker-provided strings are cut to 100 characters.
import type { ModeResult, ProcessSummary, Rows, RunResult, TaskRecord } from '../model.js';
import { baselineMode } from '../format/mode-roles.js';
import { formatBytes, formatDelta, formatDuration } from '../units.js';
import { explanationSentence } from '../format/explanation-words.js';
import { sharperSeriesAdvice } from '../format/sharper-series.js';
import { STATUS_LABEL, formatCount, formatOverhead, formatRates, oneLine, truncate, verdictSentence } from '../format/text.js';
import { selectTasks, taskDelta } from '../format/select.js';
import { comparisonConclusion, recycleRecommendation } from '../format/conclusion.js';
import { endedTaskCount } from '../series/rows.js';
import { allocationMarkdown } from './md-allocations.js';

const MAX_PROCESSES = 20;
const MAX_TYPES = 20;
const MAX_GATES = 50;
const MAX_TEXT = 100;

/** Text as inert Markdown: no tables broken, no HTML, no links, no emphasis, one line. */
export function mdEscape(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]|]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Worker-provided text (commands, task names), also cut short. */
export function mdText(text: string): string {
  return mdEscape(truncate(text, MAX_TEXT));
}

/** A table: header, alignment row (numbers right-aligned), rows; every row has the header's cell count. */
export function mdTable(header: string[], numeric: boolean[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const align = numeric.map((right) => (right ? '---:' : '---'));
  return [line(header), line(align), ...rows.map((row) => line(header.map((_, i) => row[i] ?? '')))].join('\n');
}

function processTable(processes: ProcessSummary[]): string {
  const shown = processes.length <= MAX_PROCESSES
    ? processes
    : [...processes].sort((a, b) => (b.peakRssBytes ?? 0) - (a.peakRssBytes ?? 0)).slice(0, MAX_PROCESSES);
  const rows = shown.map((p) => [
    String(p.pid), mdText(p.command) + (p.leftover ? ' (leftover)' : ''), formatBytes(p.firstRssBytes),
    formatBytes(p.lastRssBytes), formatBytes(p.peakRssBytes), formatBytes(p.lastVmsBytes), formatDelta(p.growthBytes),
  ]);
  const table = mdTable(['PID', 'Command', 'First RSS', 'Last RSS', 'Peak RSS', 'VMS', 'Growth'], [true, false, true, true, true, true, true], rows);
  const more = processes.length - shown.length;
  return more > 0 ? `${table}\n\n… ${formatCount(more)} more processes (the ${MAX_PROCESSES} with the highest peak are shown)` : table;
}

function taskTable(tasks: Rows<TaskRecord>): string {
  const { shown, hidden } = selectTasks(tasks);
  const rows = shown.map(({ task, largest }) => [
    mdText(task.task) + (largest ? ' ▲' : ''), mdText(task.name), task.pid === null ? '–' : String(task.pid),
    task.endMs === null ? 'unfinished' : formatDuration(task.durationMs), formatBytes(task.rssBeforeBytes),
    formatBytes(task.rssAfterBytes), formatDelta(taskDelta(task)), formatDelta(task.treeDeltaBytes),
  ]);
  const table = mdTable(
    ['Task', 'Name', 'PID', 'Duration', 'RSS before', 'RSS after', 'Δ RSS', 'Δ tree RSS'],
    [false, false, true, true, true, true, true, true], rows,
  );
  const note = hidden > 0 ? `\n\n… ${formatCount(hidden)} more tasks (shown: the first 5, the last 5, and ▲ the 5 largest deltas)` : '';
  return table + note;
}

function attributionLines(result: RunResult): string[] {
  const types = [...result.attribution].sort((a, b) => b.retainedBytes - a.retainedBytes);
  const lines = types.slice(0, MAX_TYPES).map((a) => {
    const repeat = a.repeatBytesPerRun === null ? '' : `, then ${formatDelta(a.repeatBytesPerRun)} per run`;
    return `- **${mdText(a.name)}**: ${formatCount(a.runs)} runs, first run ${formatDelta(a.firstRunBytes)}${repeat}, ${formatDelta(a.retainedBytes)} kept in all (${a.kind})`;
  });
  if (types.length > MAX_TYPES) lines.push(`- … ${formatCount(types.length - MAX_TYPES)} more task types`);
  return lines;
}

function notes(result: RunResult): string[] {
  const lines: string[] = [];
  const { malformed, oversized } = result.protocol;
  if (malformed > 0 || oversized > 0) lines.push(`- protocol: ${formatCount(malformed)} malformed and ${formatCount(oversized)} oversized boundary lines dropped`);
  const byAgent = result.protocol.heapByAgent ?? 0;
  if (byAgent > 0) lines.push(`- heap: after a full GC at ${formatCount(byAgent)} task ends, read by leakhunt's Node heap agent`);
  if (result.unfinished) {
    const inFlight = result.unfinished.inFlight === null ? '' : `task ${mdText(result.unfinished.inFlight)} was running; `;
    lines.push(`- unfinished: ${inFlight}${formatCount(result.unfinished.neverRan)} tasks never ran`);
  }
  const leftovers = result.processes.filter((p) => p.leftover).length;
  if (leftovers > 0) lines.push(`- ${formatCount(leftovers)} processes were still running when the worker exited, and were terminated`);
  if (result.processesOmitted) lines.push(`- ${formatCount(result.processesOmitted)} short-lived processes are not listed (past the cap); their samples are kept`);
  if (result.slowTicks > 0) lines.push(`- ${formatCount(result.slowTicks)} samples took longer than the ${formatDuration(result.intervalMs)} interval`);
  if (result.incomplete) lines.push('- the run was cut short: everything here covers what was recorded');
  return lines;
}

function modeRow(mode: ModeResult, inProcess: ModeResult | undefined): string[] {
  return [
    mdText(mode.mode), formatBytes(mode.baselineBytes), formatBytes(mode.finalBytes), formatBytes(mode.peakTreeRssBytes),
    mode.failure ? `failed: ${mdText(mode.failure)}` : STATUS_LABEL[mode.verdict.status], formatRates(mode.verdict) || '–',
    mode.msPerTask === null ? '–' : formatDuration(mode.msPerTask), formatOverhead(mode, inProcess),
  ];
}

function comparison(result: RunResult): string[] {
  const modes = result.modes ?? [];
  const baseline = baselineMode(modes);
  const table = mdTable(
    ['Mode', 'Baseline', 'Final', 'Peak tree RSS', 'Verdict', 'Growth', 'Time per task', `Overhead vs ${mdText(baseline?.mode ?? 'in-process')}`],
    [false, true, true, true, false, false, true, true], modes.map((m) => modeRow(m, baseline)),
  );
  const conclusion = comparisonConclusion(result);
  const recommendation = recycleRecommendation(result);
  return [
    '### Comparison', '', 'Memory held after the first task (baseline) and after the last (final).', '', table, '',
    ...(conclusion ? [`**${mdEscape(conclusion)}**`, ''] : []),
    ...(recommendation ? [`Recommendation: ${mdEscape(recommendation)}`, ''] : []),
  ];
}

function runLine(result: RunResult): string {
  const finished = endedTaskCount(result.tasks);
  const exit = result.exit.startError ? `failed to start: ${mdText(result.exit.startError)}`
    : result.exit.signal ? `killed by ${mdText(result.exit.signal)}`
    : result.exit.code === null ? 'exit unknown' : `exit code ${result.exit.code}`;
  const modes = result.modes?.length ?? 0;
  const perMode = Math.max(0, ...(result.modes ?? []).map((m) => m.tasks.length));
  const tasks = modes ? `${formatCount(perMode)} tasks × ${modes} modes` : `${formatCount(finished)} tasks`;
  return [
    `Command: ${mdText(result.command.join(' ')) || '–'}`, tasks, formatDuration(result.durationMs),
    `sampled every ${formatDuration(result.intervalMs)} (${result.metric}${result.sampler ? `, ${mdText(result.sampler)}` : ''})`, exit,
  ].join(' · ');
}

export function renderMarkdown(result: RunResult): string {
  const out: string[] = [`## leakhunt: ${STATUS_LABEL[result.verdict.status]}`, ''];
  out.push(`**Verdict: ${mdEscape(verdictSentence(result.verdict))}**`, '');
  const why = explanationSentence(result.verdict);
  if (why) out.push(`Why: ${mdEscape(why)}`, '');
  const advice = sharperSeriesAdvice(result);
  if (advice) out.push(`Next: ${mdEscape(advice.join(' '))}`, '');
  out.push(runLine(result), '');
  if (result.modes?.length) out.push(...comparison(result));
  if (result.processes.length) out.push('### Processes', '', processTable(result.processes), '');
  if (result.tasks.length && !result.modes?.length) out.push(`### Tasks (${formatCount(result.tasks.length)})`, '', taskTable(result.tasks), '');
  const types = attributionLines(result);
  if (types.length) out.push('### Growth by task type', '', ...types, '');
  const sites = allocationMarkdown(result, mdText, mdEscape);
  if (sites.length) out.push('### Where it grows (allocation sites)', '', ...sites, '');
  const extra = notes(result);
  if (extra.length) out.push('### Notes', '', ...extra, '');
  if (result.gates?.length) {
    const rows = result.gates.slice(0, MAX_GATES).map((g) => [mdText(g.gate), g.passed ? 'pass' : '**FAIL**', mdText(g.message)]);
    out.push('### Gates', '', mdTable(['Gate', 'Result', 'Detail'], [false, false, false], rows), '');
  }
  return out.join('\n');
}
