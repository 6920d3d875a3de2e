// CSV writers (RFC 4180): one row per process per sample, and one row per task.
//
// Per-task rows ship in a file of their own next to the samples: `--csv out.csv` also writes
// `out.tasks.csv` (see taskCsvPath). One table per file keeps every file a plain rectangle that any
// spreadsheet or csv parser reads without knowing our layout, and the samples file alone still
// carries the task boundaries (its task-start / task-end event rows), so a run can be rebuilt from
// it when the tasks file is missing.
//
// Safety rules for text cells (OWASP "CSV injection"):
// - A cell starting with = + - @, tab, CR or LF gets a leading ' so no spreadsheet reads it as a
//   formula. A cell starting with ' gets one too, so the prefix is always reversible: a reader strips
//   exactly one leading ' from any prefixed cell (decodeTextCell in csv-parse.ts).
// - NUL characters are removed: spreadsheets and C-based tools cut a cell at NUL, and no command
//   line or task name needs one.
// Numeric columns are written as plain numbers (a negative delta stays -1234), null as an empty cell.
import type { ModeResult, Sample, TaskRecord, RunResult } from '../model.js';
import { batched } from './chunks.js';

export const CRLF = '\r\n';

export const SAMPLE_COLUMNS = [
  'elapsed_ms', 'seq', 'event', 'pid', 'ppid', 'start_time', 'command', 'rss_bytes', 'vms_bytes',
  'peak_rss_bytes', 'fds', 'threads', 'pss_bytes', 'uss_bytes', 'task', 'name', 'mode',
] as const;

export const TASK_COLUMNS = [
  'task', 'name', 'mode', 'pid', 'start_ms', 'end_ms', 'duration_ms', 'ok', 'rss_before_bytes',
  'rss_after_bytes', 'delta_bytes', 'tree_rss_before_bytes', 'tree_rss_after_bytes', 'tree_delta_bytes',
] as const;

const FORMULA_START = /^[=+\-@\t\r\n']/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell, safe to open in a spreadsheet. */
export function textCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = value.replaceAll('\0', '');
  if (FORMULA_START.test(text)) return `"'${text.replaceAll('"', '""')}"`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A numeric cell: the number as JavaScript prints it, empty when missing or not finite.
 * JSON.stringify prints a finite number exactly as String() does, but does not go through V8's
 * number-to-string cache: cached strings of ever-new RSS figures were promoted to the old
 * generation and evicted there, garbage that piled up until a full GC on every live CSV.
 */
export function numberCell(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : JSON.stringify(value);
}

function booleanCell(value: boolean | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/** The samples header line, CRLF included. */
export function sampleHeader(): string {
  return SAMPLE_COLUMNS.join(',') + CRLF;
}

/** One sample row, CRLF included, so a live writer can append rows as they come. */
export function sampleRow(s: Sample): string {
  return [
    numberCell(s.elapsedMs), numberCell(s.seq), textCell(s.event), numberCell(s.pid), numberCell(s.ppid),
    numberCell(s.startTime), textCell(s.command), numberCell(s.rssBytes), numberCell(s.vmsBytes),
    numberCell(s.peakRssBytes), numberCell(s.fds), numberCell(s.threads), numberCell(s.pssBytes),
    numberCell(s.ussBytes), textCell(s.task), textCell(s.name), textCell(s.mode),
  ].join(',') + CRLF;
}

/**
 * The `exit` row of a run whose tree was already gone at its last sample: no process cells, only
 * the time, sequence and mode. It marks the end, so a reader can tell a whole file from one cut
 * short by a kill of leakhunt.
 */
export function exitMarkerRow(elapsedMs: number, seq: number, mode?: string): string {
  const cells = SAMPLE_COLUMNS.map(() => '');
  cells[SAMPLE_COLUMNS.indexOf('elapsed_ms')] = numberCell(elapsedMs);
  cells[SAMPLE_COLUMNS.indexOf('seq')] = numberCell(seq);
  cells[SAMPLE_COLUMNS.indexOf('event')] = textCell('exit');
  cells[SAMPLE_COLUMNS.indexOf('mode')] = textCell(mode);
  return cells.join(',') + CRLF;
}

/** The per-task header line, CRLF included. */
export function taskHeader(): string {
  return TASK_COLUMNS.join(',') + CRLF;
}

/** One task row, CRLF included. */
export function taskRow(t: TaskRecord): string {
  return [
    textCell(t.task), textCell(t.name), textCell(t.mode), numberCell(t.pid), numberCell(t.startMs),
    numberCell(t.endMs), numberCell(t.durationMs), booleanCell(t.ok), numberCell(t.rssBeforeBytes),
    numberCell(t.rssAfterBytes), numberCell(t.deltaBytes), numberCell(t.treeRssBeforeBytes),
    numberCell(t.treeRssAfterBytes), numberCell(t.treeDeltaBytes),
  ].join(',') + CRLF;
}

/**
 * One table of a run as CSV lines: its header, then its rows, every mode's (each row tagged with
 * its mode) for a comparison.
 */
function* csvLines<T extends { mode?: string }>(result: RunResult, header: string, table: (run: RunResult | ModeResult) => Iterable<T>, line: (row: T) => string): Generator<string> {
  yield header;
  if (!result.modes) {
    for (const row of table(result)) yield line(row);
    return;
  }
  for (const mode of result.modes) for (const row of table(mode)) yield line({ ...row, mode: mode.mode });
}

/** The whole samples table of a run (every mode's rows for a comparison), in chunks of rows. */
export function csvReportChunks(result: RunResult): Generator<string> {
  return batched(csvLines<Sample>(result, sampleHeader(), (run) => run.samples, sampleRow));
}

/** The whole samples table of a run as one string. */
export function writeCsvReport(result: RunResult): string {
  return [...csvReportChunks(result)].join('');
}

/** The whole per-task table of a run (every mode's tasks for a comparison), in chunks of rows. */
export function taskCsvChunks(result: RunResult): Generator<string> {
  return batched(csvLines<TaskRecord>(result, taskHeader(), (run) => run.tasks, taskRow));
}

/** The whole per-task table of a run as one string. */
export function writeTaskCsv(result: RunResult): string {
  return [...taskCsvChunks(result)].join('');
}

/** Where the per-task rows go for a samples file: out.csv → out.tasks.csv, out → out.tasks.csv. */
export function taskCsvPath(samplesPath: string): string {
  return samplesPath.replace(/\.csv$/i, '') + '.tasks.csv';
}
