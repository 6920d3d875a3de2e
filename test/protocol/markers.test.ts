import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import type { BoundaryEvent } from '../../src/protocol/message.js';
import { compileMarkers, createMarkerScanner, MAX_MARKER_LINE_BYTES, withFreshNumbering } from '../../src/protocol/markers.js';

function scan(spec: ReturnType<typeof compileMarkers>, text: string): BoundaryEvent[] {
  const events: BoundaryEvent[] = [];
  const scanner = createMarkerScanner(spec, (e) => events.push(e));
  scanner.push(Buffer.from(text));
  scanner.end();
  return events;
}

test('named groups give the id and the type', () => {
  const spec = compileMarkers('^TASK START (?<task>\\S+) (?<name>\\S+)', '^TASK END (?<task>\\S+)');
  const events = scan(spec, 'hello\nTASK START 7 send_email\nworking\r\nTASK END 7\n');
  assert.deepEqual(events, [
    { event: 'start', task: '7', name: 'send_email' },
    { event: 'end', task: '7' },
  ]);
});

test('without a task group, starts are numbered and ends close the oldest open task', () => {
  const spec = compileMarkers('begin (?<name>\\w+)', 'done');
  const events = scan(spec, 'begin a\nbegin b\ndone\nbegin c\ndone\ndone\ndone\n');
  assert.deepEqual(events, [
    { event: 'start', task: '1', name: 'a' },
    { event: 'start', task: '2', name: 'b' },
    { event: 'end', task: '1' },
    { event: 'start', task: '3', name: 'c' },
    { event: 'end', task: '2' },
    { event: 'end', task: '3' },
  ]);
});

test('stdout and stderr scanners of one spec share the numbering', () => {
  const spec = compileMarkers('start', 'end');
  const events: BoundaryEvent[] = [];
  const stdout = createMarkerScanner(spec, (e) => events.push(e));
  const stderr = createMarkerScanner(spec, (e) => events.push(e));
  stdout.push(Buffer.from('start\n'));
  stderr.push(Buffer.from('end\n'));
  stdout.push(Buffer.from('start\n'));
  assert.deepEqual(events, [
    { event: 'start', task: '1' },
    { event: 'end', task: '1' },
    { event: 'start', task: '2' },
  ]);
  assert.deepEqual(scan(withFreshNumbering(spec), 'start\n'), [{ event: 'start', task: '1' }]);
});

test('only an end pattern: each end is the next numbered task', () => {
  assert.deepEqual(scan(compileMarkers(undefined, 'finished'), 'finished\nfinished\n'), [
    { event: 'end', task: '1' },
    { event: 'end', task: '2' },
  ]);
});

test('a bad regex is a UsageError with the engine message', () => {
  assert.throws(() => compileMarkers('('), (error: unknown) => {
    assert.ok(error instanceof UsageError);
    assert.equal(error.message, '--task-start: Invalid regular expression: /(/: Unterminated group');
    return true;
  });
  assert.throws(() => compileMarkers('ok', '[z-a]'), /^UsageError: --task-end: Invalid regular expression/);
});

test('lines past the cap are not matched, and counted', () => {
  const spec = compileMarkers('START', 'END');
  const events: BoundaryEvent[] = [];
  const scanner = createMarkerScanner(spec, (e) => events.push(e));
  scanner.push(Buffer.from('START' + 'x'.repeat(MAX_MARKER_LINE_BYTES) + '\nEND\n'));
  assert.equal(scanner.oversized, 1);
  // The end has nothing open to close.
  assert.deepEqual(events, []);
});
