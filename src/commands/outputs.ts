// The files a run writes: the sample CSV streams while the worker runs; everything else is
// written once at the end, each file whole or not at all (temp file, then rename).
import { appendFileSync } from 'node:fs';
import type { RunResult } from '../model.js';
import type { SampleSink } from '../runner/recorder.js';
import { openCsvStream, writeFileAtomic } from '../files/atomic.js';
import { exitMarkerRow, sampleHeader, sampleRow, taskCsvChunks, taskCsvPath } from '../report/csv.js';
import { jsonChunks } from '../report/json.js';
import { allocationCsv, allocationCsvPath } from '../report/csv-allocations.js';
import { renderMarkdown } from '../report/md.js';
import type { OutputOptions } from './options.js';

export interface LiveOutputs {
  sink: SampleSink | undefined;
  closeSamples(): void;
}

export function openLiveOutputs(out: Pick<OutputOptions, 'csv'>): LiveOutputs {
  if (!out.csv) return { sink: undefined, closeSamples() {} };
  const stream = openCsvStream(out.csv);
  stream.write(sampleHeader());
  return {
    // One write per tick: a SIGKILL of leakhunt loses at most the tick being written.
    sink: (rows, sample) => {
      if (rows.length > 0) stream.write(rows.map(sampleRow).join(''));
      else if (sample.event === 'exit') stream.write(exitMarkerRow(sample.elapsedMs, sample.seq, sample.mode));
    },
    closeSamples: () => stream.close(),
  };
}

/** GitHub's step summary is capped at 1 MiB per step; stay well inside it. */
const STEP_SUMMARY_LIMIT = 1024 * 1024;

export async function writeFinalOutputs(result: RunResult, out: OutputOptions): Promise<void> {
  if (out.csv) writeFileAtomic(taskCsvPath(out.csv), taskCsvChunks(result));
  if (out.csv && result.allocations) writeFileAtomic(allocationCsvPath(out.csv), allocationCsv(result));
  if (out.json) writeFileAtomic(out.json, jsonChunks(result));
  if (out.html) {
    const { renderHtml } = await import('../report/html.js');
    writeFileAtomic(out.html, renderHtml(result));
  }
  const wantsSummary = Boolean(out.md || process.env.GITHUB_STEP_SUMMARY);
  if (wantsSummary) {
    const markdown = renderMarkdown(result);
    if (out.md) writeFileAtomic(out.md, markdown);
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (summaryFile && Buffer.byteLength(markdown) < STEP_SUMMARY_LIMIT) appendFileSync(summaryFile, `${markdown}\n`);
  }
}
