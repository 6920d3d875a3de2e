// `leakhunt report <run.json|run.csv>`: re-render a recorded run — also one cut short by a crash.
import type { RunResult } from '../model.js';
import { judgeRun } from '../detect/index.js';
import { loadRun } from '../files/load.js';
import { renderComparison } from '../render/compare.js';
import { createStyle, shouldColor } from '../render/color.js';
import { parseOutputOptions } from './options.js';
import { writeFinalOutputs } from './outputs.js';
import { renderForTerminal } from './finish.js';
import { allocationLines } from '../render/allocations.js';
import { inProcessAttribution } from './allocations.js';
import { seriesFromSamples } from './result.js';

export interface RawReportOptions {
  csv?: string;
  json?: string;
  html?: string;
  md?: string;
  color?: boolean;
}

export async function reportCommand(file: string, raw: RawReportOptions): Promise<number> {
  const out = parseOutputOptions({ ...raw, quiet: false });
  const judge = (run: RunResult) => judgeRun(seriesFromSamples(run));
  const run = loadRun(file, { judge });
  const wantsFiles = Boolean(raw.csv || raw.json || raw.html || raw.md);
  if (wantsFiles) {
    if (out.csv) {
      const { writeFileAtomic } = await import('../files/atomic.js');
      const { csvReportChunks } = await import('../report/csv.js');
      writeFileAtomic(out.csv, csvReportChunks(run));
      if (run.allocations) {
        const { allocationCsv, allocationCsvPath } = await import('../report/csv-allocations.js');
        writeFileAtomic(allocationCsvPath(out.csv), allocationCsv(run));
      }
    }
    await writeFinalOutputs(run, { ...out, csv: undefined });
  } else if (run.modes && run.modes.length > 0) {
    const style = createStyle({ color: shouldColor(process.env, process.stderr.isTTY === true, out.color) });
    process.stdout.write(renderComparison(run, style, { limitBytes: run.verdict.limit?.bytes ?? null, hazards: [], width: process.stdout.columns || 100 }));
    const sites = allocationLines(run, style, inProcessAttribution(run));
    if (sites.length > 0) process.stdout.write(`\n${sites.join('\n')}\n`);
  } else {
    process.stdout.write(renderForTerminal(run, out));
  }
  return 0;
}
