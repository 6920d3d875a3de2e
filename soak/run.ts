// `npm run soak`: the long reliability checks, outside npm test. By default leakhunt watches a
// worker at 50 ms for 10 minutes with the CSV on, and its own RSS series must be judged
// `stable` by its own detector; before that, the fault-matrix rows too long for npm test run at
// the issue's full size (30 s interval accuracy, 500 isolated tasks, 2,000 children, 2 GiB
// without a newline, 10^6 task names).
// Usage: node dist/soak/run.js [--minutes N] [--skip-rows] [--series out.csv]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { childrenPhase, intervalPhase, isolatedPhase, namesPhase, spewPhase, type PhaseResult } from './phases.js';
import { soakSelfRss } from './self-rss.js';

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const MiB = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { minutes: { type: 'string', default: '10' }, 'skip-rows': { type: 'boolean', default: false }, series: { type: 'string' } },
  });
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) {
    process.stderr.write(`soak: --minutes must be a positive number, got "${values.minutes}"\n`);
    return 2;
  }
  if (process.platform !== 'linux') {
    process.stderr.write('soak: needs Linux (/proc)\n');
    return 2;
  }
  const results: PhaseResult[] = [];
  if (!values['skip-rows']) {
    for (const phase of [intervalPhase, isolatedPhase, childrenPhase, spewPhase, namesPhase]) {
      const result = await phase();
      log(`${result.passed ? 'PASS' : 'FAIL'} ${result.name}\n  ${result.figures}`);
      results.push(result);
    }
  }

  log(`soak: leakhunt watches a worker at 50 ms for ${minutes} min with the CSV on`);
  const soak = await soakSelfRss(minutes, log);
  // The readings themselves, for a look at what the detector judged.
  if (values.series) writeFileSync(values.series, `elapsed_ms,rss_bytes\n${soak.series.ms.map((ms, i) => `${ms},${soak.series.values[i]}`).join('\n')}\n`);
  const stable = soak.verdict.status === 'stable';
  log(`${stable && soak.code === 0 ? 'PASS' : 'FAIL'} leakhunt's own RSS over ${minutes} min: ${soak.verdict.status} (${soak.verdict.reason})`);
  log(`  RSS at start ${MiB(soak.startRssBytes)}, at end ${MiB(soak.endRssBytes)}, peak ${MiB(soak.peakRssBytes)}; ` +
    `${soak.series.values.length} readings; slope ${soak.verdict.bytesPerHour === null ? 'n/a' : `${MiB(soak.verdict.bytesPerHour)}/h`}; ` +
    `CSV ${soak.csvRows} rows, ${MiB(soak.csvBytes)}; exit ${soak.code}`);
  results.push({ name: 'self RSS', passed: stable && soak.code === 0, figures: '' });
  return results.every((r) => r.passed) ? 0 : 1;
}

process.exitCode = await main();
