// --allocations through the built bin, for a Python and a Node worker: each task type that keeps
// memory at a known line (directly, through a helper function, through a library) is traced to
// that line first, or to the user's line that calls into the library; a type that only allocates
// and frees has no site; a short run asks for more repeats; a worker without a helper is told why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { fixture } from '../helpers/paths.js';

interface Frame { file: string; line: number; function: string }
interface Site extends Frame { name: string; bytesPerRun: number; runs: number; stack: Frame[] }
interface Report { allocations?: Site[]; allocationNotes?: string[] }

/** Line numbers of the fixture's "KEEPS: <type>" comments. */
function keptLines(path: string): Map<string, number> {
  const lines = new Map<string, number>();
  readFileSync(path, 'utf8').split('\n').forEach((text, index) => {
    const match = /KEEPS: (\w+)/.exec(text);
    if (match) lines.set(match[1]!, index + 1);
  });
  return lines;
}

function tasksFile(path: string, types: string[], rounds: number): string {
  const lines: string[] = [];
  for (let round = 0; round < rounds; round++) for (const name of types) lines.push(JSON.stringify({ task: String(lines.length + 1), name }));
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const LIBRARY = /site-packages|dist-packages|node_modules|^node:|^\(native\)$|[\\/]lib[\\/]python\d/;

/** The first site of a type names the kept line, or (inside a library) the user's line that leads there. */
function assertFirstSite(sites: Site[], type: string, file: string, line: number): void {
  const first = sites.find((site) => site.name === type);
  assert.ok(first, `${type} has a site: ${JSON.stringify(sites.map((s) => [s.name, s.file, s.line]))}`);
  const user = LIBRARY.test(first.file) ? first.stack.find((frame) => !LIBRARY.test(frame.file)) : first;
  assert.equal(user?.file, file, `${type}: ${JSON.stringify(first.stack.slice(0, 4))}`);
  assert.equal(user?.line, line, `${type}: ${JSON.stringify(first.stack.slice(0, 4))}`);
  assert.ok(first.bytesPerRun >= 32 * 1024 && first.runs >= 5, `${type}: ${first.bytesPerRun} B per run over ${first.runs}`);
}

async function watchAllocations(worker: string[], types: string[], rounds: number) {
  const tmp = tempDir();
  try {
    const tasks = tasksFile(tmp.path('tasks.jsonl'), types, rounds);
    const run = await leakhunt(['watch', '--allocations', '--interval', '500ms', '--tasks', tasks, '--json', tmp.path('r.json'), '--csv', tmp.path('s.csv'), '--', ...worker], { timeoutMs: 150_000 });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(readFileSync(tmp.path('r.json'), 'utf8')) as Report;
    const csv = existsSync(tmp.path('s.allocations.csv')) ? readFileSync(tmp.path('s.allocations.csv'), 'utf8') : '';
    const readBack = await leakhunt(['report', tmp.path('r.json')]);
    return { run, report, csv, readBack };
  } finally {
    tmp.cleanup();
  }
}

test('Python: tracemalloc names the kept line of each leaking type, the helper function, and the user line into functools.lru_cache(json.loads)', { timeout: 160_000 }, async () => {
  const worker = fixture('allocations', 'keeps-memory.py');
  const kept = keptLines(worker);
  const { report, csv, readBack } = await watchAllocations(['python3', worker], ['direct', 'via_helper', 'via_library', 'churn'], 8);
  const sites = report.allocations ?? [];
  for (const type of ['direct', 'via_helper', 'via_library']) assertFirstSite(sites, type, worker, kept.get(type)!);
  assert.deepEqual(sites.filter((site) => site.name === 'churn'), [], 'churn only allocates and frees');
  assert.equal(report.allocationNotes, undefined);
  assert.equal(sites.find((site) => site.name === 'direct')?.function, 'handle');
  assert.equal(sites.find((site) => site.name === 'via_helper')?.function, 'remember');
  assert.match(csv, new RegExp(`^direct,${worker.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')},${kept.get('direct')},handle,\\d+,7,`, 'm'));
  assert.match(readBack.stdout, new RegExp(`keeps-memory\\.py:${kept.get('direct')} handle {2}\\+\\d`));
});

test('Node: the sampling heap profiler names the keeping function, the helper function, and the user function into a node_modules Map', { timeout: 160_000 }, async () => {
  const worker = fixture('allocations', 'keeps-memory.js');
  const kept = keptLines(worker);
  // 12 rounds, not 8: V8 samples allocations at random (one every 32 KB on average), and over 8
  // rounds the 64 KB a run of viaHelper went unsampled too often to show a site (2 runs of 71).
  const { report } = await watchAllocations([process.execPath, worker], ['direct', 'viaHelper', 'viaLibrary', 'churn'], 12);
  const sites = report.allocations ?? [];
  for (const type of ['direct', 'viaHelper', 'viaLibrary']) assertFirstSite(sites, type, worker, kept.get(type)!);
  assert.deepEqual(sites.filter((site) => site.name === 'churn'), [], 'churn only allocates and frees');
  assert.equal(sites.find((site) => site.name === 'viaLibrary')?.stack.find((f) => f.file.includes('node_modules'))?.function, 'compile');
});

test('Node with --enable-source-maps: a compiled TypeScript worker\'s site reads as its .ts line', { timeout: 60_000 }, async () => {
  const source = fixture('allocations', 'mapped', 'worker.ts');
  const { report } = await watchAllocations([process.execPath, '--enable-source-maps', fixture('allocations', 'mapped', 'worker.js')], ['mapped'], 7);
  assertFirstSite(report.allocations ?? [], 'mapped', source, keptLines(source).get('mapped')!);
});

test('a short run says it needs more repeats instead of naming a site', { timeout: 60_000 }, async () => {
  const worker = fixture('allocations', 'keeps-memory.js');
  const { run, report } = await watchAllocations([process.execPath, worker], ['direct'], 3);
  assert.deepEqual(report.allocations, []);
  assert.deepEqual(report.allocationNotes, ['direct: 2 repeats traced; allocation sites need more repeats (at least 5)']);
  assert.match(run.stderr, /allocations: direct: 2 repeats traced; allocation sites need more repeats/);
});

test('a worker without a helper gets one note; --allocations refuses what it cannot record', { timeout: 60_000 }, async () => {
  const run = await leakhunt(['watch', '--allocations', '--interval', '100ms', '--', process.execPath, fixture('steady.js'), '300', '1000000']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr.match(/need the worker to run leakhunt's helper/g)?.length, 1, run.stderr);
  for (const args of [['--allocation-frames', '8'], ['--allocations', '--allocation-frames', '0'], ['--allocations', '--pid', String(process.pid)]]) {
    const bad = await leakhunt(['watch', ...args, ...(args.includes('--pid') ? [] : ['--', process.execPath, fixture('steady.js'), '100'])]);
    assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.stderr}`);
    assert.match(bad.stderr, /^leakhunt: .*allocation/);
  }
});
