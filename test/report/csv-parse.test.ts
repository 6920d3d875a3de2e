import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTextCell, parseCsv } from '../../src/report/csv-parse.js';

test('quoted fields, doubled quotes, embedded line breaks, CRLF and LF', () => {
  const { records, complete } = parseCsv('a,"b ""q"", c","multi\r\nline"\r\n1,,3\n"",x,"y\n"\n');
  assert.equal(complete, true);
  assert.deepEqual(records, [['a', 'b "q", c', 'multi\r\nline'], ['1', '', '3'], ['', 'x', 'y\n']]);
});

test('a byte order mark is skipped', () => {
  assert.deepEqual(parseCsv('\uFEFFa,b\r\n').records, [['a', 'b']]);
});

test('a last record without its line break is left out and flagged', () => {
  assert.deepEqual(parseCsv('a,b\r\n1,2\r\n3,4').records, [['a', 'b'], ['1', '2']]);
  assert.equal(parseCsv('a,b\r\n3,4').complete, false);
  assert.equal(parseCsv('a,b\r\n3,"open\r\n').complete, false, 'cut inside a quoted field');
  assert.equal(parseCsv('a,b\r\n3,4\r').complete, false, 'cut between CR and LF');
  assert.equal(parseCsv('').complete, true);
});

test('the formula prefix stays on the cell; decodeTextCell takes exactly one off', () => {
  const [[cell]] = parseCsv(`"'=1+1"\r\n`).records as [[string]];
  assert.equal(cell, "'=1+1");
  assert.equal(decodeTextCell(cell), '=1+1');
  assert.equal(decodeTextCell("''quoted"), "'quoted");
  assert.equal(decodeTextCell('plain'), 'plain');
});
