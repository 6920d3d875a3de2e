// A cache that fills for hundreds of tasks and then stops: user profiles keyed by user id, with
// 200 users in all. Jobs visit users in order, so the cache grows by one 8 KB profile per job for
// the first 200 jobs and then only hits. Helper: serveTasks.
import { serveTasks } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

const USERS = 200;
const profiles = new Map();
let held = 0;

await serveTasks(({ params }) => {
  const user = params.id % USERS;
  if (!profiles.has(user)) {
    const profile = Buffer.alloc(8 * 1024, `user ${user};`).toString('latin1');
    profiles.set(user, profile);
    held += profile.length;
  }
  recordTruth(held);
});
