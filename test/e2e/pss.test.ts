// --metric pss on a real forked pool: summed RSS counts the pages the children share with their
// parent once per process; the PSS total the verdict and the charts then read counts them once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';

// Debian's interpreter when there is one: no version-manager shims in the tree.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const MiB = 1024 * 1024;

test('a forked pool: summed RSS over-counts shared pages, the PSS total that --metric pss judges does not', { skip: process.platform === 'linux' ? false : 'PSS is read from /proc (Linux)', timeout: 60_000 }, async () => {
  const tmp = tempDir();
  try {
    // 4 children forked from a parent holding 32 MiB.
    const run = await leakhunt(['watch', '--interval', '100ms', '--metric', 'pss', '--json', tmp.path('r.json'), '--html', tmp.path('r.html'),
      '--', PYTHON, fixture('prefork-pool.py'), '4', '150', '32'], { timeoutMs: 50_000 });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(readFileSync(tmp.path('r.json'), 'utf8')) as {
      metric: string; verdict: { series: string };
      samples: Array<{ seq: number; rssBytes: number; pssBytes: number | null }>;
    };
    assert.equal(report.metric, 'pss');
    assert.equal(report.verdict.series, 'tree-pss');
    // The sample that saw the whole pool: every process's RSS holds the 32 MiB, their PSS shares it.
    const bySeq = new Map<number, { rss: number; pss: number; count: number }>();
    for (const s of report.samples) {
      const point = bySeq.get(s.seq) ?? { rss: 0, pss: 0, count: 0 };
      point.rss += s.rssBytes;
      point.pss += s.pssBytes ?? 0;
      point.count++;
      bySeq.set(s.seq, point);
    }
    const full = [...bySeq.values()].filter((p) => p.count === 5).at(-1);
    assert.ok(full, 'a sample saw the parent and its 4 children');
    assert.ok(full.rss > 5 * 32 * MiB, `summed RSS ${full.rss}`);
    assert.ok(full.pss > 32 * MiB && full.pss < 2 * 32 * MiB, `summed PSS ${full.pss}`);
    // The terminal chart and the HTML chart draw the PSS total.
    assert.match(run.stderr, /tree PSS over time/);
    // The top label ends in ┼ when the line starts on the top row (asciichart marks the crossing), else ┤.
    const top = /tree PSS over time\n\s*([\d.]+) MB[┤┼]/.exec(run.stderr);
    const chart = run.stderr.slice(run.stderr.indexOf('tree PSS over time'), run.stderr.indexOf('tree PSS over time') + 200);
    assert.ok(top && Number(top[1]) < (2 * 32 * MiB) / 1e6, `chart top ${top?.[1]} MB in:\n${chart}`);
    assert.match(readFileSync(tmp.path('r.html'), 'utf8'), /tree PSS \(all processes\)/);
  } finally {
    tmp.cleanup();
  }
});
