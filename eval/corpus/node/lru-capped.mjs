// A capped LRU cache (Map order = recency) of rendered fragments, 100 entries of 8 KB at most.
// Every job renders a new key, so the cache fills in the first 100 jobs and then evicts one per
// job: bounded. Helper: serveTasks.
import { serveTasks } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

const CAP = 100;
const cache = new Map();
let held = 0;

function render(key) {
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const html = Buffer.alloc(8 * 1024, `<div id="${key}">cell</div>`).toString('latin1');
  cache.set(key, html);
  held += html.length;
  if (cache.size > CAP) {
    const [oldest, value] = cache.entries().next().value;
    cache.delete(oldest);
    held -= value.length;
  }
  return html;
}

await serveTasks(({ params }) => {
  render(`page-${params.id}`);
  recordTruth(held);
});
