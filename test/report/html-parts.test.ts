import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, jsonForScript, truncate } from '../../src/report/html-escape.js';
import { bytesAxis, countAxis, niceStep, timeAxis } from '../../src/report/svg-ticks.js';
import { MinMaxBuckets } from '../../src/report/svg-downsample.js';
import { PointColumns } from '../../src/report/point-columns.js';
import { evenColumns, processLines, taskColumns, taskEndMarks, treeRssPoints } from '../../src/report/html-series.js';
import { reduceSeries } from '../../src/report/series-reducer.js';
import { scanMemory, streamMemorySeries } from '../../src/report/memory-scan.js';
import { extent, memoryFigure } from '../../src/report/html-memory.js';
import type { Sample } from '../../src/model.js';
import { selectTasks } from '../../src/report/html-table.js';
import type { ShownTask } from '../../src/format/select.js';
import { makeRun, seededRandom } from '../helpers/sample-run.js';
import { columnsOf, pointsOf, type Point } from '../helpers/point-columns.js';

const MB = 1024 * 1024;

test('escapeHtml encodes the OWASP set, line separators and control characters', () => {
  assert.equal(escapeHtml(`&<>"'/`), '&amp;&lt;&gt;&quot;&#39;&#x2F;');
  assert.equal(escapeHtml('a\u2028b\u2029c'), 'a&#x2028;b&#x2029;c');
  assert.equal(escapeHtml('nul\u0000bell\u0007 tab\tok'), 'nul\uFFFDbell\uFFFD tab\tok');
  assert.equal(escapeHtml('</script><svg onload=alert(1)>'), '&lt;&#x2F;script&gt;&lt;svg onload=alert(1)&gt;');
  assert.equal(escapeHtml(null), '');
});

test('jsonForScript cannot close a script element and round-trips', () => {
  const value = { name: '</script><!-- \u2028\u2029 & >' };
  const json = jsonForScript(value);
  assert.ok(!json.includes('<') && !json.includes('>') && !json.includes('&'));
  assert.ok(!json.includes('\u2028') && !json.includes('\u2029'));
  assert.ok(json.includes('\\u003c/script\\u003e'));
  assert.deepEqual(JSON.parse(json), value);
});

test('truncate keeps short text and cuts long text on a character boundary', () => {
  assert.equal(truncate('short', 10), 'short');
  assert.equal(truncate('😀😀😀😀', 3), '😀😀…');
});

test('niceStep picks 1-2-2.5-5 steps', () => {
  assert.equal(niceStep(10), 2);
  assert.equal(niceStep(100), 20);
  assert.equal(niceStep(13), 2.5);
  assert.equal(niceStep(7, [1, 2, 5, 10]), 2);
});

test('bytesAxis gives round binary ticks with human labels', () => {
  const axis = bytesAxis(50 * MB, 120 * MB);
  assert.deepEqual(axis.ticks, [40, 60, 80, 100, 120].map((n) => n * MB));
  assert.deepEqual(axis.ticks.map(axis.format), ['40 MB', '60 MB', '80 MB', '100 MB', '120 MB']);
  const fromZero = bytesAxis(10 * MB, 100 * MB);
  assert.equal(fromZero.min, 0);
  assert.equal(fromZero.format(0), '0 B');
  const fine = bytesAxis(50 * MB, 50.2 * MB);
  assert.equal(new Set(fine.ticks.map(fine.format)).size, fine.ticks.length, 'labels are distinct');
  const flat = bytesAxis(64 * MB, 64 * MB);
  assert.ok(flat.min < 64 * MB && flat.max > 64 * MB);
});

test('timeAxis uses clock steps for long runs and 1-2-5 ms for short ones', () => {
  const day = timeAxis(0, 86_400_000);
  assert.deepEqual(day.ticks.map(day.format), ['0', '6h00m', '12h00m', '18h00m', '24h00m']);
  const ninetyMinutes = timeAxis(0, 5_400_000);
  assert.deepEqual(ninetyMinutes.ticks.map(ninetyMinutes.format), ['0', '15m00s', '30m00s', '45m00s', '1h00m', '1h15m', '1h30m']);
  const short = timeAxis(0, 12_100);
  assert.deepEqual(short.ticks.map(short.format), ['0', '2.0s', '4.0s', '6.0s', '8.0s', '10.0s', '12.0s']);
  const tiny = timeAxis(0, 700);
  assert.deepEqual(tiny.ticks, [0, 200, 400, 600]);
});

test('countAxis has whole task numbers only', () => {
  const axis = countAxis(1, 17);
  assert.ok(axis.ticks.every(Number.isInteger));
  assert.deepEqual(axis.ticks, [5, 10, 15]);
  assert.deepEqual(countAxis(1, 4).ticks, [1, 2, 3, 4]);
  assert.equal(countAxis(1, 12_000).format(10_000), '10,000');
});

function minMax(points: readonly Point[], xMin: number, xMax: number, buckets: number) {
  const reduced = new MinMaxBuckets(xMin, xMax, buckets);
  for (const { x, y } of points) reduced.push(x, y);
  return reduced.finish();
}

