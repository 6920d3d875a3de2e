// A connection pool of 4 connections, each with a 256 KB receive buffer, created lazily and
// reused: each job acquires one, fills its buffer with a response, and releases it. Bounded once
// the 4 exist. Helper: serveTasks.
import { serveTasks } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

const SIZE = 4;
const idle = [];
let created = 0;

function acquire() {
  if (idle.length > 0) return idle.pop();
  created++;
  return { id: created, buffer: Buffer.alloc(256 * 1024) };
}

let turn = 0;
await serveTasks(({ task }) => {
  // Hold up to SIZE at once, as concurrent requests would, then release them together.
  const held = Array.from({ length: 1 + (turn++ % SIZE) }, acquire);
  for (const conn of held) conn.buffer.fill(Number(task) % 256);
  idle.push(...held);
  recordTruth(created * 256 * 1024);
});
