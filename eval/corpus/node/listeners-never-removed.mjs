// Listeners never removed: each request subscribes to a long-lived EventEmitter (config reloads)
// with a closure that captures the request's 16 KB body, and forgets to unsubscribe.
// Helper: serveTasks.
import { EventEmitter } from 'node:events';
import { serveTasks } from 'leakhunt/worker';
import { recordTruth } from './truth.mjs';

const config = new EventEmitter();
config.setMaxListeners(0);
const BODY = 16 * 1024;

await serveTasks(({ params }) => {
  const body = Buffer.alloc(BODY, params.id % 251);
  config.on('reload', () => body.length);
  recordTruth(config.listenerCount('reload') * BODY);
});