test('MinMaxBuckets keeps each bucket’s extremes in order and breaks at nulls', () => {
  const points = [
    { x: 0, y: 5 }, { x: 1, y: 9 }, { x: 2, y: 1 }, { x: 3, y: 4 },
    { x: 10, y: 3 }, { x: 11, y: null }, { x: 12, y: 7 }, { x: 13, y: 2 },
  ];
  const segments = minMax(points, 0, 16, 4);
  assert.deepEqual(segments, [
    [{ x: 1, y: 9 }, { x: 2, y: 1 }, { x: 10, y: 3 }],
    [{ x: 12, y: 7 }, { x: 13, y: 2 }],
  ]);
  const long = Array.from({ length: 100_000 }, (_, i) => ({ x: i, y: Math.sin(i / 50) + (i === 54_321 ? 10 : 0) }));
  const reduced = minMax(long, 0, 99_999, 500).flat();
  assert.ok(reduced.length <= 1000);
  assert.ok(reduced.some((p) => p.x === 54_321), 'a one-sample spike survives');
});

test('taskEndMarks caps the marks and keeps every n-th task', () => {
  const run = makeRun({ tasks: 50 });
  const all = taskEndMarks(run.tasks, 200);
  assert.equal(all.marks.length, 50);
  assert.equal(all.step, 1);
  const capped = taskEndMarks(run.tasks, 20);
  assert.equal(capped.step, 3);
  assert.equal(capped.marks.length, 16);
  assert.equal(capped.marks[0], run.tasks[2]!.endMs);
});

test('reduceSeries finds the highest reading per column', () => {
  const columns = taskColumns(1, 4, 2);
  assert.deepEqual(columns.map((c) => c.label), ['tasks 1–2', 'tasks 3–4']);
  const axis = countAxis(1, 4);
  const a = reduceSeries({ label: 'a', points: columnsOf([{ x: 1, y: 10 }, { x: 2, y: 30 }, { x: 3, y: 20 }, { x: 4, y: null }]) }, axis, columns);
  const b = reduceSeries({ label: 'b', points: columnsOf([{ x: 4, y: 7 }]) }, axis, columns);
  assert.deepEqual([a.peaks, b.peaks], [[30, 20], [null, 7]]);
  assert.deepEqual(b.segments, [[{ x: 4, y: 7 }]]);
});

function row(seq: number, elapsedMs: number, pid: number, rssBytes: number | null): Sample {
  return { seq, elapsedMs, event: 'tick', pid, ppid: 1, startTime: pid * 10, command: `w${pid}`, rssBytes, vmsBytes: null, peakRssBytes: null, fds: null, threads: null };
}

test('treeRssPoints sums each snapshot at its first row’s time, null when nothing was read, whatever the row order', () => {
  const inOrder = [row(0, 0, 1, 100), row(0, 1, 2, 20), row(1, 50, 1, 110), row(1, 50, 2, null), row(2, 100, 1, null)];
  assert.deepEqual(pointsOf(treeRssPoints(inOrder)), [{ x: 0, y: 120 }, { x: 50, y: 110 }, { x: 100, y: null }]);
  assert.deepEqual(pointsOf(treeRssPoints(inOrder, 50)), [{ x: -50, y: 120 }, { x: 0, y: 110 }, { x: 50, y: null }]);
  // A snapshot's rows split apart, and snapshots out of time order: the same points, sorted by time.
  const shuffled = [row(1, 50, 1, 110), row(0, 0, 1, 100), row(2, 100, 1, null), row(1, 51, 2, null), row(0, 1, 2, 20)];
  assert.deepEqual(pointsOf(treeRssPoints(shuffled)), [{ x: 0, y: 120 }, { x: 50, y: 110 }, { x: 100, y: null }]);
});

test('processLines: one line per pid and start time, largest peak first, the rest counted', () => {
  const samples = [row(0, 0, 1, 10), row(0, 0, 2, 50), row(0, 0, 3, 5), row(1, 60, 2, null), row(1, 60, 1, 30), row(2, 30, 3, 7)];
  const { lines, hidden } = processLines(samples, 2);
  assert.deepEqual(lines.map((l) => l.label), ['pid 2 · w2', 'pid 1 · w1']);
  assert.deepEqual(lines.map((l) => pointsOf(l.points)), [[{ x: 0, y: 50 }, { x: 60, y: null }], [{ x: 0, y: 10 }, { x: 60, y: 30 }]]);
  assert.equal(hidden, 1);
  assert.deepEqual(pointsOf(processLines(samples, 3).lines[2]!.points), [{ x: 0, y: 5 }, { x: 30, y: 7 }]);
});

test('PointColumns grows past its first capacity and sorts by x only when it must', () => {
  const columns = new PointColumns();
  for (let i = 0; i < 1000; i++) columns.push(999 - i, i % 7 === 0 ? null : i);
  assert.equal(columns.length, 1000);
  assert.equal(columns.y(7), null);
  columns.sortByX();
  assert.deepEqual([columns.x(0), columns.y(0), columns.x(999), columns.y(999)], [0, 999, 999, null]);
  columns.push(1000, 1);
  columns.addToLast(2);
  assert.equal(columns.y(1000), 3);
});

