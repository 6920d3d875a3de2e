import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPORT_SCHEMA, type Sample } from '../../src/model.js';
import { UsageError } from '../../src/errors.js';
import { jsonChunks, parseReport, toJson } from '../../src/report/json.js';
import { CHUNK_CHARS } from '../../src/report/chunks.js';
import { concatRows } from '../../src/series/rows.js';
import { SpilledRows } from '../../src/runner/spill-rows.js';
import { makeRun } from '../helpers/sample-run.js';

test('a report round-trips: parse(toJson(run)) equals the run', () => {
  const run = makeRun();
  const { result, incomplete } = parseReport(toJson(run), 'run.json');
  assert.deepEqual(result, JSON.parse(JSON.stringify(run)));
  assert.equal(incomplete, false);
});

test('a comparison round-trips with its modes', () => {
  const run = makeRun({ modes: ['in-process', 'isolated', 'recycle:10'], tasks: 12 });
  const { result } = parseReport(toJson(run), 'cmp.json');
  assert.deepEqual(result.modes!.map((m) => m.mode), ['in-process', 'isolated', 'recycle:10']);
  assert.deepEqual(result, JSON.parse(JSON.stringify(run)));
});

test('rows spilled to disk stream into the same text, in bounded chunks', () => {
  const run = makeRun({ tasks: 400, intervalMs: 20 });
  const spilled = new SpilledRows<Sample>('samples');
  spilled.append([...run.samples]);
  const chunks = [...jsonChunks({ ...run, samples: spilled })];
  assert.equal(chunks.join(''), toJson(run));
  assert.ok(run.samples.length > 4000, `${run.samples.length} rows`);
  // A chunk is at most one threshold plus the row that crossed it.
  assert.ok(chunks.length > 5 && chunks.every((c) => c.length < CHUNK_CHARS + 2048), `${chunks.length} chunks`);
});

test('a comparison\'s top level reads every mode\'s rows in order without copying them', () => {
  const run = makeRun({ modes: ['in-process', 'isolated'], tasks: 6 });
  const joined = concatRows(run.modes!.map((m) => m.samples));
  assert.equal(joined.length, run.samples.length);
  assert.deepEqual([...joined], [...run.samples]);
  assert.equal(toJson({ ...run, samples: joined }), toJson(run));
});

test('keys come in the model\'s order whatever order the object was built in', () => {
  const run = makeRun({ tasks: 2 });
  const shuffled = Object.fromEntries(Object.entries(run).reverse()) as typeof run;
  const text = toJson(shuffled);
  assert.equal(text, toJson(run));
  assert.ok(text.startsWith(`{\n  "schema": "${REPORT_SCHEMA}",\n  "tool"`));
  const keys = Object.keys(JSON.parse(text));
  assert.ok(keys.indexOf('samples') < keys.indexOf('verdict'));
  const sampleLine = text.split('\n').find((line) => line.includes('"elapsedMs"'))!;
  assert.match(sampleLine, /^ {4}\{"pid":4242,"ppid":4241,"startTime":/, 'one compact sample per line');
});

test('an incomplete run reads back as incomplete', () => {
  const { incomplete } = parseReport(toJson(makeRun({ incomplete: true })), 'run.json');
  assert.equal(incomplete, true);
});

function rejects(text: string, message: RegExp): void {
  assert.throws(() => parseReport(text, 'run.json'), (error: unknown) => {
    assert.ok(error instanceof UsageError, 'a UsageError (exit 2)');
    assert.match(error.message, message);
    assert.ok(!error.message.includes('\n'), 'one line');
    return true;
  });
}

test('parseReport names the file and what is wrong', () => {
  const text = toJson(makeRun({ tasks: 3 }));
  rejects(text.slice(0, 1234), new RegExp(`^run\\.json: truncated JSON at byte 1234$`));
  rejects('', /^run\.json: empty file$/);
  rejects('hello, world', /^run\.json: not a leakhunt report \(not JSON\)$/);
  rejects('{"a": 1,, "b": 2}', /^run\.json: not valid JSON at byte 8/);
  rejects('[1, 2]', /^run\.json: not a leakhunt report \(not a JSON object\)$/);
  rejects('{"schema": "x"}', /^run\.json: not a leakhunt report \(schema is "x"\)$/);
  rejects('{"samples": []}', /^run\.json: not a leakhunt report \(no "schema" field\)$/);
  rejects('{"schema": "leakhunt/report@2"}', /^run\.json: written by a newer leakhunt \(schema is "leakhunt\/report@2"\)/);
  const data = JSON.parse(text);
  rejects(JSON.stringify({ ...data, samples: undefined }), /^run\.json: missing field samples$/);
  rejects(JSON.stringify({ ...data, tasks: {} }), /^run\.json: field tasks is not an array$/);
  rejects(JSON.stringify({ ...data, verdict: { status: 'bad' } }), /^run\.json: verdict\.status is "bad"/);
  data.samples[3].pid = 'x';
  rejects(JSON.stringify(data), /^run\.json: samples\[3\]\.pid is not a number$/);
});

test('fields outside the stable core get defaults, so a minimal report still reads', () => {
  const minimal = {
    schema: REPORT_SCHEMA,
    samples: [{ pid: 1, ppid: 0, startTime: 5, command: 'w', rssBytes: 100, vmsBytes: null, peakRssBytes: null, fds: null, threads: null, seq: 0, elapsedMs: 0, event: 'tick' }],
    tasks: [],
    verdict: { status: 'stable' },
  };
  const { result } = parseReport(JSON.stringify(minimal), 'min.json');
  assert.equal(result.processes.length, 1);
  assert.equal(result.processes[0]!.firstRssBytes, 100);
  assert.deepEqual(result.protocol, { malformed: 0, oversized: 0 });
  assert.equal(result.verdict.bytesPerTask, null);
  assert.deepEqual(result.attribution, []);
});
