// The terminal view of `compare`: one chart with a coloured line per mode (memory held after each
// task), a legend, a table per mode, and what it all means in one sentence.
import type { GateResult, ModeResult, RunResult, SpareAdvice } from '../model.js';
import { formatBytes, formatDuration } from '../units.js';
import type { Style } from './color.js';
import { plotBytes } from './chart.js';
import { formatTable, type Column } from './table.js';
import { comparisonConclusion, recycleRecommendation } from '../format/conclusion.js';
import { instrumentNotes, paintStatus } from './summary.js';
import { formatCount, formatOverhead, formatRates, oneLine, truncate } from '../format/text.js';
import { baselineMode } from '../format/mode-roles.js';
import { treeAfterBytes } from '../series/metric.js';

export interface ComparisonOptions {
  /** The memory limit in force (--limit or the cgroup's), for the conclusion and recommendation. */
  limitBytes?: number | null;
  /** Warnings about the workload, e.g. what a fork-per-task run could not isolate. */
  hazards?: string[];
  width?: number;
}

/** Memory held by the workload after each task: the tree's RSS at the task's end boundary. */
export function heldAfterEachTask(mode: ModeResult): number[] {
  const held: number[] = [];
  for (const task of mode.tasks) {
    const after = treeAfterBytes(task);
    if (after !== null) held.push(after);
  }
  return held;
}

function chart(modes: ModeResult[], style: Style, width: number | undefined): string[] {
  const series = modes.map(heldAfterEachTask);
  const drawn = modes.map((_, i) => i).filter((i) => series[i]!.length > 0);
  if (drawn.length === 0) return [];
  const longest = Math.max(...drawn.map((i) => series[i]!.length));
  const plot = plotBytes(drawn.map((i) => series[i]!), {
    ...(width !== undefined ? { width } : {}),
    colors: drawn.map((i) => style.seriesColor(i)),
    caption: `task: 1 … ${formatCount(longest)}`,
  });
  const legend = modes.map((m, i) => style.series(i, `━━ ${truncate(oneLine(m.mode), 24)}`)).join('   ');
  const note = style.color ? '' : style.dim('  (lines in mode order; colour tells them apart)');
  return [style.bold('memory held after each task'), plot, legend + note];
}

function verdictCell(mode: ModeResult, style: Style): { plain: string; paint: (text: string) => string } {
  if (mode.failure) return { plain: `failed: ${truncate(oneLine(mode.failure), 30)}`, paint: style.red };
  const rates = formatRates({ ...mode.verdict, bytesPerHour: null, bytesPerTaskCI: null });
  return { plain: `${mode.verdict.status}${rates ? ` ${rates}` : ''}`, paint: (text) => paintStatus(mode.verdict.status, style, text) };
}

function modeTable(modes: ModeResult[], style: Style): string[] {
  const baseline = baselineMode(modes);
  const columns: Column[] = [
    { header: 'MODE', align: 'left', maxWidth: 24 }, { header: 'BASELINE', align: 'right' },
    { header: 'FINAL', align: 'right' }, { header: 'PEAK TREE RSS', align: 'right' },
    { header: 'VERDICT', align: 'left' }, { header: 'TIME/TASK', align: 'right' },
    { header: `OVERHEAD VS ${truncate(oneLine(baseline?.mode ?? 'in-process'), 24).toUpperCase()}`, align: 'right' },
  ];
  const verdicts = modes.map((m) => verdictCell(m, style));
  const rows = modes.map((m, i) => [
    oneLine(m.mode), formatBytes(m.baselineBytes), formatBytes(m.finalBytes), formatBytes(m.peakTreeRssBytes),
    verdicts[i]!.plain, m.msPerTask === null ? '–' : formatDuration(m.msPerTask), formatOverhead(m, baseline),
  ]);
  return formatTable(columns, rows, {
    header: style.dim,
    paint: (row, column, text) => {
      if (column === 0) return style.series(row, text);
      if (column === 4) return verdicts[row]!.paint(text);
      return text;
    },
  });
}

/**
 * What leakhunt itself spent per task (its CPU: sampling, dispatch, starting workers) and the warm
 * spares it kept: beside TIME/TASK, which is the worker's wall time per task under each mode.
 */
