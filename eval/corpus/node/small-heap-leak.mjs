// A small leak on the JS heap, without --expose-gc: every job pushes a 2 KB string (a rendered
// notification) to a module-level "sent" list. RSS moves in V8's page steps. Helper: serveTasks.
import { serveTasks } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

const sent = [];
let held = 0;

await serveTasks(({ task }) => {
  const text = `notification ${task}: ` + 'n'.repeat(2048);
  sent.push(text);
  held += text.length;
  recordTruth(held);
});
