// Under GitHub Actions: the step summary is appended (well-formed Markdown, far below 1 MiB) and a
// failed gate prints an ::error:: annotation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';
import { renderMarkdown } from '../../src/report/md.js';
import { makeRun } from '../helpers/sample-run.js';

/** Every table row of a Markdown table has as many cells as its header. */
function assertTablesWellFormed(markdown: string): number {
  const lines = markdown.split('\n');
  let tables = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!/^\|.*\|$/.test(lines[i]!) || !/^\|[\s:|-]+\|$/.test(lines[i + 1] ?? '')) continue;
    tables++;
    const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
    const width = cells(lines[i]!);
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) assert.equal(cells(lines[j]!), width, `row ${j}: ${lines[j]}`);
  }
  return tables;
}

function whyNotLeak(report: string): string {
  try {
    const mode = (JSON.parse(readFileSync(report, 'utf8')) as { modes: Array<{ verdict: { status: string; reason: string }; tasks: Array<{ treeRssAfterBytes: number | null }> }> }).modes[0]!;
    return `verdict: ${mode.verdict.status} (${mode.verdict.reason}); held after each task (KiB): ${mode.tasks.map((t) => (t.treeRssAfterBytes === null ? 'null' : Math.round(t.treeRssAfterBytes / 1024))).join(' ')}`;
  } catch (error) {
    return `no report: ${String(error)}`;
  }
}

test('compare under GitHub Actions appends a well-formed step summary and annotates a failed gate', { timeout: 60_000 }, async () => {
  const tmp = tempDir();
  try {
    const summary = tmp.path('summary.md');
    writeFileSync(summary, '# earlier step\n');
    const run = await leakhunt(['compare', '--tasks', '60', '--modes', 'isolated', '--interval', '100ms', '--json', tmp.path('c.json'), '--', process.execPath, fixture('grows-with-input.js')], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
      timeoutMs: 55_000,
    });
    // On a failure, the verdict's reason and the per-task figures say why the gate did not fail.
    assert.equal(run.code, 1, `${run.stderr}\n${whyNotLeak(tmp.path('c.json'))}`);
    assert.match(run.stdout, /^::error title=leakhunt gate failed::isolated still grows/m);
    const markdown = readFileSync(summary, 'utf8');
    assert.ok(markdown.startsWith('# earlier step\n'), 'appended, not overwritten');
    assert.ok(assertTablesWellFormed(markdown) >= 1);
    assert.match(markdown, /isolated/);
  } finally {
    tmp.cleanup();
  }
});

test('the Markdown summary of a long run stays far below the 1 MiB step-summary limit', () => {
  const long = makeRun({ tasks: 100_000, names: Array.from({ length: 5000 }, (_, i) => `type_${i}`) });
  const markdown = renderMarkdown(long);
  assert.ok(Buffer.byteLength(markdown) < 256 * 1024, `${Buffer.byteLength(markdown)} bytes`);
  assert.ok(assertTablesWellFormed(markdown) >= 2);
});
