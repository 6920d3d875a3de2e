// A per-request cache keyed by request id: parsed request bodies are cached "for retries" in a
// Map keyed by the request id, which is never reused, so every entry stays. ~6 KB a request.
// Its own loop on stdin with markTask around each request.
import { createInterface } from 'node:readline';
import { markTask } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

const parsed = new Map();
let held = 0;

for await (const line of createInterface({ input: process.stdin })) {
  const { task, name, params } = JSON.parse(line);
  await markTask(name, () => {
    const body = JSON.stringify({ id: params.id, items: Array.from({ length: 150 }, (_, i) => ({ sku: `SKU-${i}`, qty: i })) });
    parsed.set(`req-${task}`, JSON.parse(body));
    held += body.length;
  }, task);
  recordTruth(held);
}
