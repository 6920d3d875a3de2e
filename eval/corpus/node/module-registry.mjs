// A module-level registry of job records keyed by job id, written on every job and never pruned.
// Each record keeps an 8 KB payload. Its own stdin loop, raw channel lines (no helper).
import { openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { recordTruth } from './truth.mjs';

const channel = openSync(process.env.LEAKHUNT_CHANNEL, 'w');
const send = (record) => writeSync(channel, `${JSON.stringify({ ...record, pid: process.pid })}\n`);
const registry = new Map();
let held = 0;

for await (const line of createInterface({ input: process.stdin })) {
  const { task, name, params } = JSON.parse(line);
  send({ event: 'start', task, name });
  // A flat 8 KB string, as text read from a socket or a file is (a repeat() would be a rope of
  // a few shared pieces, far smaller than its length says).
  const payload = Buffer.alloc(8 * 1024, `p${task}`).toString('latin1');
  registry.set(task, { name, params, payload, at: Date.now() });
  held += payload.length;
  send({ event: 'end', task, name, ok: true });
  recordTruth(held);
}
