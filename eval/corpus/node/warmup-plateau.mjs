// Warm-up that plateaus: each of 6 report types builds a 400 KB lookup table on its first run
// and reuses it after. All 6 appear within the first 6 jobs. Helper: serveTasks.
import { serveTasks } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

const tables = new Map();
let held = 0;

await serveTasks(({ name, params }) => {
  let table = tables.get(name);
  if (!table) {
    table = new Float64Array(51_200).map((_, i) => Math.sqrt(i));
    tables.set(name, table);
    held += table.byteLength;
  }
  let sum = 0;
  for (let i = params.id % 100; i < table.length; i += 97) sum += table[i];
  recordTruth(held);
  return sum;
});
