// The Node helper's per-type bookkeeping for --allocations: every run traced until 32 repeats,
// then every 2nd, 4th, ... run, spread over the whole run; sites ranked by what the repeats kept.
// The Python helper's copy of it must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { TypeRuns } from '../../src/worker/allocation-runs.js';
import { ROOT } from '../helpers/paths.js';

interface Table { runs: number; traced: number[]; sites: Array<{ stack: Array<{ file: string }>; deltas: number[] }> }

function record(runs: TypeRuns, count: number, deltas: (run: number) => Map<string, number>): Table {
  for (let i = 0; i < count; i++) {
    runs.runs += 1;
    if (runs.wants(runs.runs)) runs.add(runs.runs, deltas(runs.runs));
  }
  return runs.table('t', (key) => [{ file: key, line: 1, function: '' }]) as Table;
}

test('tracing thins out evenly past 32 repeats, and each site keeps the figures of the traced runs only', () => {
  const table = record(new TypeRuns(), 200, (run) => new Map([['leak', 1000], ['warm', run === 1 ? 50_000 : 0]]));
  assert.equal(table.runs, 200);
  // Past 33 traced runs the stride doubles: 200 runs end at stride 8, runs 1, 9, 17, ... 193.
  assert.deepEqual(table.traced, Array.from({ length: 25 }, (_, i) => 1 + 8 * i));
  const leak = table.sites.find((site) => site.stack[0]!.file === 'leak')!;
  assert.equal(leak.deltas.length, table.traced.length);
  assert.ok(leak.deltas.every((d) => d === 1000));
});

test('sites are ranked by what the repeats kept: a big first run does not outrank a steady leak', () => {
  const table = record(new TypeRuns(), 10, (run) => new Map([['warm-up', run === 1 ? 10_000_000 : 0], ['leak', 4096]]));
  assert.deepEqual(table.sites.map((site) => site.stack[0]!.file), ['leak', 'warm-up']);
  assert.deepEqual(table.sites[1]!.deltas, [10_000_000, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

test('the Python helper keeps the same schedule and ranking (leakhunt_allocations._TypeRuns)', () => {
  const program = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(join(ROOT, 'src', 'worker'))})`,
    'from leakhunt_allocations import _TypeRuns',
    'runs = _TypeRuns()',
    'for _ in range(200):',
    '    runs.runs += 1',
    '    if runs.wants(runs.runs):',
    '        runs.add(runs.runs, {"leak": 1000, "warm": 50000 if runs.runs == 1 else 0})',
    'print(json.dumps(runs.table("t", lambda key: [{"file": key, "line": 1, "function": ""}])))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', program], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(run.status, 0, run.stderr);
  const table = JSON.parse(run.stdout) as Table;
  assert.deepEqual(table.traced, Array.from({ length: 25 }, (_, i) => 1 + 8 * i));
  assert.deepEqual(table.sites.map((site) => site.stack[0]!.file), ['leak', 'warm']);
});
