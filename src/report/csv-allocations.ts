// `<file>.allocations.csv` (--allocations): one row per site that keeps memory across a task
// type's repeats. Same cell rules as the other CSV files (csv.ts): a worker's file or function
// name can never start a spreadsheet formula.
import type { RunResult } from '../model.js';
import { userFrame } from '../detect/allocations.js';
import { CRLF, numberCell, textCell } from './csv.js';

export const ALLOCATION_COLUMNS = [
  'name', 'file', 'line', 'function', 'bytes_per_run', 'runs', 'user_file', 'user_line', 'user_function', 'stack',
] as const;

/** Frames in the stack cell, innermost first, separated by this (a newline would need quoting everywhere). */
const FRAME_SEPARATOR = ' < ';

export function allocationCsvPath(samplesPath: string): string {
  return samplesPath.replace(/\.csv$/i, '') + '.allocations.csv';
}

export function allocationCsv(result: RunResult): string {
  const rows = (result.allocations ?? []).map((site) => {
    const via = userFrame(site);
    const stack = site.stack.map((f) => `${f.file}:${f.line} ${f.function}`).join(FRAME_SEPARATOR);
    return [
      textCell(site.name), textCell(site.file), numberCell(site.line), textCell(site.function), numberCell(site.bytesPerRun),
      numberCell(site.runs), textCell(via?.file), numberCell(via?.line), textCell(via?.function), textCell(stack),
    ].join(',') + CRLF;
  });
  return ALLOCATION_COLUMNS.join(',') + CRLF + rows.join('');
}
