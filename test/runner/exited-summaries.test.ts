import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { ProcessSummary } from '../../src/model.js';
import { ExitedSummaries, type Numbered } from '../../src/runner/exited-summaries.js';

function numbered(seq: number): Numbered {
  const summary: ProcessSummary = {
    pid: 1000 + seq, ppid: 1, startTime: seq * 3, command: `child ${seq}`, firstMs: seq, lastMs: seq + 50,
    firstRssBytes: 100, lastRssBytes: seq % 2 ? null : 200, peakRssBytes: 300, lastVmsBytes: 400, growthBytes: seq % 2 ? null : 100, samples: 2,
  };
  return { seq, summary };
}

const range = (from: number, to: number): Numbered[] => Array.from({ length: to - from }, (_, i) => numbered(from + i));

test('summaries read back equal and in order, from disk or from memory', () => {
  for (const directory of [tmpdir(), null]) {
    const store = new ExitedSummaries(100, directory);
    store.append(range(0, 3));
    store.append([]);
    store.append(range(3, 10));
    assert.deepEqual(store.all(), range(0, 10));
    assert.deepEqual([store.length, store.total], [10, 10]);
  }
});

test('past twice the summaries it must keep, the file is rewritten with the latest only', () => {
  const store = new ExitedSummaries(5);
  for (let i = 0; i < 23; i++) store.append([numbered(i)]);
  assert.ok(store.length <= 10, `${store.length} summaries held`);
  assert.equal(store.total, 23);
  assert.deepEqual(store.all().slice(-5), range(18, 23));
  assert.deepEqual(store.all().map((n) => n.seq), range(23 - store.length, 23).map((n) => n.seq));
});

test('a temp directory that refuses a file keeps the summaries in memory, under the same bound', () => {
  const store = new ExitedSummaries(5, '/proc');
  store.append(range(0, 4));
  assert.deepEqual(store.all(), range(0, 4));
  for (let i = 4; i < 23; i++) store.append([numbered(i)]);
  assert.ok(store.length <= 10, `${store.length} summaries held`);
  assert.deepEqual(store.all().slice(-5), range(18, 23));
  assert.equal(store.total, 23);
});

test('no file is made until the first summary comes', { skip: process.platform !== 'linux' }, () => {
  const count = () => readdirSync('/proc/self/fd').length;
  const before = count();
  const store = new ExitedSummaries(5);
  assert.equal(count(), before);
  store.append(range(0, 1));
  assert.equal(count(), before + 1);
});

test('the spill file is unlinked: nothing of it is left in the temp directory', () => {
  const before = readdirSync(tmpdir()).filter((name) => name.startsWith('.leakhunt-processes-')).length;
  const store = new ExitedSummaries(5);
  store.append(range(0, 2));
  assert.equal(readdirSync(tmpdir()).filter((name) => name.startsWith('.leakhunt-processes-')).length, before);
  assert.equal(store.all().length, 2);
});

test('a write the file size limit cuts short keeps what was written and holds the rest in memory', { skip: process.platform !== 'linux' }, () => {
  // RLIMIT_FSIZE of 8 KiB, with SIGXFSZ ignored: the write that would pass it fails with EFBIG.
  const script = `
    const { ExitedSummaries } = await import(${JSON.stringify(new URL('../../src/runner/exited-summaries.js', import.meta.url).href)});
    const store = new ExitedSummaries(1000);
    const one = (seq) => ({ seq, summary: { pid: seq, ppid: 1, startTime: 1, command: 'x'.repeat(200), firstMs: 0, lastMs: 1,
      firstRssBytes: 1, lastRssBytes: 1, peakRssBytes: 1, lastVmsBytes: 1, growthBytes: 0, samples: 1 } });
    for (let i = 0; i < 200; i++) store.append([one(i)]);
    const seqs = store.all().map((n) => n.seq);
    console.log(JSON.stringify({ length: seqs.length, inOrder: seqs.every((s, i) => s === i), total: store.total }));
  `;
  const run = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 16; exec "$0" --input-type=module -e "$1"`, process.execPath, script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { length: 200, inOrder: true, total: 200 });
});
