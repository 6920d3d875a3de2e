import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportWriters } from '../../src/report/index.js';
import { writeReports } from '../../src/files/write-reports.js';
import { loadRun } from '../../src/files/load.js';
import { makeRun } from '../helpers/sample-run.js';

const dir = mkdtempSync(join(tmpdir(), 'leakhunt-writers-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('every format has a writer', () => {
  assert.deepEqual(Object.keys(reportWriters).sort(), ['csv', 'html', 'json', 'md']);
});

test('writeReports writes each requested format whole, CSV with its per-task file', async () => {
  const run = makeRun({ tasks: 8 });
  const written = await writeReports(run, { json: join(dir, 'run.json'), csv: join(dir, 'run.csv'), md: join(dir, 'run.md') });
  assert.deepEqual(written.map((p) => p.slice(dir.length + 1)), ['run.json', 'run.csv', 'run.tasks.csv', 'run.md']);
  assert.deepEqual(readdirSync(dir).sort(), ['run.csv', 'run.json', 'run.md', 'run.tasks.csv']);
  assert.deepEqual(loadRun(join(dir, 'run.json')), JSON.parse(JSON.stringify(run)));
  const fromCsv = loadRun(join(dir, 'run.csv'));
  assert.deepEqual([...fromCsv.tasks].map((t) => t.deltaBytes), run.tasks.map((t) => t.deltaBytes));
  assert.match(readFileSync(join(dir, 'run.md'), 'utf8'), /^## leakhunt: LEAK/);
});
