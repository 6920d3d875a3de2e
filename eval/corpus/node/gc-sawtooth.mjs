// GC sawtooth: each job builds ~2 MB of short-lived objects (parsed rows) and keeps none of them;
// V8 collects them when it chooses, so the heap rises and falls. Started without --expose-gc,
// as most workers are. Helper: serveTasks.
import { serveTasks } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

await serveTasks(({ params }) => {
  const rows = [];
  for (let i = 0; i < 20_000; i++) rows.push({ id: i, name: `row-${i}-${params.id}`, score: i * 0.5 });
  const total = rows.reduce((sum, row) => sum + row.score, 0);
  recordTruth(0);
  return total;
});
