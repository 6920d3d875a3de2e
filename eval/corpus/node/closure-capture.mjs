// Closures that capture large objects: each job registers a "finaliser" callback in a module
// list; the callback only needs the job's id but captures its whole 10,000-number result array.
// Helper: serveTasks.
import { serveTasks } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

const finalisers = [];
let held = 0;

await serveTasks(({ task }) => {
  const results = new Float64Array(10_000).map((_, i) => i * Number(task));
  finalisers.push(() => `${task}:${results.length}`);
  held += results.byteLength;
  recordTruth(held);
});
