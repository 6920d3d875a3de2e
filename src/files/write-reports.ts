// Writes a run's reports to disk, each file whole or not at all (files/atomic.ts).
import type { RunResult } from '../model.js';
import { reportWriters, type ReportFormat } from '../report/index.js';
import { writeFileAtomic } from './atomic.js';

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
