// The comparison behind --allocations: per-run figures → bytes per run, which sites count, which
// frames are the user's. Pure: synthetic tables in, sites and notes out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AllocationTable, TypeRunsTable } from '../../src/model.js';
import { describeSite, findAllocationSites, isLibraryFrame, MIN_REPEATS, siteSlope, userFrame } from '../../src/detect/allocations.js';
import { parseAllocationTable } from '../../src/protocol/allocation-table.js';
import { mulberry32 } from '../../src/seeded-random.js';

const frame = (file: string, line: number, fn = 'f') => ({ file, line, function: fn });

function type(name: string, sites: Array<{ at: ReturnType<typeof frame>[]; deltas: number[] }>): TypeRunsTable {
  const traced = sites[0]?.deltas.map((_, i) => i + 1) ?? [];
  return { name, runs: traced.length, traced, sites: sites.map((s) => ({ stack: s.at, deltas: s.deltas })) };
}

const table = (...types: TypeRunsTable[]): AllocationTable => ({ language: 'python', pid: 1, types });

test('a site that keeps the same bytes every repeat keeps exactly that per run; the first run does not count', () => {
  const slope = siteSlope([900_000, 65_536, 65_536, 65_536, 65_536, 65_536, 65_536]);
  assert.equal(slope.bytesPerRun, 65_536);
  assert.equal(slope.repeats, 6);
  assert.equal(slope.sustained, true);
});

test('a site that grows in steps every 4th run keeps the step over 4 per run', () => {
  const deltas = [0, ...Array.from({ length: 16 }, (_, i) => (i % 4 === 3 ? 40_000 : 0))];
  const slope = siteSlope(deltas);
  assert.ok(slope.bytesPerRun >= 9_000 && slope.bytesPerRun <= 13_400, String(slope.bytesPerRun));
  assert.equal(slope.sustained, true);
});

test('a one-off step (a cache filled once) is not sustained; allocating and freeing has no slope', () => {
  const once = siteSlope([0, 0, 0, 0, 500_000, 0, 0, 0, 0, 0]);
  assert.equal(once.sustained, false);
  const random = mulberry32(7);
  const churn = siteSlope(Array.from({ length: 12 }, () => Math.round((random() - 0.5) * 200)));
  assert.ok(Math.abs(churn.bytesPerRun) < 200, String(churn.bytesPerRun));
});

test('sites are ranked per type, noise and one-off steps are dropped, short types get a note instead of a guess', () => {
  const leak = frame('/app/worker.py', 26, 'handle');
  const noise = frame('/app/worker.py', 40, 'handle');
  const lib = frame('/usr/lib/python3.11/json/decoder.py', 353, 'JSONDecoder.raw_decode');
  const findings = findAllocationSites([table(
    type('send_email', [
      { at: [noise], deltas: [56, -56, 56, -56, 56, -56, 56] },
      { at: [leak], deltas: [300_000, 262_144, 262_144, 262_144, 262_144, 262_144, 262_144] },
      { at: [lib, frame('/app/worker.py', 30, 'handle')], deltas: [0, 4_096, 4_096, 4_096, 4_096, 4_096, 4_096] },
    ]),
    type('churn', [{ at: [noise], deltas: [4_096, 0, 0, 0, 0, 0, 0] }]),
    type('rare', [{ at: [leak], deltas: [1, 100_000, 100_000] }]),
  )]);
  assert.deepEqual(findings.sites.map((s) => [s.name, s.line, s.bytesPerRun, s.runs]), [
    ['send_email', 26, 262_144, 6],
    ['send_email', 353, 4_096, 6],
  ]);
  assert.deepEqual(findings.notes, [`rare: 2 repeats traced; allocation sites need more repeats (at least ${MIN_REPEATS})`]);
});

