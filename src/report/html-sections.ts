// The report's tables: tasks (bounded), growth by task type, processes, gates and run health.
import type { Attribution, GateResult, ProcessSummary, Rows, RunResult, TaskRecord } from '../model.js';
import { formatBytes, formatDelta, formatDuration } from '../units.js';
import { escapeHtml, truncate } from './html-escape.js';
import { countText } from './html-format.js';
import { renderTable, selectTasks, TASKS_SHOWN, type Cell, type Row } from './html-table.js';

/** Attribution and process tables past this many rows keep the largest and say how many were left out. */
const MAX_ROWS = 40;

const delta = (bytes: number | null): Cell =>
  bytes === null ? null : { html: `<span class="${bytes > 0 ? 'up' : bytes < 0 ? 'down' : ''}">${escapeHtml(formatDelta(bytes))}</span>` };

const okCell = (ok: boolean | null): Cell =>
  ok === null ? null : { html: ok ? '<span class="ok">ok</span>' : '<span class="fail">failed</span>' };

export function section(id: string, title: string, body: string, note = ''): string {
  const noteHtml = note ? `<p class="note">${escapeHtml(note)}</p>` : '';
  return `<section id="${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2>${noteHtml}${body}</section>`;
}

export function tasksTable(tasks: Rows<TaskRecord>): { table: string; note: string } {
  const selection = selectTasks(tasks);
  const rows: Row[] = selection.rows.map((row) => {
    if ('omitted' in row) return { note: `… ${countText(row.omitted)} ${row.omitted === 1 ? 'task' : 'tasks'} omitted …` };
    const { task } = row;
    const name: Cell = { html: `${escapeHtml(truncate(task.name, 60))}${row.largest ? ' <span class="tag">largest</span>' : ''}` };
    return [
      row.index + 1, truncate(task.task, 24), name, task.pid === null ? null : String(task.pid), okCell(task.ok),
      formatDuration(task.durationMs), formatBytes(task.rssBeforeBytes), formatBytes(task.rssAfterBytes),
      delta(task.deltaBytes), formatBytes(task.treeRssAfterBytes),
    ];
  });
  const columns = [
    { label: '#', numeric: true }, { label: 'Task' }, { label: 'Name' }, { label: 'PID', numeric: true }, { label: 'Result' },
    { label: 'Duration', numeric: true }, { label: 'RSS before', numeric: true }, { label: 'RSS after', numeric: true },
    { label: 'Δ RSS', numeric: true }, { label: 'Tree after', numeric: true },
  ];
  const { first, last, largest } = TASKS_SHOWN;
  const note = selection.omitted
    ? `Showing ${countText(tasks.length - selection.omitted)} of ${countText(tasks.length)} tasks: the first ${first}, the last ${last} and the ${largest} that grew most; ${countText(selection.omitted)} omitted. The CSV and JSON reports hold every task.`
    : '';
  return { table: renderTable(columns, rows, 'tasks'), note };
}

export function attributionTable(attribution: readonly Attribution[]): { table: string; note: string } {
  const ranked = [...attribution].sort((a, b) => b.retainedBytes - a.retainedBytes);
  const rows: Row[] = ranked.slice(0, MAX_ROWS).map((entry) => [
    truncate(entry.name, 60), { html: `<span class="kind ${escapeHtml(entry.kind)}">${escapeHtml(entry.kind)}</span>` },
    entry.runs, delta(entry.firstRunBytes), delta(entry.repeatBytesPerRun), delta(entry.retainedBytes),
  ]);
  const columns = [
    { label: 'Task type' }, { label: 'Kind' }, { label: 'Runs', numeric: true }, { label: 'First run', numeric: true },
    { label: 'Each repeat', numeric: true }, { label: 'Retained', numeric: true },
  ];
  const note = ranked.length > MAX_ROWS ? `The ${MAX_ROWS} task types that retained most; ${countText(ranked.length - MAX_ROWS)} omitted.` : '';
  return { table: renderTable(columns, rows, 'attribution'), note };
}

export function processesTable(processes: readonly ProcessSummary[]): { table: string; note: string } {
  const ranked = [...processes].sort((a, b) => (b.peakRssBytes ?? -1) - (a.peakRssBytes ?? -1));
  const rows: Row[] = ranked.slice(0, MAX_ROWS).map((p) => [
    String(p.pid), String(p.ppid), { html: `<code>${escapeHtml(truncate(p.command, 80))}</code>${p.leftover ? ' <span class="tag">left running</span>' : ''}` },
    `${formatDuration(p.firstMs)} – ${formatDuration(p.lastMs)}`, formatBytes(p.firstRssBytes), formatBytes(p.lastRssBytes),
    formatBytes(p.peakRssBytes), delta(p.growthBytes), p.samples,
  ]);
  const columns = [
    { label: 'PID', numeric: true }, { label: 'Parent', numeric: true }, { label: 'Command' }, { label: 'Seen' },
    { label: 'First RSS', numeric: true }, { label: 'Last RSS', numeric: true }, { label: 'Peak RSS', numeric: true },
    { label: 'Growth', numeric: true }, { label: 'Samples', numeric: true },
  ];
  const note = ranked.length > MAX_ROWS ? `The ${MAX_ROWS} processes with the highest peaks; ${countText(ranked.length - MAX_ROWS)} omitted.` : '';
  return { table: renderTable(columns, rows, 'processes'), note };
}

export function gatesTable(gates: readonly GateResult[]): string {
  const rows: Row[] = gates.map((gate) => [
    gate.gate, { html: gate.passed ? '<span class="ok">passed</span>' : '<span class="fail">failed</span>' }, gate.message,
  ]);
  return renderTable([{ label: 'Gate' }, { label: 'Result' }, { label: 'Detail' }], rows, 'gates');
}

/** Protocol and sampler counters: zero is the healthy value, and worth seeing. */
export function healthTable(result: RunResult): string {
  const rows: Row[] = [
    ['Malformed boundary lines', result.protocol.malformed, 'lines on the task channel that were not valid protocol messages'],
    ['Oversized boundary lines', result.protocol.oversized, 'lines over the 4096-byte cap, dropped'],
    ['Vanished processes', result.vanished, 'short-lived processes of the tree that exited before a first reading; counted, in no sample'],
    ['Slow samples', result.slowTicks, 'samples that took longer than the interval'],
  ];
  if (result.processesOmitted) {
    rows.push(['Processes not listed', result.processesOmitted, 'short-lived processes past the per-run cap of listed processes; their samples are kept']);
  }
  return renderTable([{ label: 'Counter' }, { label: 'Count', numeric: true }, { label: 'Meaning' }], rows, 'health');
}
