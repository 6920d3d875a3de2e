import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import { pickSampler, samplerNameFor, samplers } from '../../src/sampler/index.js';

test('each platform gets its backend: /proc on Linux, ps on macOS, pidusage elsewhere', () => {
  assert.equal(pickSampler('linux'), samplers.linux);
  assert.equal(pickSampler('darwin'), samplers.darwin);
  assert.equal(pickSampler('win32'), samplers.pidusage);
  assert.equal(pickSampler('freebsd'), samplers.pidusage);
  assert.equal(samplerNameFor('aix'), 'pidusage');
});

test('an override picks a backend by name; an unknown name is a usage error', () => {
  assert.equal(pickSampler('linux', 'pidusage'), samplers.pidusage);
  assert.equal(pickSampler('win32', 'darwin'), samplers.darwin);
  assert.throws(() => pickSampler('linux', 'toString'), (error: unknown) => error instanceof UsageError && /unknown sampler "toString"/.test(error.message));
  assert.throws(() => pickSampler('linux', 'proc'), UsageError);
});

test('the factory names its sampler as the registry does', () => {
  for (const [name, create] of Object.entries(samplers)) {
    const sampler = create({ rootPid: process.pid, children: false, metric: 'rss' });
    assert.equal(sampler.name, name);
    sampler.close();
  }
});
