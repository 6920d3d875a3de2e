// The Node heap agent's place in the worker's environment: one more preload in NODE_OPTIONS, after
// the caller's, and none where Node's permission model would refuse to read it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentFile, heapAgentEnv } from '../../src/runner/heap-agent-env.js';

const preload = `--require "${agentFile()}"`;

test('the agent is preloaded after what NODE_OPTIONS already holds', () => {
  assert.deepEqual(heapAgentEnv({}, ['node', 'worker.js']), { NODE_OPTIONS: preload });
  assert.deepEqual(heapAgentEnv({ NODE_OPTIONS: '--max-old-space-size=512' }, ['node', 'worker.js']), { NODE_OPTIONS: `--max-old-space-size=512 ${preload}` });
});

test('not under Node\'s permission model, which would refuse to read it and stop the worker', () => {
  for (const command of [['node', '--permission', 'w.js'], ['node', '--experimental-permission', '--allow-fs-read=/app', 'w.js'], ['sh', '-c', 'node --permission w.js']]) {
    assert.deepEqual(heapAgentEnv({}, command), {}, command.join(' '));
  }
  assert.deepEqual(heapAgentEnv({ NODE_OPTIONS: '--experimental-permission --allow-fs-read=*' }, ['node', 'w.js']), {});
  assert.deepEqual(heapAgentEnv({}, ['node', '--permission-audit-like-flag', 'w.js']), { NODE_OPTIONS: preload });
});
