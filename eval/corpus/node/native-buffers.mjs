// Native buffers outside the V8 heap: each upload's 64 KB Buffer.alloc is kept in a list of
// "pending retries" that is never drained. Boundaries by output markers only (no channel):
// "job <id> start" / "job <id> done" on stdout.
import { createInterface } from 'node:readline';
import { recordTruth } from './truth.mjs';

const retries = [];
for await (const line of createInterface({ input: process.stdin })) {
  const { task } = JSON.parse(line);
  console.log(`job ${task} start`);
  const chunk = Buffer.alloc(64 * 1024, Number(task) % 256);
  retries.push(chunk);
  console.log(`job ${task} done`);
  recordTruth(retries.length * chunk.length);
}
