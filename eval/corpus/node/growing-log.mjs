// An in-memory audit log: every job appends a 4 KB entry to an array that nothing ever trims.
// Self-driven (its own job loop, no stdin); each job is wrapped in markTask.
import { markTask } from 'leakhunt/worker';
import { recordTruth, taskCount } from './truth.mjs';

const auditLog = [];
let held = 0;
const jobs = taskCount(400);

for (let i = 1; i <= jobs; i++) {
  await markTask('audit', () => {
    // Flat text, as a formatted log line is once written out (not a rope of repeated pieces).
    const entry = Buffer.alloc(4096, `${new Date(0).toISOString()} job=${i} detail `).toString('latin1');
    auditLog.push(entry);
    held += entry.length;
  }, String(i));
  recordTruth(held);
}
