// The terminal summary at the end of `watch` (and of `report`): processes, the tree RSS chart,
// per-task lines, attribution, what went wrong on the way, and the verdict last, where the eye
// lands when the command returns.
import type { ProcessSummary, RunResult, Verdict, VerdictStatus } from '../model.js';
import { formatBytes, formatDelta, formatDuration } from '../units.js';
import type { Style } from './color.js';
import { plotBytes } from './chart.js';
import { formatTable, type Column } from './table.js';
import { taskLines } from './task-lines.js';
import { STATUS_LABEL, describeVerdict, formatCount, oneLine, truncate } from './text.js';
import { endedTaskCount, treeSeries } from '../report/series.js';
import { explanationSentence } from '../report/explanation-words.js';

export interface SummaryOptions {
  /** Terminal width (default 80). */
  width?: number;
  /** One line per task type, from describeAttribution. */
  attributionLines?: string[];
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
  const points = treeSeries(result.samples);
  if (points.length < 2) return [];
  const first = points[0]!.elapsedMs;
  const last = points.at(-1)!.elapsedMs;
  const from = first === 0 ? '0s' : formatDuration(first);
  const chart = plotBytes([points.map((p) => p.treeRssBytes)], {
    width, colors: [style.seriesColor(2)], caption: `elapsed: ${from} … ${formatDuration(last)}`,
  });
  return chart ? [style.bold('tree RSS over time'), chart] : [];
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
  if (result.vanished > 0) lines.push(style.dim(`sampler: ${formatCount(result.vanished)} ${result.vanished === 1 ? 'process' : 'processes'} exited between listing and reading (skipped)`));
  if (result.processesOmitted) lines.push(style.dim(`processes: ${formatCount(result.processesOmitted)} short-lived ones not listed (past the cap); their samples are kept`));
  if (result.slowTicks > 0) {
    const samples = result.slowTicks === 1 ? 'sample' : 'samples';
    lines.push(style.dim(`sampler: ${formatCount(result.slowTicks)} ${samples} took longer than the ${formatDuration(result.intervalMs)} interval`));
  }
  const exit = result.exit;
  if (exit.startError) lines.push(style.red(`worker failed to start: ${oneLine(exit.startError)}`));
  else if (exit.signal) lines.push(style.yellow(`worker killed by ${exit.signal}`));
  else if (exit.code !== null && exit.code !== 0) lines.push(style.yellow(`worker exited with code ${exit.code}`));
  if (result.incomplete) lines.push(style.yellow('run cut short: this covers what was recorded'));
  return lines;
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
    runNotes(result, style),
    [verdictLine(result.verdict, style)],
  ];
  return sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n') + '\n';
}
