import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunResult, Sample, TaskRecord } from '../../src/model.js';
import { renderHtml, REPORT_CSP, SUMMARY_ELEMENT_ID } from '../../src/report/html.js';
import { makeRun, seededRandom, summarise } from '../helpers/sample-run.js';

const MB = 1024 * 1024;
const HOSTILE = '</script><svg onload=alert(1)>';
const FORMULA = '=HYPERLINK("http://evil.example/x","click")';
const QUOTES = `it's "quoted" & /slashed/`;
const LINE_SEP = 'line\u2028sep\u2029arator';

/** Every tag of the page with its quoted attribute values blanked: what is left are attribute names. */
function tagsWithoutValues(html: string): string[] {
  return (html.match(/<[^>]*>/g) ?? []).map((tag) => tag.replace(/"[^"]*"|'[^']*'/g, '""'));
}

function hostileRun(): RunResult {
  const run = makeRun({ names: [HOSTILE, FORMULA, QUOTES, LINE_SEP], commands: [`node ${HOSTILE}`, `python3 ${FORMULA}`] });
  run.command = ['node', HOSTILE, FORMULA, QUOTES, LINE_SEP];
  run.verdict.reason = `step ${HOSTILE}`;
  run.gates = [{ gate: `fail-on ${QUOTES}`, passed: false, message: `${HOSTILE} ${LINE_SEP}` }];
  return run;
}

function splitSummary(html: string): { page: string; json: string } {
  const open = `<script type="application/json" id="${SUMMARY_ELEMENT_ID}">`;
  const start = html.indexOf(open);
  const end = html.indexOf('</script>', start);
  assert.ok(start > 0 && end > start, 'the summary block is present');
  return { page: html.slice(0, start) + html.slice(end), json: html.slice(start + open.length, end) };
}

test('the top of the report carries the verdict, rates, projection and run facts', () => {
  const html = renderHtml(makeRun());
  assert.match(html, /<span class="badge leak large">Leak<\/span><span class="reason">sustained growth<\/span>/);
  assert.match(html, /<strong>\+1\.0 MB<\/strong> per task/);
  assert.match(html, /<strong>\+11\.7 GB<\/strong> per hour/);
  assert.match(html, /Limit 2\.0 GB <span class="muted">\(flag\)<\/span>: reached in <strong>9m28s – 9m52s<\/strong>, after 1,894 – 1,972 more tasks/);
  assert.match(html, /<code>node worker\.js --queue default<\/code>/);
  assert.ok(html.includes('<dd>2024-05-01 12:00:00 UTC</dd>'));
  assert.ok(html.includes('<dd>12.1s</dd>'));
  assert.ok(html.includes('<dd>exit code 0</dd>'));
  assert.ok(!html.includes('class="banner"'));
  assert.ok(html.includes(`content="${REPORT_CSP}"`));
  assert.match(REPORT_CSP, /default-src 'none'/);
});

test('tasks fed back to back: the card gives no rate per hour and the limit in tasks', () => {
  const run = makeRun();
  run.verdict.dispatched = true;
  const html = renderHtml(run);
  assert.match(html, /<strong>\+1\.0 MB<\/strong> per task/);
  assert.doesNotMatch(html, /per hour<\/li>|<strong>\+11\.7 GB<\/strong>/);
  assert.match(html, /no rate per hour: leakhunt fed the tasks back to back/);
  assert.match(html, /Limit 2\.0 GB <span class="muted">\(flag\)<\/span>: reached after 1,894 – 1,972 more tasks\./);
});

test('an incomplete run says so at the top, and no limit reads as "no memory limit known"', () => {
  const html = renderHtml(makeRun({ incomplete: true, limitBytes: null }));
  assert.match(html, /<div class="banner" role="alert"><strong>Incomplete run\.<\/strong> The worker stopped before the run finished \(killed by SIGKILL\)/);
  assert.ok(html.includes('Task 40 was in flight.'));
  assert.ok(html.includes('No memory limit known'));
});

test('the memory chart draws tree RSS and each process, marks task ends, and gives exact values', () => {
  const run = makeRun();
  const html = renderHtml(run);
  const chart = html.slice(html.indexOf('<svg class="chart" id="chart-memory"'), html.indexOf('</svg>'));
  const labels = [...chart.matchAll(/<g class="series[^"]*" data-label="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(labels, ['tree RSS (all processes)', 'pid 4242 · node worker.js --queue default', 'pid 4243 · python3 -m helper']);
  assert.equal((chart.match(/<g class="task-ends rules">/g) ?? []).length, 1);
  assert.equal((chart.match(/<line x1=[^>]*y1="26"/g) ?? []).length, run.tasks.length, 'one rule per task end');
  assert.ok((chart.match(/<rect [^>]*><title>/g) ?? []).length >= 50, 'hover columns with tooltips');
  assert.match(chart, /<title>[^<]*\(highest reading\)\ntree RSS \(all processes\): \d+\.\d MB/);
  assert.match(html, /<table class="data chart-data">/);
  assert.match(html, /<text class="tick" [^>]*>100 MB<\/text>/);
});

test('the task table is bounded, and attribution, processes, gates and health are listed', () => {
  const run = makeRun({ tasks: 200 });
  run.gates = [{ gate: 'fail-on leak', passed: false, message: 'verdict is leak' }];
  run.protocol.malformed = 3;
  const html = renderHtml(run);
  const tasks = html.slice(html.indexOf('<section id="tasks">'), html.indexOf('</section>', html.indexOf('<section id="tasks">')));
  const rows = (tasks.match(/<tr>/g) ?? []).length - 1;
  assert.ok(rows >= 20 && rows <= 30, `${rows} task rows`);
  assert.match(tasks, /Showing \d+ of 200 tasks: the first 10, the last 10 and the 10 that grew most; \d+ omitted\./);
  assert.match(tasks, /<tr class="gap"><td colspan="10">… \d+ tasks omitted …<\/td><\/tr>/);
  assert.match(html, /<section id="attribution">.*send_email/s);
  assert.match(html, /<section id="processes">.*python3 -m helper/s);
  assert.match(html, /<section id="gates">.*fail-on leak.*<span class="fail">failed<\/span>/s);
  assert.match(html, /Malformed boundary lines<\/td><td class="num">3</);
});

test('hostile worker strings appear only escaped; no handlers; the only script is the inert summary', () => {
  const run = hostileRun();
  const html = renderHtml(run);
  const { page, json } = splitSummary(html);
  for (const raw of [HOSTILE, FORMULA, QUOTES, '<svg onload', '\u2028', '\u2029', '"http://evil']) {
    assert.ok(!page.includes(raw), `raw ${JSON.stringify(raw)} in the page`);
  }
  assert.ok(page.includes('&lt;&#x2F;script&gt;&lt;svg onload=alert(1)&gt;'));
  assert.ok(page.includes('=HYPERLINK(&quot;http:&#x2F;&#x2F;evil.example&#x2F;x&quot;,&quot;click&quot;)'));
  assert.ok(page.includes('it&#39;s &quot;quoted&quot; &amp; &#x2F;slashed&#x2F;'));
  assert.ok(page.includes('line&#x2028;sep&#x2029;arator'));

  const handlers = tagsWithoutValues(html).filter((tag) => /\son[a-z]+\s*=/i.test(tag));
  assert.deepEqual(handlers, []);
  assert.deepEqual(html.match(/<script\b[^>]*>/gi), [`<script type="application/json" id="${SUMMARY_ELEMENT_ID}">`]);
  assert.equal(html.match(/<\/script/gi)?.length, 1);
  assert.ok(!/<(iframe|object|embed|link|img|foreignObject|a)\b/i.test(html), 'no element that could load anything');

  assert.ok(!/[<>&\u2028\u2029]/.test(json), 'summary JSON holds no raw < > & or line separators');
  assert.ok(json.includes('\\u003c/script\\u003e'));
  assert.deepEqual(JSON.parse(json).command, run.command);
});

test('a comparison draws one series per mode in both charts', () => {
  const modes = ['in-process', 'isolated', 'recycle:10', 'fork'];
  const html = renderHtml(makeRun({ modes }));
  for (const id of ['chart-modes-held', 'chart-modes-tree']) {
    const start = html.indexOf(`<svg class="chart" id="${id}"`);
    assert.ok(start > 0, `${id} present`);
    const chart = html.slice(start, html.indexOf('</svg>', start));
    const labels = [...chart.matchAll(/<g class="series[^"]*" data-label="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(labels, ['in-process', 'isolated', 'recycle:10', 'fork']);
    assert.ok((chart.match(/<polyline /g) ?? []).length >= modes.length);
  }
  const table = html.slice(html.indexOf('<table class="data modes">'), html.indexOf('</table>', html.indexOf('<table class="data modes">')));
  assert.equal((table.match(/<tr>/g) ?? []).length, 1 + modes.length);
  assert.match(table, /<td>in-process<\/td><td><span class="badge leak small">Leak<\/span>/);
  assert.match(table, /<td>isolated<\/td><td><span class="badge stable small">Stable<\/span>/);
  assert.equal((html.match(/<details class="mode">/g) ?? []).length, modes.length);
});

/** A day at 1 s: 86,400 ticks × 5 processes, and a task every 2 s (43,200 tasks). */
function dayLongRun(): RunResult {
  const random = seededRandom(7);
  const samples: Sample[] = [];
  const tasks: TaskRecord[] = [];
  for (let seq = 0; seq < 86_400; seq++) {
    const elapsedMs = seq * 1000;
    for (let p = 0; p < 5; p++) {
      const rss = (40 + p * 10) * MB + (p === 0 ? seq * 2048 : 0) + Math.round(random() * 2 * MB);
      samples.push({
        seq, elapsedMs, event: 'tick', pid: 100 + p, ppid: p === 0 ? 1 : 100, startTime: 1, command: `worker ${p}`,
        rssBytes: rss, vmsBytes: rss * 3, peakRssBytes: rss, fds: 10, threads: 4,
      });
    }
    if (seq % 2 === 1) {
      tasks.push({
        task: String(tasks.length + 1), name: `type_${tasks.length % 7}`, pid: 100, startMs: elapsedMs - 900, endMs: elapsedMs,
        durationMs: 900, ok: true, rssBeforeBytes: 50 * MB, rssAfterBytes: 50 * MB + 4096, deltaBytes: 4096 + ((tasks.length * 7919) % 65_536),
        treeRssBeforeBytes: 300 * MB, treeRssAfterBytes: 300 * MB + 4096, treeDeltaBytes: 4096,
      });
    }
  }
  const run = makeRun({ limitBytes: null });
  return { ...run, samples, tasks, processes: summarise(samples), durationMs: 86_400_000, intervalMs: 1000 };
}

test('a day-long run at 1 s with 5 processes renders to a small file', () => {
  const run = dayLongRun();
  const started = performance.now();
  const html = renderHtml(run);
  const ms = performance.now() - started;
  const bytes = Buffer.byteLength(html);
  console.log(`day-long run (${run.samples.length} samples, ${run.tasks.length} tasks): ${(bytes / 1024).toFixed(0)} KB in ${ms.toFixed(0)} ms`);
  assert.ok(bytes < 250 * 1024, `${bytes} bytes`);
  const chart = html.slice(html.indexOf('<svg class="chart" id="chart-memory"'), html.indexOf('</svg>'));
  assert.equal((chart.match(/<g class="series/g) ?? []).length, 6, 'tree and five processes');
  const points = [...chart.matchAll(/<polyline points="([^"]*)"/g)].map((m) => m[1]!.split(' ').length);
  assert.ok(points.every((n) => n <= 2 * 862), `points per line: ${points.join(', ')}`);
  const marks = (chart.match(/<g class="task-ends">(.*?)<\/g>/s)?.[1]?.match(/<line /g) ?? []).length;
  assert.ok(marks > 0 && marks <= 200, `${marks} task marks`);
  assert.match(html, /task end \(1 in 216 marked\)/);
  assert.match(html, /Showing 30 of 43,200 tasks/);
  assert.match(chart, /<text class="tick" [^>]*>18h00m<\/text>/);
});

test('a worker that never started, and a comparison with a failed mode, still render', () => {
  const run = makeRun({ limitBytes: null });
  const failed: RunResult = {
    ...run, samples: [], tasks: [], processes: [], attribution: [], durationMs: 0, incomplete: true,
    exit: { code: 127, signal: null, startError: 'ENOENT: no-such-worker' },
    verdict: { ...run.verdict, status: 'insufficient', reason: 'too few tasks', bytesPerTask: null, bytesPerTaskCI: null, bytesPerHour: null, bytesPerHourCI: null, statistic: undefined, window: undefined, projection: null },
  };
  const html = renderHtml(failed);
  assert.match(html, /<span class="badge insufficient large">Insufficient data<\/span>/);
  assert.ok(html.includes('failed to start: ENOENT: no-such-worker'));
  assert.ok(html.includes('No samples were recorded'));
  assert.ok(html.includes('no rate per task'));

  const comparison = makeRun({ modes: ['in-process', 'isolated'] });
  const broken = comparison.modes![1]!;
  Object.assign(broken, { samples: [], tasks: [], processes: [], attribution: [], failure: 'spawn failed: EACCES' });
  const compared = renderHtml(comparison);
  assert.match(compared, /<td>spawn failed: EACCES<\/td>/);
  const held = compared.slice(compared.indexOf('id="chart-modes-held"'), compared.indexOf('</svg>', compared.indexOf('id="chart-modes-held"')));
  assert.equal((held.match(/<g class="series/g) ?? []).length, 2, 'the failed mode keeps its place in the legend');
});

test('unreadable readings break the lines instead of dropping to zero', () => {
  const run = makeRun({ tasks: 4 });
  for (const sample of run.samples) if (sample.seq >= 10 && sample.seq < 14) sample.rssBytes = null;
  const html = renderHtml(run);
  const chart = html.slice(html.indexOf('id="chart-memory"'), html.indexOf('</svg>'));
  const tree = chart.slice(chart.indexOf('data-label="tree RSS'), chart.indexOf('</g>', chart.indexOf('data-label="tree RSS')));
  assert.equal((tree.match(/<polyline /g) ?? []).length, 2);
  assert.match(chart, /<text class="tick" [^>]*>0 B<\/text>/);
  const lowest = Math.max(...[...tree.matchAll(/(\d+(?:\.\d)?),(\d+(?:\.\d)?)/g)].map((m) => Number(m[2])));
  assert.ok(lowest < 26 + 272 - 100, 'no point sits near the zero line');
});
