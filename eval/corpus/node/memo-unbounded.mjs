// Unbounded memoization: a price lookup memoized by product id. Every task asks for a new id,
// so the memo gains one 16 KB quote per task and never lets go. Helper: serveTasks.
import { serveTasks } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

const memo = new Map();
let held = 0;

function quote(id) {
  if (memo.has(id)) return memo.get(id);
  const result = { id, lines: Array.from({ length: 512 }, (_, i) => `${id}:${i}:${'x'.repeat(20)}`) };
  memo.set(id, result);
  held += result.lines.reduce((sum, line) => sum + line.length, 0);
  return result;
}

await serveTasks(({ params }) => {
  quote(params.id);
  recordTruth(held);
});
