// The terminal summary at the end of `watch` (and of `report`): processes, the tree RSS chart,
// per-task lines, attribution, what went wrong on the way, and the verdict last, where the eye
// lands when the command returns.
import { INSTRUMENTED_FRAMEWORKS, type InstrumentReport, type ProcessSummary, type RunResult, type Verdict, type VerdictStatus } from '../model.js';
import { formatBytes, formatDelta, formatDuration } from '../units.js';
import type { Style } from './color.js';
import { plotBytes } from './chart.js';
import { formatTable, type Column } from './table.js';
import { taskLines } from './task-lines.js';
import { STATUS_LABEL, describeVerdict, formatCount, oneLine, truncate } from '../format/text.js';
import { endedTaskCount, treeSeries } from '../series/rows.js';
import { describeLoadEnd, loadFailed } from '../format/load-end.js';
import { metricLabel, readingBytes, treeMetric } from '../series/metric.js';
import { explanationSentence } from '../format/explanation-words.js';
import { sharperSeriesAdvice } from '../format/sharper-series.js';

export interface SummaryOptions {
  /** Terminal width (default 80). */
  width?: number;
  /** One line per task type, from describeAttribution. */
  attributionLines?: string[];
  /** --allocations: where the leaking types keep memory (allocations.ts), already safe to print. */
  allocationLines?: string[];
}

/** Ten rows keep the table on screen; an isolated run can have a process per task. */
const MAX_PROCESS_ROWS = 10;

export function paintStatus(status: VerdictStatus, style: Style, text = STATUS_LABEL[status]): string {
  if (status === 'leak') return style.bold(style.red(text));
  if (status === 'suspect') return style.yellow(text);
  if (status === 'stable') return style.green(text);
  return style.dim(text);
}

/** "verdict: LEAK  +1.0 MB/task (95% CI …), +3.2 GB/h — reaches the 2.0 GB limit in ~1h10m (~1,400 tasks)". */
export function verdictLine(verdict: Verdict, style: Style): string {
  const detail = describeVerdict(verdict);
  const separator = verdict.status === 'insufficient' ? ' — ' : '  ';
  const why = explanationSentence(verdict);
  return `verdict: ${paintStatus(verdict.status, style)}${detail ? separator + detail : ''}${why ? `\n  ${why}` : ''}`;
}

function processTable(processes: ProcessSummary[], style: Style, width: number): string[] {
  const shown = processes.length <= MAX_PROCESS_ROWS
    ? processes
    : [...processes].sort((a, b) => (b.peakRssBytes ?? 0) - (a.peakRssBytes ?? 0)).slice(0, MAX_PROCESS_ROWS);
  const rows = shown.map((p) => [
    String(p.pid), oneLine(p.command) + (p.leftover ? ' (leftover)' : ''), formatBytes(p.firstRssBytes),
    formatBytes(p.lastRssBytes), formatBytes(p.peakRssBytes), formatBytes(p.lastVmsBytes), formatDelta(p.growthBytes),
  ]);
  // The command takes what the other columns (and their two-space gaps) leave of the width.
  const headers = ['PID', 'COMMAND', 'FIRST', 'LAST', 'PEAK RSS', 'VMS', 'GROWTH'];
  const others = headers.reduce((sum, header, i) => (i === 1 ? sum : sum + 2 + Math.max(header.length, ...rows.map((r) => r[i]!.length))), 0);
  const commandWidth = Math.max(12, Math.min(60, width - 1 - others));
  const columns: Column[] = [
    { header: 'PID', align: 'right' }, { header: 'COMMAND', align: 'left', maxWidth: commandWidth },
    { header: 'FIRST', align: 'right' }, { header: 'LAST', align: 'right' }, { header: 'PEAK RSS', align: 'right' },
    { header: 'VMS', align: 'right' }, { header: 'GROWTH', align: 'right' },
  ];
  const lines = formatTable(columns, rows, { header: style.dim });
  if (processes.length > shown.length) {
    lines.push(style.dim(`… ${formatCount(processes.length - shown.length)} more processes (the ${MAX_PROCESS_ROWS} with the highest peak shown)`));
  }
  return lines;
}

function treeChart(result: RunResult, style: Style, width: number): string[] {
  const metric = treeMetric(result.metric);
  const points = treeSeries(result.samples, (s) => readingBytes(s, metric));
  if (points.length < 2) return [];
  const first = points[0]!.elapsedMs;
  const last = points.at(-1)!.elapsedMs;
  const from = first === 0 ? '0s' : formatDuration(first);
  const chart = plotBytes([points.map((p) => p.treeRssBytes)], {
    width, colors: [style.seriesColor(2)], caption: `elapsed: ${from} … ${formatDuration(last)}`,
  });
  return chart ? [style.bold(`tree ${metricLabel(metric)} over time`), chart] : [];
}

/** Under the verdict, dim: how to sharpen an undecided one (sharper-series.ts). */
function adviceLines(result: RunResult, style: Style): string[] {
  return (sharperSeriesAdvice(result) ?? []).map((sentence) => style.dim(`  ${sentence}`));
}

