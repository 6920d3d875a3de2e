import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { renderStatusLine } from '../../src/render/status-line.js';
import { createStyle } from '../../src/render/color.js';

const verdict = { status: 'leak' as const, bytesPerTask: 1024 * 1024, bytesPerHour: 3e9 };

test('one line with elapsed time, processes, tree RSS, tasks and the trend', () => {
  const line = renderStatusLine({ elapsedMs: 93_000, processCount: 2, treeRssBytes: 120 * 1024 * 1024, tasksDone: 33, verdict, width: 120 });
  assert.equal(line, 'leakhunt 1m33s · 2 procs · tree RSS 120.0 MB · 33 tasks · leak +1.0 MB/task');
  assert.equal(renderStatusLine({ elapsedMs: 500, processCount: 1, treeRssBytes: 1000 }), 'leakhunt 500ms · 1 proc · tree RSS 1000 B');
  assert.match(renderStatusLine({ elapsedMs: 0, processCount: 1, treeRssBytes: 0, verdict: { ...verdict, status: 'insufficient' } }), /insufficient gathering data$/);
});

test('never wider than the terminal (minus one), never a line break, keeps RSS and trend longest', () => {
  for (const width of [10, 20, 30, 40, 50, 60, 80]) {
    const line = renderStatusLine({ elapsedMs: 3_600_000, processCount: 12, treeRssBytes: 3e9, tasksDone: 12_345, verdict, width, style: createStyle({ color: true }) });
    const bare = stripVTControlCharacters(line);
    assert.ok([...bare].length <= width - 1 || width <= 10, `${width}: ${bare}`);
    assert.ok(!bare.includes('\n') && !bare.includes('\r'));
  }
  const state = { elapsedMs: 93_000, processCount: 2, treeRssBytes: 3e9, tasksDone: 33, verdict };
  assert.equal(renderStatusLine({ ...state, width: 60 }), 'leakhunt 1m33s · tree RSS 2.8 GB · leak +1.0 MB/task');
  assert.equal(renderStatusLine({ ...state, width: 50 }), 'tree RSS 2.8 GB · leak +1.0 MB/task');
});
