// Reads a recorded run back: the JSON report, or the samples CSV (with its .tasks.csv sibling
// when there is one). The format is sniffed from the content, so a report renamed to .txt, or a
// CSV saved as .json, still reads.
import { readFileSync, statSync } from 'node:fs';
import type { Attribution, RunResult, TaskRecord, Verdict } from '../model.js';
import { cannotRead, UsageError } from '../errors.js';
import { parseReport } from '../report/json.js';
import { readSampleRows, readTaskRows } from '../report/csv-rows.js';
import { rebuildRun } from '../report/csv-rebuild.js';
import { taskCsvPath } from '../report/csv.js';

export interface LoadOptions {
  /** Judges a run rebuilt from CSV (a JSON report carries its verdict). Default: 'insufficient', 'not judged'. */
  judge?: (run: RunResult) => Verdict;
  /** Attributes growth to task types for a run rebuilt from CSV. Default: none. */
  attribute?: (tasks: TaskRecord[]) => Attribution[];
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT') return null;
    throw new UsageError(`${path}: ${cannotRead(error)}`);
  }
}

function readRequired(path: string): string {
  const text = readText(path);
  if (text === null) throw new UsageError(`${path}: cannot read (no such file)`);
  return text;
}

type Kind = 'json' | 'samples-csv' | 'tasks-csv' | 'unknown';

/** What the file holds, from its first characters. */
export function sniff(text: string): Kind {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{')) return 'json';
  const header = start.slice(0, start.search(/\r?\n|$/)).split(',').map((cell) => cell.trim());
  if (header.includes('elapsed_ms')) return 'samples-csv';
  if (header.includes('task') && header.includes('start_ms')) return 'tasks-csv';
  return 'unknown';
}

/**
 * A comparison's tasks were always fed back to back: a report written before verdicts carried
 * `dispatched`, or a comparison rebuilt from CSV, gets it, so time-based rates read as the run's pace.
 */
function withComparisonPace(run: RunResult): RunResult {
  if (!run.modes?.length) return run;
  for (const mode of run.modes) mode.verdict.dispatched ??= true;
  run.verdict.dispatched ??= true;
  return run;
}

/** The run recorded in path. Throws UsageError "<path>: <what is wrong>" for anything unreadable. */
export function loadRun(path: string, options: LoadOptions = {}): RunResult {
  return withComparisonPace(readRun(path, options));
}

function readRun(path: string, options: LoadOptions): RunResult {
  const text = readRequired(path);
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new UsageError(`${path}: empty file`);
  const kind = sniff(text);
  if (kind === 'json' || (kind === 'unknown' && /\.json$/i.test(path))) return parseReport(text, path).result;
  if (kind === 'unknown') {
    throw new UsageError(`${path}: not a leakhunt report (expected the JSON or CSV that leakhunt writes)`);
  }
  const endedAt = statSync(path).mtime;
  if (kind === 'tasks-csv') {
    const tasks = readTaskRows(text, path);
    return rebuildRun([], { ...options, tasks: tasks.rows, incomplete: !tasks.complete, endedAt });
  }
  const samples = readSampleRows(text, path);
  const siblingPath = taskCsvPath(path);
  const siblingText = siblingPath === path ? null : readText(siblingPath);
  const tasks = siblingText !== null && siblingText.trim() !== '' ? readTaskRows(siblingText, siblingPath).rows : null;
  return rebuildRun(samples.rows, { ...options, tasks, incomplete: !samples.complete, endedAt });
}
