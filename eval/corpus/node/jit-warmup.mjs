// JIT warm-up: jobs cycle through 40 distinct numeric kernels (generated functions), so V8
// compiles and optimises each one during the first rounds and then reuses the code. Nothing is
// kept by the worker itself. Helper: serveTasks.
import { serveTasks } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

const kernels = Array.from({ length: 40 }, (_, k) =>
  new Function('n', `let a = ${k}; for (let i = 0; i < n; i++) { a = (a * ${k + 3} + i) % 1000003; } return a;`));

await serveTasks(({ params }) => {
  const value = kernels[params.id % kernels.length](20_000);
  recordTruth(0);
  return value;
});
