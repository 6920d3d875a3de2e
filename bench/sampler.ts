// What one tick of the Linux sampler costs, per process, against a plain readFileSync of
// /proc/<pid>/statm measured in the same run; and what the discovery scan costs with and without
// skipping unchanged strangers. Run: node dist/bench/sampler.js
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { createLinuxProcSampler } from '../src/sampler/linux-proc.js';
import { nodeProcFs } from '../src/sampler/proc-fs.js';
import { ProcTable } from '../src/sampler/proc-table.js';
import { settleMembership } from '../src/sampler/tree.js';
import type { MetricName } from '../src/model.js';

const WARMUP = 50;
const ROUNDS = 400;

function medianMicros(run: () => void): number {
  for (let i = 0; i < WARMUP; i++) run();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

/** A tree of `size` processes: one sleep, or a shell with size-1 sleeps. */
async function startTree(size: number): Promise<ChildProcess> {
  const script = size === 1 ? 'exec sleep 60' : `i=1; while [ $i -lt ${size} ]; do sleep 60 & i=$((i+1)); done; wait`;
  const root = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  const sampler = createLinuxProcSampler({ rootPid: root.pid!, children: true, metric: 'rss' });
  while (sampler.read().processes.length < size) await delay(20);
  sampler.close();
  return root;
}

function measureTree(rootPid: number, size: number): void {
  const tick = (metric: MetricName, children = true) => {
    const sampler = createLinuxProcSampler({ rootPid, children, metric });
    const micros = medianMicros(() => sampler.read());
    const count = sampler.read().processes.length;
    sampler.close();
    if (count !== size && children) throw new Error(`expected ${size} processes, read ${count}`);
    return micros;
  };
  const sampler = createLinuxProcSampler({ rootPid, children: true, metric: 'rss' });
  const pids = sampler.read().processes.map((p) => p.pid);
  sampler.close();
  const statm = medianMicros(() => {
    for (const pid of pids) readFileSync(`/proc/${pid}/statm`);
  });
  const rows: Array<[string, number]> = [
    ['leakhunt tick, rss', tick('rss')],
    ['leakhunt tick, pss (smaps_rollup)', tick('pss')],
    ['readFileSync statm only', statm],
  ];
  if (size === 1) rows.push(['leakhunt tick, --no-children', tick('rss', false)]);
  console.log(`\n${size} process${size === 1 ? '' : 'es'} in the tree`);
  for (const [label, micros] of rows) {
    console.log(`  ${label.padEnd(36)} ${micros.toFixed(1).padStart(8)} µs/tick ${(micros / size).toFixed(1).padStart(7)} µs/process`);
  }
}

/** The scan alone, as the sampler runs it: skipping strangers whose pid was not handed out, or not. */
function measureScan(rootPid: number): void {
  const buf = Buffer.allocUnsafe(16 * 1024);
  const scanner = (gapMs: number) => {
    const table = new ProcTable(nodeProcFs('/proc'), '/proc', buf);
    let clock = 0;
    const micros = medianMicros(() => {
      table.scan((clock += gapMs));
      settleMembership(table.entries, { rootPid, sessionId: rootPid });
    });
    const size = table.entries.size;
    table.close();
    return { micros, size };
  };
  const skipping = scanner(1);
  // More than a second between scans: the table re-reads every process.
  const all = scanner(5000);
  console.log(`\ndiscovery scan over the ${all.size} processes of this machine`);
  console.log(`  ${'skipping unchanged strangers'.padEnd(36)} ${skipping.micros.toFixed(1).padStart(8)} µs`);
  console.log(`  ${'re-reading every stat'.padEnd(36)} ${all.micros.toFixed(1).padStart(8)} µs`);
}

const trees: ChildProcess[] = [];
try {
  for (const size of [1, 50]) {
    const root = await startTree(size);
    trees.push(root);
    measureTree(root.pid!, size);
  }
  measureScan(trees[0]!.pid!);
} finally {
  for (const root of trees) {
    try {
      process.kill(-root.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
