// Churn: each job allocates 1-4 MB of Buffers (image tiles), uses them and drops them all.
// Sizes are seeded by the job id. Nothing survives a job. Helper: serveTasks.
import { serveTasks } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

await serveTasks(({ params }) => {
  const tiles = [];
  const count = 4 + ((params.id * 7919) % 13);
  for (let i = 0; i < count; i++) tiles.push(Buffer.alloc(256 * 1024, i));
  const checksum = tiles.reduce((sum, tile) => sum + tile[tile.length - 1], 0);
  recordTruth(0);
  return checksum;
});