function ownShare(modes: ModeResult[], style: Style): string[] {
  const ms = (value: number): string => (value < 10 ? `${value.toFixed(1)}ms` : formatDuration(value));
  const cpu = modes.filter((m) => m.ownCpuMsPerTask !== undefined).map((m) => `${oneLine(m.mode)} ${ms(m.ownCpuMsPerTask!)}`);
  const spares = modes.filter((m) => m.spares !== undefined).map((m) => `${oneLine(m.mode)} ${m.spares}`);
  const lines: string[] = [];
  if (cpu.length > 0) lines.push(`leakhunt's own CPU per task (not in TIME/TASK): ${cpu.join(', ')}`);
  if (spares.length > 0) lines.push(`warm workers kept ahead: ${spares.join(', ')}`);
  for (const m of modes) if (m.spareAdvice) lines.push(spareAdviceLine(m.mode, m.spareAdvice, ms));
  return lines.map((line) => style.dim(line));
}

/** One line, from the run's own timings: another spare count would have been faster. */
function spareAdviceLine(mode: string, advice: SpareAdvice, ms: (value: number) => string): string {
  const instead = `${advice.better} kept ahead instead of ${advice.kept}`;
  return advice.reason === 'waited'
    ? `${oneLine(mode)}: tasks waited a median ${ms(advice.medianMs)} for a warm worker still starting; ${instead} would have started them sooner`
    : `${oneLine(mode)}: warm workers sat ready a median ${ms(advice.medianMs)}, more than a worker's turn (${ms(advice.cycleMs)}); ${instead} would have been ready in time, with one process fewer starting beside each task`;
}

export function gateLines(gates: GateResult[], style: Style): string[] {
  return gates.map((g) => `${g.passed ? style.green('pass') : style.bold(style.red('FAIL'))}  ${oneLine(g.gate)}: ${oneLine(g.message)}`);
}

/**
 * A mode whose tasks ran in child processes that were reused (a pool: BullMQ's sandbox, Celery
 * prefork) and grew: running tasks in a subprocess did not isolate them, which users often expect.
 */
function reuseNote(mode: ModeResult, style: Style): string[] {
  const reused = mode.reusedChild;
  if (!reused || (mode.verdict.status !== 'leak' && mode.verdict.status !== 'suspect')) return [];
  const grew = reused.growthBytes !== null && reused.growthBytes > 0 ? ` and grew ${formatBytes(reused.growthBytes)}` : '';
  const children = reused.children === 1 ? 'one child process' : `${formatCount(reused.children)} child processes`;
  return [style.yellow(`note: ${oneLine(mode.mode)} ran its tasks in ${children}, reused: pid ${reused.pid} ran ${formatCount(reused.tasks)} of them${grew}. `
    + 'Running tasks in a subprocess did not isolate them: a pool keeps its children for task after task, so the growth stays in the child.')];
}

export function renderComparison(result: RunResult, style: Style, options: ComparisonOptions = {}): string {
  const modes = result.modes ?? [];
  const tasks = Math.max(0, ...modes.map((m) => m.tasks.length));
  // Variants each have their own worker: what they share is the load.
  const load = modes.find((m) => m.load)?.load;
  const subject = load ? `--load ${load.command.join(' ')}` : result.command.join(' ');
  const heading = `leakhunt compare: ${truncate(oneLine(subject), 50)} — ${formatCount(tasks)} tasks × ${modes.length} modes`;
  const conclusion = comparisonConclusion(result, options.limitBytes);
  const recommendation = recycleRecommendation(result, options.limitBytes);
  const sections: string[][] = [
    [style.bold(heading)],
    chart(modes, style, options.width),
    modeTable(modes, style),
    ownShare(modes, style),
    [
      ...(conclusion ? [style.bold(conclusion)] : []),
      ...(recommendation ? [`recommendation: ${recommendation}`] : []),
    ],
    (options.hazards ?? []).map((h) => style.yellow(`note: ${oneLine(h)}`)),
    modes.flatMap((m) => reuseNote(m, style)),
    modes.flatMap((m) => instrumentNotes(m.instrument, style).map((line) => `${oneLine(m.mode)}: ${line}`)),
    gateLines(result.gates ?? [], style),
  ];
  return sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n') + '\n';
}
