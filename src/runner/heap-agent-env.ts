// The Node heap agent (worker/heap-agent.cts) goes into the worker's environment as one more
// preload in NODE_OPTIONS: every Node process of the tree inherits it, through shells, `npm run`
// and forks, as it inherits LEAKHUNT_CHANNEL.
import { existsSync } from 'node:fs';
import { packageFile } from '../version.js';
import { withPreload } from './node-options.js';

/** Where the agent lives in the installed package (the CLI may run from its bundle, dist/cli/). */
export const agentFile = (): string => packageFile('dist/src/worker/heap-agent.cjs');

let present: boolean | undefined;

/**
 * Node's permission model refuses to read a preload outside the paths it allows, and the worker
 * would not start: `node --permission --allow-fs-read=./app worker.js` fails with "Access to
 * this API has been restricted". Such a worker keeps RSS alone (a Node process further down the
 * tree that turns the model on by itself cannot be seen from here: --no-node-heap).
 */
const PERMISSION_FLAG = /(^|\s)--(experimental-)?permission(\s|=|$)/;

/**
 * NODE_OPTIONS with the agent preloaded after what `base` has; nothing where this installation
 * lacks the agent, or the worker's command or NODE_OPTIONS turn Node's permission model on.
 */
export function heapAgentEnv(base: NodeJS.ProcessEnv, command: readonly string[] = []): NodeJS.ProcessEnv {
  present ??= existsSync(agentFile());
  if (!present || [base.NODE_OPTIONS ?? '', ...command].some((part) => PERMISSION_FLAG.test(part))) return {};
  return { NODE_OPTIONS: withPreload(base.NODE_OPTIONS, '--require', agentFile()) };
}
