import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_LABEL_CHARS, MAX_METRIC_KEYS, MAX_METRIC_LIST, parseBoundaryLine } from '../../src/protocol/message.js';

test('parses a start and an end line as documented', () => {
  assert.deepEqual(parseBoundaryLine('{"event":"start","task":"42","name":"send_email","pid":1234}'), {
    event: 'start',
    task: '42',
    name: 'send_email',
    pid: 1234,
  });
  assert.deepEqual(parseBoundaryLine('{"event":"end","task":"42","ok":true,"pid":1234,"metrics":{"heapUsed":18311040}}'), {
    event: 'end',
    task: '42',
    ok: true,
    pid: 1234,
    metrics: { heapUsed: 18311040 },
  });
});

test('numeric task ids become strings', () => {
  assert.deepEqual(parseBoundaryLine('{"event":"end","task":7}'), { event: 'end', task: '7' });
});

test('malformed lines give null', () => {
  for (const line of [
    '',
    'not json',
    '{"event":"start"',
    '[1,2]',
    'null',
    '"start"',
    '{"task":"1"}',
    '{"event":"begin","task":"1"}',
    '{"event":"start"}',
    '{"event":"start","task":""}',
    '{"event":"start","task":{"id":1}}',
    '{"event":"start","task":null}',
  ]) {
    assert.equal(parseBoundaryLine(line), null, line);
  }
});

test('unknown fields and ill-typed optional fields are ignored', () => {
  assert.deepEqual(
    parseBoundaryLine('{"event":"end","task":"1","extra":{"x":1},"pid":-5,"ok":"yes","name":3,"metrics":{"a":true,"b":{"c":1},"d":"text","e":["m1",2,"m2"]}}'),
    { event: 'end', task: '1', metrics: { d: 'text', e: ['m1', 'm2'] } },
  );
  assert.deepEqual(parseBoundaryLine('{"event":"end","task":"1","metrics":{"__proto__":["x"]}}'), { event: 'end', task: '1' });
});

test('huge fields are capped', () => {
  const long = 'x'.repeat(10_000);
  const metrics: Record<string, unknown> = {};
  for (let i = 0; i < 100; i++) metrics[`m${i}`] = i;
  metrics.list = Array.from({ length: 1000 }, () => long);
  const event = parseBoundaryLine(JSON.stringify({ event: 'start', task: long, name: long, metrics }));
  assert.ok(event);
  assert.equal(event.task.length, MAX_LABEL_CHARS);
  assert.equal(event.name?.length, MAX_LABEL_CHARS);
  assert.equal(Object.keys(event.metrics ?? {}).length, MAX_METRIC_KEYS);

  const lists = parseBoundaryLine(JSON.stringify({ event: 'end', task: '1', metrics: { newModules: Array(1000).fill(long) } }));
  const modules = lists?.metrics?.newModules as string[];
  assert.equal(modules.length, MAX_METRIC_LIST);
  assert.ok(modules.every((m) => m.length === MAX_LABEL_CHARS));
});

test('a cut never leaves half a surrogate pair', () => {
  const name = 'a'.repeat(MAX_LABEL_CHARS - 1) + '😀';
  const event = parseBoundaryLine(JSON.stringify({ event: 'start', task: '1', name }));
  assert.equal(event?.name, 'a'.repeat(MAX_LABEL_CHARS - 1));
});
