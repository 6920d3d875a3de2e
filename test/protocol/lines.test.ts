import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLineSplitter } from '../../src/protocol/lines.js';

function collect(maxLine: number) {
  const lines: string[] = [];
  let oversized = 0;
  const splitter = createLineSplitter({ maxLine, onLine: (line) => lines.push(line), onOversized: () => oversized++ });
  return { splitter, lines, oversized: () => oversized };
}

test('joins partial lines across chunks', () => {
  const { splitter, lines } = collect(100);
  for (const part of ['ab', 'c\nde', 'f\n', '\n', 'g']) splitter.push(Buffer.from(part));
  assert.deepEqual(lines, ['abc', 'def', '']);
  splitter.end();
  assert.deepEqual(lines, ['abc', 'def', '', 'g']);
});

test('strips CR of CRLF, even when CR and LF arrive in different chunks', () => {
  const { splitter, lines } = collect(3);
  splitter.push(Buffer.from('one\r'));
  splitter.push(Buffer.from('\ntwo\r\nx\ry\n'));
  assert.deepEqual(lines, ['one', 'two', 'x\ry']);
});

test('a line without a final newline is emitted at end(), and end() adds no empty line', () => {
  const { splitter, lines } = collect(100);
  splitter.push(Buffer.from('last'));
  assert.deepEqual(lines, []);
  splitter.end();
  splitter.end();
  assert.deepEqual(lines, ['last']);
});

test('multi-byte characters split across chunks decode whole', () => {
  const { splitter, lines } = collect(100);
  const bytes = Buffer.from('né😀\n');
  splitter.push(bytes.subarray(0, 2));
  splitter.push(bytes.subarray(2, 5));
  splitter.push(bytes.subarray(5));
  assert.deepEqual(lines, ['né😀']);
});

test('a 1 MB line is dropped and counted once; the lines around it survive', () => {
  const { splitter, lines, oversized } = collect(4096);
  splitter.push(Buffer.from('before\n' + 'y'.repeat(1000)));
  for (let i = 0; i < 1024; i++) splitter.push(Buffer.alloc(1024, 'z'));
  splitter.push(Buffer.from('tail\nafter\n'));
  assert.deepEqual(lines, ['before', 'after']);
  assert.equal(oversized(), 1);
});

test('exactly maxLine bytes is kept, one more is oversized, also at end()', () => {
  const { splitter, lines, oversized } = collect(4);
  splitter.push(Buffer.from('abcd\r\nabcde\nabcde'));
  splitter.end();
  assert.deepEqual(lines, ['abcd']);
  assert.equal(oversized(), 2);
});
