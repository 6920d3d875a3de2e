// One report writer, alone in its own process so its peak RSS (VmHWM) is its own:
//   node --expose-gc dist/bench/writers/child.js <csv-stream|csv-report|json|html> <out path> <samples>
// Prints one JSON line: how long writing took, the resident memory before it (the run's data
// already built, its sample rows spilled to disk as a recording keeps them) and the peak after
// it, and the bytes written.
import { statSync, writeFileSync } from 'node:fs';
import { openCsvStream, writeFileAtomic } from '../../src/files/atomic.js';
import { sampleHeader, sampleRow } from '../../src/report/csv.js';
import { reportWriters } from '../../src/report/index.js';
import { jsonChunks } from '../../src/report/json.js';
import { renderHtml } from '../../src/report/html.js';
import { statusBytes } from '../lib/proc.js';
import { PROCESSES, syntheticRun, tickSamples } from './synthetic-run.js';

export interface WriterFigures {
  writeMs: number;
  /** VmRSS once the input is built, before the writer starts. */
  rssBeforeBytes: number;
  /** VmHWM at the end: the peak while writing (reset once the input was built). */
  peakBytes: number;
  fileBytes: number;
}

const [format, out, samplesArg] = process.argv.slice(2);
const samples = Number(samplesArg);
if (!format || !out || !(samples > 0)) throw new Error('usage: child.js <csv-stream|csv-report|json|html> <out path> <samples>');

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const run = format === 'csv-stream' ? null : syntheticRun(Math.ceil(samples / PROCESSES));
gc();
// Reset the peak (VmHWM) to the current RSS (Linux 4.0+), so building the input does not count.
writeFileSync('/proc/self/clear_refs', '5');
const rssBeforeBytes = statusBytes('self', 'VmRSS')!;
const start = performance.now();
let files = [out];
if (format === 'csv-stream') {
  const stream = openCsvStream(out);
  stream.write(sampleHeader());
  let seed = 1;
  const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  // The live CSV, one write per tick as watch does.
  for (let k = 0; k < samples / PROCESSES; k++) stream.write(tickSamples(k, random).map(sampleRow).join(''));
  stream.close();
} else if (format === 'csv-report') {
  const outputs = await reportWriters.csv(run!, out);
  for (const file of outputs) writeFileAtomic(file.path, file.data);
  files = outputs.map((f) => f.path);
} else if (format === 'json') {
  writeFileAtomic(out, jsonChunks(run!));
} else if (format === 'html') {
  writeFileAtomic(out, renderHtml(run!));
} else {
  throw new Error(`unknown format ${format}`);
}
const figures: WriterFigures = {
  writeMs: performance.now() - start,
  rssBeforeBytes,
  peakBytes: statusBytes('self', 'VmHWM')!,
  fileBytes: files.reduce((sum, f) => sum + statSync(f).size, 0),
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
