// The report writers, one per format, in a typed map: each turns a RunResult into the files it
// writes (files/write-reports.ts puts them on disk). The HTML writer is loaded only when asked
// for (it is the largest module).
import type { RunResult } from '../model.js';
import { csvReportChunks, taskCsvChunks, taskCsvPath } from './csv.js';
import { jsonChunks } from './json.js';
import { renderMarkdown } from './md.js';
import { allocationCsv, allocationCsvPath } from './csv-allocations.js';
import type { FileData } from './chunks.js';

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
