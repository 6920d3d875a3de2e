// leakhunt's own allocator tuning: the environment it re-executes with, the one the worker gets
// back, and, through the real bin, that the tuning reaches leakhunt and never the worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callersEnvironment, OWN_TUNABLES, processExecve, tunedEnvironment } from '../src/allocator-tuning.js';
import { leakhunt } from './helpers/exec.js';

test('without GLIBC_TUNABLES, leakhunt adds the threshold, and the worker gets no GLIBC_TUNABLES back', () => {
  const tuned = tunedEnvironment({ PATH: '/bin' })!;
  assert.equal(tuned.GLIBC_TUNABLES, OWN_TUNABLES);
  assert.deepEqual(callersEnvironment(tuned), { PATH: '/bin' });
});

test('the caller\'s own tunables are kept before leakhunt\'s, and given back to the worker as they were', () => {
  const tuned = tunedEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' })!;
  assert.equal(tuned.GLIBC_TUNABLES, `glibc.malloc.arena_max=2:${OWN_TUNABLES}`);
  assert.deepEqual(callersEnvironment(tuned), { GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
  // An empty GLIBC_TUNABLES is given back empty, not removed.
  assert.deepEqual(callersEnvironment(tunedEnvironment({ GLIBC_TUNABLES: '' })!), { GLIBC_TUNABLES: '' });
});

test('no re-execution once tuned, nor when the caller chose an mmap threshold (the way to opt out)', () => {
  assert.equal(tunedEnvironment(tunedEnvironment({})!), null);
  assert.equal(tunedEnvironment({ GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072' }), null);
  // An environment leakhunt did not tune is the caller's already.
  const untouched = { GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=131072', PATH: '/bin' };
  assert.equal(callersEnvironment(untouched), untouched);
});

/** The worker prints its pid's parent, its own GLIBC_TUNABLES and leakhunt's, as exec'd. */
const PROBE = [
  'echo "parent=$PPID"',
  'echo "worker=${GLIBC_TUNABLES-unset} markers=$(env | grep -c -e ^LEAKHUNT_ALLOCATOR -e ^LEAKHUNT_CALLERS)"',
  'echo "leakhunt=$(tr "\\0" "\\n" < /proc/$PPID/environ | grep ^GLIBC_TUNABLES= || echo unset)"',
].join('; ');

async function probe(env: NodeJS.ProcessEnv): Promise<{ leakhuntPid: number; lines: Map<string, string> }> {
  let leakhuntPid = 0;
  const run = await leakhunt(['watch', '-q', '--', 'sh', '-c', PROBE], { env, onStart: (child) => (leakhuntPid = child.pid!) });
  assert.equal(run.code, 0, run.stderr);
  const lines = new Map(run.stdout.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
  return { leakhuntPid, lines };
}

const canExecInPlace = processExecve() !== undefined;

test(`through the bin: ${canExecInPlace ? 'leakhunt re-executes in place with the threshold' : 'this Node has no process.execve, so leakhunt runs untuned'}, and the worker's environment is the caller's`, { skip: process.platform !== 'linux' }, async () => {
  const plain = await probe({ GLIBC_TUNABLES: undefined });
  // Same pid: the worker's parent is the process that was started (signals and exit codes are unchanged).
  assert.equal(Number(plain.lines.get('parent')), plain.leakhuntPid);
  const seen = plain.lines.get('leakhunt')!;
  if (canExecInPlace) {
    // What /proc/<pid>/environ shows of it: glibc 2.36 rewrites the variable in the process's own
    // environment block once it has read it, leaving only the first tunable there (it applies
    // all of them). So: the whole list, or its leading tunables.
    const value = seen.replace(/^GLIBC_TUNABLES=/, '');
    assert.ok(seen.startsWith('GLIBC_TUNABLES=glibc.malloc.mmap_threshold=16384') && `${OWN_TUNABLES}:`.startsWith(`${value}:`), seen);
  } else {
    assert.equal(seen, 'unset');
  }
  assert.equal(plain.lines.get('worker'), 'unset markers=0');

  const callers = await probe({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' });
  assert.equal(callers.lines.get('worker'), 'glibc.malloc.arena_max=2 markers=0');
});
