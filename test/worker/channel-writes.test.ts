// The heap agent's edit of a worker's own end lines (worker/channel-writes.cts): pure, with
// fixed figures, then preloaded into a node of its own as leakhunt preloads it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { agentFile } from '../../src/runner/heap-agent-env.js';
import channelWrites from '../../src/worker/channel-writes.cjs';

const FIGURES = { heapUsed: 1000, heapTotal: 2000, external: 300 };
const figures = (): typeof FIGURES => FIGURES;
const add = (line: string, pid = 7): string | null => channelWrites.withHeapFigures(line, pid, figures);

test('an end line of this process gets the heap figures beside its own metrics', () => {
  assert.equal(add('{"event":"end","task":"1","pid":7}\n'), '{"event":"end","task":"1","pid":7,"metrics":{"heapUsed":1000,"heapTotal":2000,"external":300,"heapBy":"agent"}}\n');
  assert.equal(add('{"event":"end","task":"2","metrics":{"rows":4}}\n'), '{"event":"end","task":"2","metrics":{"rows":4,"heapUsed":1000,"heapTotal":2000,"external":300,"heapBy":"agent"}}\n');
});

test('other lines are left as they are, and no collection runs for them', () => {
  let collections = 0;
  const counting = (): typeof FIGURES => (collections++, FIGURES);
  for (const line of [
    '{"event":"start","task":"1","pid":7}\n',
    '{"event":"end","task":"1","pid":8}\n',
    '{"event":"end","task":"1","metrics":{"heapUsed":5}}\n',
    '{"event":"end","task":"1"}',
    '{"event":"end","task":"1"}\n{"event":"end","task":"2"}\n',
    'not json\n',
    '[1]\n',
    '{"event":"end","task":"1","metrics":[1]}\n',
  ]) {
    assert.equal(channelWrites.withHeapFigures(line, 7, counting), null, line);
  }
  assert.equal(collections, 0);
});

test('a line that would outgrow the channel\'s 4096 bytes with the figures is left as it is', () => {
  const long = `{"event":"end","task":"1","name":"${'n'.repeat(4096 - 40)}"}\n`;
  assert.ok(Buffer.byteLength(long) <= 4096);
  assert.equal(add(long), null);
});

test('preloaded, the agent adds the figures to end lines written by writeSync, appendFileSync and writeFileSync, from CommonJS and ES modules; not in a worker thread, nor to a stream\'s', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-channel-writes-'));
  try {
    // A plain file stands in for the FIFO.
    const channel = join(dir, 'channel');
    writeFileSync(channel, '');
    const script = [
      "import { appendFileSync, openSync, writeFileSync, writeSync, closeSync } from 'node:fs';",
      "import { createRequire } from 'node:module';",
      'const path = process.env.LEAKHUNT_CHANNEL;',
      "const fd = openSync(path, 'a');",
      'writeSync(fd, JSON.stringify({ event: "end", task: "esm-writeSync", pid: process.pid }) + "\\n");',
      'writeSync(fd, Buffer.from(JSON.stringify({ event: "end", task: "esm-buffer" }) + "\\n"));',
      'closeSync(fd);',
      'appendFileSync(path, JSON.stringify({ event: "end", task: "esm-append" }) + "\\n");',
      "writeFileSync(path, JSON.stringify({ event: 'end', task: 'esm-writeFile' }) + '\\n', { flag: 'a' });",
      "createRequire(import.meta.url)('node:fs').appendFileSync(path, JSON.stringify({ event: 'end', task: 'cjs-append' }) + '\\n');",
      "appendFileSync(path, JSON.stringify({ event: 'start', task: 'untouched' }) + '\\n');",
      "const { Worker } = await import('node:worker_threads');",
      // The worker inherits --input-type=module: its code is an ES module too.
      "await new Promise((done) => new Worker(`(await import('node:fs')).appendFileSync(${JSON.stringify(path)}, JSON.stringify({ event: 'end', task: 'thread' }) + '\\\\n')`, { eval: true }).on('exit', done));",
      "const stream = (await import('node:fs')).createWriteStream(path, { flags: 'a' });",
      "await new Promise((done) => stream.end(JSON.stringify({ event: 'end', task: 'stream' }) + '\\n', done));",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, LEAKHUNT_CHANNEL: channel, NODE_OPTIONS: `--require "${agentFile()}"` },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const lines = readFileSync(channel, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { event: string; task?: string; metrics?: Record<string, number> });
    const byTask = new Map(lines.map((line) => [line.task, line.metrics]));
    assert.equal(byTask.size, 8);
    for (const task of ['esm-writeSync', 'esm-buffer', 'esm-append', 'esm-writeFile', 'cjs-append']) {
      const metrics = byTask.get(task);
      assert.ok(metrics && metrics.heapUsed! > 0 && metrics.heapTotal! >= metrics.heapUsed! && metrics.external! >= 0, `${task}: ${JSON.stringify(metrics)}`);
    }
    for (const task of ['untouched', 'thread', 'stream']) assert.equal(byTask.get(task), undefined, task);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
