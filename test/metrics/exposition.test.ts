import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_COMMAND_SERIES, MAX_PROCESS_SERIES, OTHER_COMMAND, renderExposition } from '../../src/metrics/exposition.js';
import { parseListen } from '../../src/metrics/server.js';
import type { ProcessReading, Snapshot } from '../../src/model.js';

const proc = (pid: number, rss: number, command = 'node worker.js'): ProcessReading => ({
  pid, ppid: 1, startTime: pid, command, rssBytes: rss, vmsBytes: rss * 4, peakRssBytes: rss, fds: 12, threads: 7,
});

const snapshot = (processes: ProcessReading[]): Snapshot => ({
  seq: 3, elapsedMs: 300, event: 'tick', processes, treeRssBytes: processes.reduce((s, p) => s + (p.rssBytes ?? 0), 0), readMs: 0.1,
});

test('exposition lists each live process, the tree, the verdict and the rates with conventional names', () => {
  const text = renderExposition({
    root: '4242',
    snapshot: snapshot([proc(4242, 50_000_000), proc(4243, 10_000_000, 'python3 -c "x\\y"\n')]),
    tasksCompleted: 17,
    verdict: {
      status: 'leak', reason: 'sustained growth', series: 'tree-rss', bytesPerTask: 1024, bytesPerTaskCI: [900, 1100],
      bytesPerHour: 3_600_000, bytesPerHourCI: [3e6, 4e6], limit: { bytes: 512 * 1024 ** 2, source: 'flag' },
      projection: { tasksToLimit: [400_000, 500_000], secondsToLimit: [3600, 7200] },
    },
  });
  assert.match(text, /^# HELP leakhunt_process_resident_memory_bytes /m);
  assert.match(text, /^# TYPE leakhunt_process_resident_memory_bytes gauge$/m);
  assert.match(text, /^leakhunt_process_resident_memory_bytes\{pid="4242",command="node worker.js",root="4242"\} 50000000$/m);
  assert.match(text, /^leakhunt_process_resident_memory_bytes\{pid="4243",command="python3 -c \\"x\\\\y\\"\\n",root="4242"\} 10000000$/m);
  assert.match(text, /^leakhunt_process_virtual_memory_bytes\{pid="4242",.*\} 200000000$/m);
  assert.match(text, /^leakhunt_process_open_fds\{pid="4242",.*\} 12$/m);
  assert.match(text, /^leakhunt_process_threads\{pid="4242",.*\} 7$/m);
  assert.match(text, /^leakhunt_tree_resident_memory_bytes\{root="4242"\} 60000000$/m);
  assert.match(text, /^leakhunt_verdict\{root="4242",status="leak"\} 1$/m);
  assert.match(text, /^leakhunt_verdict\{root="4242",status="stable"\} 0$/m);
  assert.match(text, /^leakhunt_growth_bytes_per_hour\{root="4242"\} 3600000$/m);
  assert.match(text, /^leakhunt_growth_bytes_per_task\{root="4242"\} 1024$/m);
  assert.match(text, /^# TYPE leakhunt_tasks_completed_total counter$/m);
  assert.match(text, /^leakhunt_tasks_completed_total\{root="4242"\} 17$/m);
  assert.match(text, /^leakhunt_projected_seconds_to_limit\{root="4242"\} 3600$/m);
  assert.ok(text.endsWith('\n'));
});

test('exited processes leave the exposition and process series are capped', () => {
  const many = Array.from({ length: MAX_PROCESS_SERIES + 50 }, (_, i) => proc(1000 + i, 1000 + i));
  const text = renderExposition({ root: '1000', snapshot: snapshot(many), tasksCompleted: 0, verdict: null });
  const rssLines = text.split('\n').filter((l) => l.startsWith('leakhunt_process_resident_memory_bytes{'));
  assert.equal(rssLines.length, MAX_PROCESS_SERIES);
  assert.ok(!text.includes('pid="1000"'), 'the smallest processes are the ones left out');
  const later = renderExposition({ root: '1000', snapshot: snapshot([proc(1249, 5)]), tasksCompleted: 0, verdict: null });
  assert.equal(later.split('\n').filter((l) => l.startsWith('leakhunt_process_resident_memory_bytes{')).length, 1);
});

test('--metrics listens on loopback unless a host is given', () => {
  assert.deepEqual(parseListen(':9464'), { host: '127.0.0.1', port: 9464 });
  assert.deepEqual(parseListen('9464'), { host: '127.0.0.1', port: 9464 });
  assert.deepEqual(parseListen('0.0.0.0:9100'), { host: '0.0.0.0', port: 9100 });
  assert.deepEqual(parseListen('[::1]:9100'), { host: '::1', port: 9100 });
  assert.throws(() => parseListen('nope'), /--metrics/);
  assert.throws(() => parseListen('1:99999'), /--metrics/);
});

/** Series identities (name and labels) of the families whose name starts with `prefix`. */
const seriesOf = (text: string, prefix: string): string[] =>
  text.split('\n').filter((l) => l.startsWith(prefix)).map((l) => l.slice(0, l.lastIndexOf(' ')));

test('per-command aggregates sum a pool and do not churn when its children are recycled', () => {
  const seen = new Set<string>();
  const perPid = new Set<string>();
  // 100 scrapes of a pool whose 4 children are all fresh at each one (max-tasks-per-child=1).
  for (let scrape = 0; scrape < 100; scrape++) {
    const children = Array.from({ length: 4 }, (_, i) => proc(2000 + scrape * 4 + i, 30_000_000, 'celery worker -P prefork'));
    const text = renderExposition({ root: '1999', snapshot: snapshot([proc(1999, 60_000_000, 'celery worker -P prefork'), ...children, proc(1998, 1_000_000, 'sh -c x')]), tasksCompleted: scrape, verdict: null });
    for (const series of seriesOf(text, 'leakhunt_command_')) seen.add(series);
    for (const series of seriesOf(text, 'leakhunt_process_resident_memory_bytes{')) perPid.add(series);
    if (scrape === 99) {
      assert.match(text, /^leakhunt_command_resident_memory_bytes\{command="celery worker -P prefork",root="1999"\} 180000000$/m);
      assert.match(text, /^leakhunt_command_processes\{command="celery worker -P prefork",root="1999"\} 5$/m);
      assert.match(text, /^leakhunt_command_processes\{command="sh -c x",root="1999"\} 1$/m);
      assert.doesNotMatch(text, /leakhunt_command_proportional_memory_bytes\{/, 'no PSS figure was read');
    }
  }
  assert.equal(seen.size, 4, [...seen].join('\n'));
  assert.equal(perPid.size, 2 + 400, 'per-pid series are one per process, as before');
});

test('past MAX_COMMAND_SERIES commands the smallest are summed under (other), nothing dropped; PSS is summed when read', () => {
  const many = Array.from({ length: MAX_COMMAND_SERIES + 10 }, (_, i) => ({ ...proc(3000 + i, 1000 + i, `job ${i}`), pssBytes: 10 }));
  const text = renderExposition({ root: '3000', snapshot: snapshot(many), tasksCompleted: 0, verdict: null });
  const rss = text.split('\n').filter((l) => l.startsWith('leakhunt_command_resident_memory_bytes{'));
  assert.equal(rss.length, MAX_COMMAND_SERIES);
  const sum = rss.reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  assert.equal(sum, many.reduce((total, p) => total + p.rssBytes!, 0));
  const other = new RegExp(`^leakhunt_command_processes\\{command="\\${OTHER_COMMAND.slice(0, -1)}\\)",root="3000"\\} 11$`, 'm');
  assert.match(text, other);
  assert.match(text, /^leakhunt_command_proportional_memory_bytes\{command="job 59",root="3000"\} 10$/m);
});
