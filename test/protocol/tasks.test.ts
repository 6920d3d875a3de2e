import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.js';
import { parseTasksArg } from '../../src/protocol/tasks.js';

const noFile = (): string => {
  throw new Error('should not read');
};

test('N gives tasks 1..N of type "task"', () => {
  const tasks = parseTasksArg('3', noFile);
  assert.deepEqual(tasks, [
    { task: '1', name: 'task', line: '{"task":"1","name":"task"}' },
    { task: '2', name: 'task', line: '{"task":"2","name":"task"}' },
    { task: '3', name: 'task', line: '{"task":"3","name":"task"}' },
  ]);
});

test('0 is refused', () => {
  assert.throws(() => parseTasksArg('0', noFile), UsageError);
});

test('a jsonl file: ids from the line or the line number, blank lines skipped, params kept', () => {
  const text = '{"task":"a","name":"send_email","params":{"to":"x"}}\n\n{"name":"parse_csv","task":9}\r\n  {"name":"build_report"}  \n';
  const tasks = parseTasksArg('tasks.jsonl', (path) => {
    assert.equal(path, 'tasks.jsonl');
    return text;
  });
  assert.deepEqual(
    tasks.map((t) => [t.task, t.name, t.params]),
    [
      ['a', 'send_email', { to: 'x' }],
      ['9', 'parse_csv', undefined],
      ['4', 'build_report', undefined],
    ],
  );
  assert.deepEqual(JSON.parse(tasks[1]!.line), { name: 'parse_csv', task: '9' });
  assert.deepEqual(JSON.parse(tasks[0]!.line), { task: 'a', name: 'send_email', params: { to: 'x' } });
});

test('a bad line names the file and the line number', () => {
  const text = Array.from({ length: 6 }, (_, i) => `{"task":"${i}","name":"n"}`).join('\n') + '\n{"task": oops}\n';
  assert.throws(() => parseTasksArg('tasks.jsonl', () => text), (error: unknown) => {
    assert.ok(error instanceof UsageError);
    assert.match(error.message, /^tasks\.jsonl:7: Unexpected token/);
    return true;
  });
  assert.throws(() => parseTasksArg('t.jsonl', () => '{"task":"1"}'), /t\.jsonl:1: "name"/);
  assert.throws(() => parseTasksArg('t.jsonl', () => '[1]'), /t\.jsonl:1: expected a JSON object/);
  assert.throws(() => parseTasksArg('t.jsonl', () => '{"task":"1","name":"a"}\n{"task":1,"name":"b"}'), /t\.jsonl:2: task id "1" is used twice/);
});

test('an unreadable or empty file is a UsageError', () => {
  const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
  assert.throws(
    () =>
      parseTasksArg('missing.jsonl', () => {
        throw enoent;
      }),
    (error: unknown) => error instanceof UsageError && error.message === '--tasks: missing.jsonl: cannot read (no such file)',
  );
  assert.throws(() => parseTasksArg('empty.jsonl', () => '\n\n'), /holds no tasks/);
});
