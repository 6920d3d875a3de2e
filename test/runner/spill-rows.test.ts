import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Sample } from '../../src/model.js';
import { MemoryRows, SpilledRows, createRowStore } from '../../src/runner/spill-rows.js';
import { seededRandom } from '../helpers/sample-run.js';

function row(seq: number, command = 'node worker.js'): Sample {
  return {
    seq, elapsedMs: seq * 50.25, event: 'tick', pid: 100 + (seq % 3), ppid: 1, startTime: 42, command,
    rssBytes: 1_000_000 + seq, vmsBytes: 9_000_000, peakRssBytes: null, fds: 7, threads: 1,
  };
}

const fdTargets = (): string[] => readdirSync('/proc/self/fd').flatMap((fd) => {
  try {
    return [readlinkSync(`/proc/self/fd/${fd}`)];
  } catch {
    return [];
  }
});

test('spilled rows read back equal, in order, on every pass, including rows appended after a pass', () => {
  const log = new SpilledRows<Sample>('samples');
  const rows = Array.from({ length: 5000 }, (_, i) => row(i));
  for (let i = 0; i < rows.length; i += 3) log.append(rows.slice(i, i + 3));
  assert.equal(log.length, 5000);
  assert.deepEqual([...log], rows);
  log.append([row(5000)]);
  assert.deepEqual([...log].at(-1), row(5000));
  assert.equal([...log].length, 5001);
});

test('multi-byte text across read chunks and a line longer than the read buffer survive', () => {
  const log = new SpilledRows<Sample>('samples');
  const random = seededRandom(7);
  const rows: Sample[] = [];
  for (let i = 0; i < 6000; i++) {
    // Commands of 1-400 characters mixing ASCII, accents, CJK and emoji, so chunk edges fall mid-character.
    const length = 1 + Math.floor(random() * 400);
    const command = Array.from({ length }, (_, j) => ['a', 'é', '漢', '🧪', '"', '\\'][(i + j) % 6]).join('');
    rows.push(row(i, command));
  }
  rows.push(row(6000, 'x'.repeat(3 * 1024 * 1024)));
  for (const r of rows) log.append([r]);
  assert.deepEqual([...log], rows);
});

test('the spill file is unlinked at once: nothing in the temp directory, only an open descriptor', () => {
  const before = new Set(readdirSync(tmpdir()));
  const log = new SpilledRows<Sample>('samples');
  log.append([row(1)]);
  const added = readdirSync(tmpdir()).filter((name) => !before.has(name) && name.startsWith('.leakhunt-samples-'));
  assert.deepEqual(added, []);
  assert.ok(fdTargets().some((target) => /\.leakhunt-samples-.* \(deleted\)$/.test(target)));
});

test('JSON.stringify of a store gives the rows as an array', () => {
  const log = createRowStore<Sample>('samples');
  log.append([row(1), row(2)]);
  assert.deepEqual(JSON.parse(JSON.stringify({ samples: log })), { samples: [row(1), row(2)] });
});

test('a temp directory that refuses files leaves the rows in memory', () => {
  assert.throws(() => new SpilledRows<Sample>('samples', '/proc'));
  const memory = createRowStore<Sample>('samples', '/proc');
  assert.ok(memory instanceof MemoryRows);
  memory.append([row(3)]);
  assert.equal(memory.length, 1);
  assert.deepEqual([...memory], [row(3)]);
});
