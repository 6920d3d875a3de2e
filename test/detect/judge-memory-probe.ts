// Run by judge-memory.test.ts in a process of its own: the memory a final verdict over N tasks
// needs at its peak, above what the run's series already hold. Prints one JSON line.
import { judgeRun } from '../../src/detect/index.js';
import { ownStatusBytes, resetOwnPeak } from '../helpers/proc-status.js';

const count = Number(process.argv[2]);

// A flat worker as the CLI hands it over (typed columns): 60 MB, a GC sawtooth of 2 MB every 50
// tasks, and seeded noise; two boundary samples per task in the time series.
let seed = 12345;
const noise = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 256 * 1024;
const values = new Float64Array(count);
const endMs = new Float64Array(count);
for (let i = 0; i < count; i++) {
  values[i] = 60e6 + (i % 50) * 40_000 + Math.round(noise());
  endMs[i] = i * 2 + 1;
}
const ms = new Float64Array(2 * count);
const totals = new Float64Array(2 * count);
for (let i = 0; i < 2 * count; i++) {
  ms[i] = i;
  totals[i] = values[i >> 1]!;
}

(globalThis as { gc?: () => void }).gc?.();
const before = ownStatusBytes('VmRSS');
resetOwnPeak();
const verdict = judgeRun({ timeSeries: { ms, values: totals }, perTask: { values, endMs }, limit: null, currentBytes: values[count - 1]! });
console.log(JSON.stringify({ status: verdict.status, addedBytes: ownStatusBytes('VmHWM') - before }));
