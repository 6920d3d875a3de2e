// Allocation sites in every output, with names a hostile worker could send: no formula in the
// CSV, no markup in the HTML or Markdown, no control character on the terminal, and the JSON
// reads back as written (and refuses a malformed site).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import type { AllocationSite } from '../../src/model.js';
import { allocationCsv } from '../../src/report/csv-allocations.js';
import { decodeTextCell } from '../../src/report/csv-parse.js';
import { renderHtml } from '../../src/report/html.js';
import { parseReport, toJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/md.js';
import { allocationLines } from '../../src/render/allocations.js';
import { createStyle } from '../../src/render/color.js';
import { makeRun } from '../helpers/sample-run.js';

const HOSTILE_TYPE = '=HYPERLINK("http://x","y")\u001b[2J<b>';
const HOSTILE_FILE = '+cmd|/C calc!A0<script>alert(1)</script>.py';
const HOSTILE_FUNCTION = '@SUM(1)\u001b]0;title\u0007\nnext';

function hostileRun() {
  const run = makeRun({ tasks: 12, names: ['plain'] });
  const stack = [
    { file: '/usr/lib/python3.11/json/decoder.py', line: 353, function: HOSTILE_FUNCTION },
    { file: HOSTILE_FILE, line: 30, function: '-handle' },
  ];
  const sites: AllocationSite[] = [
    { name: HOSTILE_TYPE, file: stack[0]!.file, line: 353, function: HOSTILE_FUNCTION, bytesPerRun: 262_144, runs: 11, stack },
    { name: HOSTILE_TYPE, file: HOSTILE_FILE, line: 30, function: '-handle', bytesPerRun: 4_096, runs: 11, stack: [stack[1]!] },
  ];
  run.attribution = [{ name: HOSTILE_TYPE, runs: 12, firstRunBytes: 300_000, repeatBytesPerRun: 262_144, retainedBytes: 3_000_000, kind: 'leak' }];
  run.allocations = sites;
  run.allocationNotes = [`${HOSTILE_TYPE}: 2 repeats traced`];
  return run;
}

test('CSV: one row per site, no text cell starts a formula, and every name reads back', () => {
  const rows = parse(allocationCsv(hostileRun()), { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, 2);
  for (const row of rows) {
    for (const column of ['name', 'file', 'function', 'user_file', 'user_function', 'stack']) {
      assert.doesNotMatch(row[column]!, /^[=+\-@\t\r\n]/, `${column}: ${JSON.stringify(row[column])}`);
    }
  }
  assert.equal(decodeTextCell(rows[0]!.name!), HOSTILE_TYPE);
  assert.equal(decodeTextCell(rows[0]!.function!), HOSTILE_FUNCTION);
  assert.equal(decodeTextCell(rows[0]!.user_file!), HOSTILE_FILE);
  assert.equal(rows[0]!.bytes_per_run, '262144');
  assert.equal(rows[1]!.user_file, '');
});

test('HTML: the sites section escapes every worker-provided name', () => {
  const html = renderHtml(hostileRun());
  const section = html.slice(html.indexOf('<section id="allocations">'), html.indexOf('</section>', html.indexOf('<section id="allocations">')));
  assert.ok(section.length > 0, 'the section is there');
  assert.doesNotMatch(section, /<script|<b>|\u001b|\u0007/);
  assert.match(section, /&lt;script&gt;alert\(1\)&lt;&#x2F;script&gt;/);
  assert.match(section, /\+256\.0 KB/);
});

test('terminal: one line per site, no control character, the user frame behind the library site', () => {
  const lines = allocationLines(hostileRun(), createStyle({ color: false }));
  for (const line of lines) assert.doesNotMatch(line, /[\u0000-\u001f\u007f]/, JSON.stringify(line));
  assert.equal(lines.length, 4);
  assert.match(lines[1]!, /^ {2}\/usr\/lib\/python3\.11\/json\/decoder\.py:353 @SUM\(1\) \]0;title  next {2}\+256\.0 KB per run {2}\(from \+cmd\|\/C calc!A0<script>/);
});

test('Markdown: the top site of the leaking type, inert', () => {
  const md = renderMarkdown(hostileRun());
  const part = md.slice(md.indexOf('### Where it grows'));
  const first = part.split('\n')[2]!;
  assert.match(first, /^- \*\*=HYPERLINK/);
  assert.doesNotMatch(part, /<script|<b>|\u001b/);
  assert.match(first, /\+256\.0 KB per run over 11 repeats, reached from/);
});

test('JSON: sites read back as written; a malformed site is refused with its field named', () => {
  const run = hostileRun();
  const { result } = parseReport(toJson(run), 'run.json');
  assert.deepEqual(result.allocations, run.allocations);
  assert.deepEqual(result.allocationNotes, run.allocationNotes);
  const broken = JSON.parse(toJson(run));
  broken.allocations[1].stack[0].line = 'thirty';
  assert.throws(() => parseReport(JSON.stringify(broken), 'run.json'), /run\.json: allocations\[1\]\.stack\[0\]\.line is not a number/);
});