test('selectTasks shows the first, last and largest tasks with gaps', () => {
  const run = makeRun({ tasks: 100, seed: 3 });
  const selection = selectTasks(run.tasks);
  const shown = selection.rows.filter((row): row is ShownTask => 'index' in row);
  for (const row of shown) assert.equal(row.task, run.tasks[row.index], 'each row carries its own task');
  const gaps = selection.rows.filter((row): row is { omitted: number } => 'omitted' in row);
  assert.equal(shown.length + selection.omitted, 100);
  assert.equal(gaps.reduce((sum, gap) => sum + gap.omitted, 0), selection.omitted);
  assert.deepEqual(shown.slice(0, 10).map((row) => row.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(shown.slice(-10).map((row) => row.index), [90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
  const largest = [...run.tasks.keys()].sort((a, b) => run.tasks[b]!.deltaBytes! - run.tasks[a]!.deltaBytes! || a - b).slice(0, 10);
  assert.deepEqual(shown.filter((row) => row.largest).map((row) => row.index), largest.sort((a, b) => a - b));
  assert.equal(selectTasks(run.tasks.slice(0, 30)).omitted, 0);
});

/** A recording as leakhunt writes it: a snapshot's rows at one time, `processes` workers (pids reused), some between lives, some unreadable at times. */
function recording(snapshots: number, processes: number, seed: number): Sample[] {
  const random = seededRandom(seed);
  const rows: Sample[] = [];
  for (let seq = 0; seq < snapshots; seq++) {
    const at = seq * 1000 + Math.floor(random() * 50);
    for (let p = 1; p <= processes; p++) {
      if ((seq + p * 37) % 500 < 40) continue; // a process between lives
      const life = Math.floor((seq + p * 37) / 500);
      const rss = random() < 0.01 ? null : Math.round((20 + p * 3 + life + random() * 2) * MB + seq * p * 100);
      rows.push({ ...row(seq, at, p, rss), startTime: p * 10 + life });
    }
  }
  return rows;
}

test('the memory chart streamed in two passes draws exactly what the held, sorted series draw', () => {
  for (const [processes, maxLines] of [[12, 8], [3, 8], [1, 8]] as const) {
    const samples = recording(3000, processes, processes);
    const scan = scanMemory(samples);
    assert.equal(scan.ordered, true);
    const tree = { label: 'tree RSS (all processes)', points: treeRssPoints(samples) };
    const { lines, hidden } = processLines(samples, maxLines);
    assert.equal(scan.snapshots, tree.points.length);
    assert.deepEqual(scan.ranked.slice(0, maxLines).map((p) => p.label), lines.map((l) => l.label));
    assert.equal(scan.ranked.length - lines.length, hidden);
    const drawn = lines.length > 1 ? [tree, ...lines] : [tree];
    const x = timeAxis(0, extent(drawn, 'x')[1]);
    const columns = evenColumns(x.min, x.max, 100, x.format);
    const held = drawn.map((series) => reduceSeries(series, x, columns));
    const streamed = streamMemorySeries(samples, lines.length > 1 ? scan.ranked.slice(0, maxLines) : [], x, columns);
    assert.deepEqual(streamed, held, `${processes} processes`);
    assert.deepEqual([scan.tree.yMin, scan.tree.yMax], extent([tree], 'y'));
    assert.ok(held[0]!.segments.flat().length > 500, 'the tree line is drawn across the plot');
  }
});

test('the scan finds rows out of recording order, which the chart then sorts held whole', () => {
  const samples = recording(50, 2, 1);
  assert.equal(scanMemory(samples).ordered, true);
  assert.equal(scanMemory([...samples.slice(10), ...samples.slice(0, 10)]).ordered, false, 'snapshots out of order');
  const i = samples.findIndex((s, j) => s.seq === samples[j + 1]?.seq);
  const split = [...samples.slice(0, i + 1), samples[i + 2]!, samples[i + 1]!, ...samples.slice(i + 3)];
  assert.equal(split[i]!.seq, split[i + 2]!.seq);
  assert.notEqual(split[i]!.seq, split[i + 1]!.seq);
  assert.equal(scanMemory(split).ordered, false, 'a snapshot’s rows apart');
  const backwards = samples.map((s) => (s.seq === 20 ? { ...s, elapsedMs: 5 } : s));
  assert.equal(scanMemory(backwards).ordered, false, 'time going back');
});

test('memoryFigure draws a recording shuffled (held and sorted) exactly as in order (streamed)', () => {
  const samples = recording(400, 10, 7);
  const random = seededRandom(3);
  const shuffled = samples.map((sample) => ({ sample, key: random() })).sort((a, b) => a.key - b.key).map((s) => s.sample);
  assert.equal(scanMemory(shuffled).ordered, false);
  const limit = { bytes: 200 * MB, source: 'flag' as const };
  const inOrder = memoryFigure(samples, [], limit);
  assert.match(inOrder, /smaller processes not drawn/);
  assert.match(inOrder, /<polyline /);
  assert.equal(memoryFigure(shuffled, [], limit), inOrder);
});