test('a type recorded by several processes is read from the one that traced it most', () => {
  const a = frame('/app/a.js', 3, 'a');
  const b = frame('/app/b.js', 9, 'b');
  const findings = findAllocationSites([
    table(type('job', [{ at: [a], deltas: [0, 2_048, 2_048, 2_048, 2_048, 2_048] }])),
    table(type('job', [{ at: [b], deltas: [0, 8_192, 8_192, 8_192, 8_192, 8_192, 8_192, 8_192] }])),
  ]);
  assert.deepEqual(findings.sites.map((s) => s.file), ['/app/b.js']);
});

test('library and runtime frames lead to the first frame in the user\'s code', () => {
  for (const file of ['/srv/venv/lib/python3.12/site-packages/x.py', '/usr/lib/python3/dist-packages/y.py', '/root/.pyenv/versions/3.11.7/lib/python3.11/functools.py',
    '/app/node_modules/lru/index.js', 'node:internal/streams/readable', '(native)', '<frozen importlib._bootstrap>', '/app/vendor/leakhunt_worker.py']) {
    assert.equal(isLibraryFrame(frame(file, 1)), true, file);
  }
  for (const file of ['/app/worker.py', '/home/me/lib/tasks.js', 'C:\\app\\worker.py']) assert.equal(isLibraryFrame(frame(file, 1)), false, file);
  const stack = [frame('(native)', 0, 'split'), frame('/app/node_modules/memo/index.js', 4, 'compile'), frame('/app/worker.js', 19, 'lookUp')];
  const site = { name: 't', file: '(native)', line: 0, function: 'split', bytesPerRun: 102_400, runs: 9, stack };
  assert.deepEqual(userFrame(site), stack[2]);
  assert.equal(describeSite(site), '(native) split  +100.0 KB per run  (from /app/worker.js:19 lookUp)');
  assert.equal(userFrame({ stack: [stack[2]!] }), null);
});

test('a helper table is checked field by field: a wrong row is dropped, long labels are cut, other files are refused', () => {
  const text = JSON.stringify({
    format: 'leakhunt/allocations@1', language: 'node', pid: 42,
    types: [
      { name: 'x'.repeat(500), runs: 3, traced: [1, 2, 3], sites: [
        { stack: [{ file: '/a.js', line: 2, function: 'f' }], deltas: [1, 2, 3] },
        { stack: [{ file: '/a.js', line: 'two', function: 'f' }], deltas: [1, 2, 3] },
        { stack: [{ file: '/a.js', line: 2, function: 'f' }], deltas: [1, 2] },
      ] },
      { name: 7, runs: 1, traced: [1], sites: [] },
    ],
  });
  const parsed = parseAllocationTable(text)!;
  assert.equal(parsed.pid, 42);
  assert.equal(parsed.types.length, 1);
  assert.equal(parsed.types[0]!.name.length, 200);
  assert.equal(parsed.types[0]!.sites.length, 1);
  assert.equal(parseAllocationTable('{"format":"other"}'), null);
  assert.equal(parseAllocationTable('not json'), null);
});

test('a site of leakhunt\'s own helper or --instrument hook with no user frame under it is its own record, not the worker\'s', () => {
  const own = frame('/usr/lib/node_modules/leakhunt/dist/src/worker/boundary.js', 119, 'memoryMetrics');
  const hook = frame('/usr/lib/node_modules/leakhunt/dist/src/worker/instrument/bullmq.js', 62, 'runReported');
  const user = frame('/app/jobs.cjs', 12, 'leaky');
  const deltas = [0, 2_150, 2_150, 2_150, 2_150, 2_150, 2_150];
  assert.equal(isLibraryFrame(hook), true);
  assert.equal(isLibraryFrame(frame('/srv/x/src/worker/instrument/python/leakhunt_instrument.py', 5)), true);
  const findings = findAllocationSites([table(
    type('leaky', [{ at: [own, hook], deltas }, { at: [own, hook, frame('/app/node_modules/bullmq/dist/cjs/classes/worker.js', 300), user], deltas }]),
  )]);
  // The same helper frame reached from the user's processor stays: the user's code leads to it.
  assert.deepEqual(findings.sites.map((s) => s.stack.length), [4]);
});