/** Protocol trouble, processes left behind, tasks that never finished, how the worker ended. */
export function runNotes(result: RunResult, style: Style): string[] {
  const lines: string[] = [];
  const { malformed, oversized } = result.protocol;
  if (malformed > 0) lines.push(style.yellow(`protocol: ${formatCount(malformed)} malformed boundary line${malformed === 1 ? '' : 's'} ignored`));
  if (oversized > 0) lines.push(style.yellow(`protocol: ${formatCount(oversized)} boundary line${oversized === 1 ? '' : 's'} over 4096 bytes dropped`));
  for (const p of result.processes.filter((proc) => proc.leftover).slice(0, 5)) {
    lines.push(style.yellow(`leftover: pid ${p.pid} (${truncate(oneLine(p.command), 40)}) was still running after the worker exited; terminated`));
  }
  if (result.unfinished) {
    const inFlight = result.unfinished.inFlight === null ? '' : `task ${truncate(oneLine(result.unfinished.inFlight), 40)} was running when the worker exited`;
    const never = result.unfinished.neverRan > 0 ? `${formatCount(result.unfinished.neverRan)} tasks never ran` : '';
    const text = [inFlight, never].filter(Boolean).join('; ');
    if (text) lines.push(style.yellow(`unfinished: ${text}`));
  }
  lines.push(...instrumentNotes(result.instrument, style));
  const byAgent = result.protocol.heapByAgent ?? 0;
  if (byAgent > 0) lines.push(style.dim(`heap: after a full GC at ${formatCount(byAgent)} task ${byAgent === 1 ? 'end' : 'ends'}, read by leakhunt's Node heap agent (--no-node-heap: off)`));
  // Only processes the run holds no reading of: an exit after a reading (the root's, at the end) is ordinary.
  if (result.vanished > 0) lines.push(style.dim(`sampler: ${formatCount(result.vanished)} short-lived ${result.vanished === 1 ? 'process' : 'processes'} of the tree exited before a first reading (in no sample)`));
  if (result.processesOmitted) lines.push(style.dim(`processes: ${formatCount(result.processesOmitted)} short-lived ones not listed (past the cap); their samples are kept`));
  if (result.slowTicks > 0) {
    const samples = result.slowTicks === 1 ? 'sample' : 'samples';
    lines.push(style.dim(`sampler: ${formatCount(result.slowTicks)} ${samples} took longer than the ${formatDuration(result.intervalMs)} interval`));
  }
  if (result.load) lines.push(loadLine(result.load, style));
  const exit = result.exit;
  if (exit.startError) lines.push(style.red(`worker failed to start: ${oneLine(exit.startError)}`));
  else if (exit.signal) lines.push(style.yellow(`worker killed by ${exit.signal}`));
  else if (exit.code !== null && exit.code !== 0) lines.push(style.yellow(`worker exited with code ${exit.code}`));
  if (result.incomplete) lines.push(style.yellow('run cut short: this covers what was recorded'));
  return lines;
}

/** --instrument: what was hooked, what did not fit, or that no supported framework was imported. */
export function instrumentNotes(report: InstrumentReport | undefined, style: Style): string[] {
  if (!report) return [];
  const lines = report.hooked.map((h) => style.dim(`instrument: ${h.framework} ${h.version} hooked in ${formatCount(h.processes)} ${h.processes === 1 ? 'process' : 'processes'}`));
  for (const u of report.unfit) {
    lines.push(style.yellow(`instrument: ${u.framework} ${u.version} not instrumented: the hooks do not fit it (${oneLine(u.detail)})`));
  }
  if (report.hooked.length === 0 && report.unfit.length === 0) {
    lines.push(style.yellow(`instrument: the worker imported none of ${INSTRUMENTED_FRAMEWORKS.join(', ')}; no task boundaries came from --instrument`));
  }
  return lines;
}

/** "load: node fill.js 40 — exit code 0 after 3.2s" (red when it failed, dim when leakhunt ended it). */
function loadLine(load: NonNullable<RunResult['load']>, style: Style): string {
  const command = truncate(oneLine(load.command.join(' ')), 40);
  const ran = load.endMs === null ? '' : ` after ${formatDuration(load.endMs - load.startMs)}`;
  if (loadFailed(load)) return style.red(`load: ${command} failed — ${oneLine(describeLoadEnd(load))}`);
  if (load.stopped) return style.yellow(`load: ${command} was still running when the worker ended${ran}; stopped`);
  return `load: ${command} — exit code 0${ran}`;
}

export function renderSummary(result: RunResult, style: Style, options: SummaryOptions = {}): string {
  const width = options.width ?? 80;
  const finished = endedTaskCount(result.tasks);
  const heading = `leakhunt: ${truncate(oneLine(result.command.join(' ')), Math.max(20, width - 50))} — `
    + `${result.tasks.length ? `${formatCount(finished)} tasks in ` : ''}${formatDuration(result.durationMs)}, `
    + `sampled every ${formatDuration(result.intervalMs)}`;
  const sections: string[][] = [
    [style.bold(heading)],
    result.processes.length ? processTable(result.processes, style, width) : [],
    treeChart(result, style, width),
    result.tasks.length ? taskLines(result.tasks, style) : [],
    (options.attributionLines ?? []).map(oneLine),
    options.allocationLines ?? [],
    runNotes(result, style),
    [verdictLine(result.verdict, style), ...adviceLines(result, style)],
  ];
  return sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n') + '\n';
}
