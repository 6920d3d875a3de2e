// The report writers, one per format, in a typed map: each turns a RunResult into the files it
// writes. The HTML writer is loaded only when asked for (it is the largest module).
import type { RunResult } from '../model.js';
import { csvReportChunks, taskCsvChunks, taskCsvPath } from './csv.js';
import { jsonChunks } from './json.js';
import { renderMarkdown } from './md.js';
import { allocationCsv, allocationCsvPath } from './csv-allocations.js';
import { writeFileAtomic, type FileData } from './atomic.js';

export type ReportFormat = 'json' | 'csv' | 'md' | 'html';

export interface OutputFile {
  path: string;
  /** The text, whole or as a streamed writer's chunks (read once, when written). */
  data: FileData;
}

/** Builds the files of one format for a target path (CSV writes the per-task file beside it). */
export type ReportWriter = (result: RunResult, path: string) => Promise<OutputFile[]>;

export const reportWriters = {
  json: async (result, path) => [{ path, data: jsonChunks(result) }],
  csv: async (result, path) => [
    { path, data: csvReportChunks(result) },
    { path: taskCsvPath(path), data: taskCsvChunks(result) },
    ...(result.allocations ? [{ path: allocationCsvPath(path), data: allocationCsv(result) }] : []),
  ],
  md: async (result, path) => [{ path, data: renderMarkdown(result) }],
  html: async (result, path) => {
    const { renderHtml } = await import('./html.js');
    return [{ path, data: renderHtml(result) }];
  },
} satisfies Record<ReportFormat, ReportWriter>;

/** Writes every requested format, each file whole or not at all. Returns the paths written. */
export async function writeReports(result: RunResult, targets: Partial<Record<ReportFormat, string>>): Promise<string[]> {
  const written: string[] = [];
  for (const format of Object.keys(reportWriters) as ReportFormat[]) {
    const target = targets[format];
    if (!target) continue;
    for (const file of await reportWriters[format](result, target)) {
      writeFileAtomic(file.path, file.data);
      written.push(file.path);
    }
  }
  return written;
}
