// Fault matrix rows 9 and 11: many processes starting and exiting under a fast interval. The
// fake-/proc unit tests (test/sampler/linux-fake.test.ts) cover a process vanishing between
// the listing and each read; these run the real thing end to end. Process creation is slow on
// small VMs (10–30 ms per fork measured on the 2-core CI machine), so npm test uses 200
// children for row 11 and the soak (npm run soak) the 2,000 of the issue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';
import { readJson, startLeakhunt, trackPeak } from './support.js';

const skip = process.platform !== 'linux' ? 'the fault matrix runs on Linux' : false;

interface ChurnReport {
  exit: { code: number };
  processes: Array<{ pid: number; ppid: number }>;
  samples: Array<{ seq: number }>;
  vanished: number;
  slowTicks: number;
}

test('row 9: 50 processes exiting per second at a 10 ms interval: no exception, every child seen, vanishings counted', { skip, timeout: 30_000 }, async () => {
  const tmp = tempDir();
  try {
    // 100 children, one every 20 ms (50 a second), each living 100 ms.
    const run = await startLeakhunt(['watch', '-q', '--interval', '10ms', '--json', tmp.path('r.json'), '--', 'python3', fixture('faults', 'fork-burst.py'), '100', '100', '20'], { timeoutMs: 25_000 }).finished;
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'nothing on stderr: no exception, no warning');
    const report = readJson<ChurnReport>(tmp.path('r.json'));
    const root = report.processes[0]!.pid;
    const children = report.processes.filter((p) => p.ppid === root);
    // Each child lives 100 ms, ten intervals: none can slip between two ticks unless ticks were skipped.
    assert.ok(children.length >= 90, `saw ${children.length} of 100 children (${report.slowTicks} slow ticks)`);
    assert.ok(Number.isInteger(report.vanished) && report.vanished >= 0, `vanished: ${report.vanished}`);
  } finally {
    tmp.cleanup();
  }
});

/** Peak RSS allowed for leakhunt reading 200 short-lived processes every 5 ms for a few seconds. */
const PEAK_RSS_BOUND = 200 * 1024 * 1024;

test('row 11: 200 short-lived children at once: leakhunt\'s peak RSS stays bounded and slow ticks are flagged', { skip, timeout: 45_000 }, async (t) => {
  const tmp = tempDir();
  try {
    // All forked at once, each living 1 s; a 5 ms interval is shorter than one read of the tree.
    const started = startLeakhunt(['watch', '-q', '--interval', '5ms', '--json', tmp.path('r.json'), '--', 'python3', fixture('faults', 'fork-burst.py'), '200', '1000', '0'], { timeoutMs: 40_000 });
    const peak = trackPeak(started.pid);
    const run = await started.finished;
    const peakBytes = peak.stop();
    assert.equal(run.code, 0, run.stderr);
    const report = readJson<ChurnReport>(tmp.path('r.json'));
    const root = report.processes[0]!.pid;
    assert.ok(report.processes.filter((p) => p.ppid === root).length >= 150, 'most children were sampled');
    assert.ok(report.slowTicks > 0, 'ticks slower than the interval are counted');
    assert.ok(peakBytes > 0 && peakBytes < PEAK_RSS_BOUND, `leakhunt peak RSS ${Math.round(peakBytes / 1048576)} MiB`);
    t.diagnostic(`peak RSS ${Math.round(peakBytes / 1048576)} MiB, ${report.samples.length} sample rows, ${report.slowTicks} slow ticks`);
  } finally {
    tmp.cleanup();
  }
});
