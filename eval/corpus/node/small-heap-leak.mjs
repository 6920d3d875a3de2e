// A small leak on the JS heap, without --expose-gc: every job pushes a 2 KB string (a rendered
// notification) to a module-level "sent" list. RSS moves in V8's page steps. Helper: serveTasks.
import { serveTasks } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

const sent = [];
let held = 0;

await serveTasks(({ task }) => {
  // A flat string, as rendered text is (a repeat() would be a rope far smaller than its length).
  const text = Buffer.alloc(2048, `notification ${task}: `).toString('latin1');
  sent.push(text);
  held += text.length;
  recordTruth(held);
});
