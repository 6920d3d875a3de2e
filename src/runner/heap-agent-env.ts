// The Node heap agent (worker/heap-agent.cts) goes into the worker's environment as one more
// preload in NODE_OPTIONS: every Node process of the tree inherits it, through shells, `npm run`
// and forks, as it inherits LEAKHUNT_CHANNEL.
import { existsSync } from 'node:fs';
import { packageFile } from '../version.js';
import { withPreload } from './node-options.js';

/** Where the agent lives in the installed package (the CLI may run from its bundle, dist/cli/). */
export const agentFile = (): string => packageFile('dist/src/worker/heap-agent.cjs');

let present: boolean | undefined;

/** NODE_OPTIONS with the agent preloaded after what `base` has; nothing where this installation lacks the agent. */
export function heapAgentEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  present ??= existsSync(agentFile());
  return present ? { NODE_OPTIONS: withPreload(base.NODE_OPTIONS, '--require', agentFile()) } : {};
}
