// The evaluation's gates on a fixed seed range with smaller counts (npm run eval runs the full one).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../eval/evaluate.js';
import { checkTargets } from '../../eval/targets.js';

const rows = evaluate({ seeds: 10, tasks: 1500 });
const normal = rows.filter((r) => r.label === 'normal');

test('the issue targets hold on seeds 1–10 of 1,500-task runs', () => {
  for (const target of checkTargets(rows)) assert.ok(target.met, `${target.target}: ${target.measured}`);
});

test('no firm online false alarm outside the linear-cache blind spot', () => {
  for (const row of normal.filter((r) => !r.blindSpot)) assert.equal(row.leakhunt.onlineLeak, 0, row.name);
});

test('every leak but the slowest (1 KB/task in 256 KB arenas) is called by the end of the run', () => {
  for (const row of rows.filter((r) => r.label === 'leak' && r.name !== 'leak-1k-arena')) {
    assert.equal(row.leakhunt.finalLeak, 1, row.name);
  }
});

test('both baselines raise false alarms that leakhunt does not', () => {
  const [mprof, rSquared] = [0, 1].map((i) => normal.reduce((sum, r) => sum + r.baselines[i]!.onlineLeak, 0));
  assert.ok(mprof! > 0 && rSquared! > 0);
  assert.equal(normal.reduce((sum, r) => sum + r.baselines[0]!.finalLeak, 0), normal.length);
});
