// The --instrument hooks without a real framework: what they leave alone outside leakhunt, the
// sitecustomize they shadow, the one warning for a framework version they do not fit, and the
// summary when no supported framework is imported. Fake framework packages stand in for the
// versions the hooks do not fit.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { leakhunt, tempDir } from '../helpers/exec.js';
import { ROOT } from '../helpers/paths.js';

const HOOKS_DIR = join(ROOT, 'src', 'worker', 'instrument', 'python');
const PRELOAD = join(ROOT, 'dist', 'src', 'worker', 'instrument', 'preload.js');
const files = tempDir('leakhunt-instrument-');
after(() => files.cleanup());

function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

// A sitecustomize that leakhunt's must still run, and a Celery whose signals lack task_prerun.
const shadowedDir = files.path('shadowed');
write(join(shadowedDir, 'sitecustomize.py'), 'import sys\nMARK = "shadowed"\nsys.stderr.write("shadowed sitecustomize ran\\n")\n');
const oldCelery = files.path('old-celery');
write(join(oldCelery, 'celery', '__init__.py'), '__version__ = "3.0.0"\n');
write(join(oldCelery, 'celery', 'signals.py'), 'class Signal:\n    def connect(self, *a, **k): pass\ntask_postrun = Signal()\n');
// A BullMQ whose Worker has no callProcessJob.
const oldBullmq = files.path('old-bullmq');
write(join(oldBullmq, 'node_modules', 'bullmq', 'package.json'), '{"name":"bullmq","version":"1.0.0","main":"dist/cjs/classes/worker.js"}\n');
write(join(oldBullmq, 'node_modules', 'bullmq', 'dist', 'cjs', 'classes', 'worker.js'), 'class Worker { run() {} }\nexports.Worker = Worker;\n');
write(join(oldBullmq, 'worker.cjs'), 'const { Worker } = require("bullmq");\nconsole.log(typeof new Worker().run);\n');

const python = (code: string, env: NodeJS.ProcessEnv) =>
  spawnSync('python3', ['-c', code], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });

test('outside leakhunt the sitecustomize only runs the one it shadows: no hooks, no helper', () => {
  const run = python(
    'import sys, sitecustomize; import celery.signals; '
    + 'print(sitecustomize.MARK, "leakhunt_instrument" in sys.modules, "leakhunt_worker" in sys.modules, type(sys.meta_path[0]).__name__)',
    { PYTHONPATH: [HOOKS_DIR, shadowedDir, oldCelery].join(':'), LEAKHUNT_CHANNEL: '' },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, 'shadowed sitecustomize ran\n');
  assert.match(run.stdout, /^shadowed False False (?!_PostImportFinder)\w+\n$/);
});

test('a Celery version the hooks do not fit: one warning for the whole tree, a note, and the worker runs', () => {
  const notes = files.path('celery-notes.jsonl');
  const run = python(
    'import subprocess, sys; import celery.signals; '
    + 'subprocess.run([sys.executable, "-c", "import celery.signals"], check=True); print("ran")',
    { PYTHONPATH: [HOOKS_DIR, shadowedDir, oldCelery].join(':'), LEAKHUNT_CHANNEL: files.path('no-channel'), LEAKHUNT_INSTRUMENT: notes },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'ran\n');
  const warnings = run.stderr.split('\n').filter((line) => line.startsWith('leakhunt:'));
  assert.deepEqual(warnings, ['leakhunt: --instrument does not fit celery 3.0.0 (celery.signals has no task_prerun, task_failure); its tasks are not instrumented']);
  assert.equal(run.stderr.split('shadowed sitecustomize ran').length - 1, 2, 'the shadowed sitecustomize ran in both processes');
  const lines = readFileSync(notes, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(lines.length, 2);
  assert.ok(lines.every((note) => note.framework === 'celery' && note.status === 'unfit' && note.version === '3.0.0'));
});

test('a BullMQ version the hooks do not fit: one warning, a note, and the worker runs', () => {
  const notes = files.path('bullmq-notes.jsonl');
  const run = spawnSync(process.execPath, ['worker.cjs'], {
    cwd: oldBullmq,
    env: { ...process.env, NODE_OPTIONS: `--import ${PRELOAD}`, LEAKHUNT_CHANNEL: files.path('no-channel'), LEAKHUNT_INSTRUMENT: notes },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'function\n');
  assert.equal(run.stderr, 'leakhunt: --instrument does not fit bullmq 1.0.0 (Worker.prototype.callProcessJob(job, token) is missing); its jobs are not instrumented\n');
  assert.equal(JSON.parse(readFileSync(notes, 'utf8')).status, 'unfit');
});

test('outside leakhunt the Node preload leaves BullMQ alone', () => {
  const run = spawnSync(process.execPath, ['worker.cjs'], {
    cwd: oldBullmq,
    env: { ...process.env, NODE_OPTIONS: `--import ${PRELOAD}`, LEAKHUNT_CHANNEL: '' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
});

test('watch --instrument: the summary says when no supported framework was imported, and keeps the worker\'s PYTHONPATH', async () => {
  const run = await leakhunt(['watch', '--instrument', '--', 'python3', '-c', 'import sitecustomize; print(sitecustomize.MARK)'], {
    env: { PYTHONPATH: shadowedDir },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'shadowed\n');
  assert.match(run.stderr, /instrument: the worker imported none of Celery, RQ, BullMQ; no task boundaries came from --instrument/);
});

test('watch --instrument: a framework the hooks do not fit is named in the summary', async () => {
  const run = await leakhunt(['watch', '--instrument', '--', 'python3', '-c', 'import celery.signals'], { env: { PYTHONPATH: oldCelery } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /instrument: celery 3\.0\.0 not instrumented: the hooks do not fit it \(celery\.signals has no task_prerun, task_failure\)/);
});

test('watch --instrument --pid: bad usage, one line', async () => {
  const run = await leakhunt(['watch', '--instrument', '--pid', String(process.pid)]);
  assert.equal(run.code, 2);
  assert.equal(run.stderr, 'leakhunt: --pid cannot be combined with --instrument: the hooks are loaded when a worker starts\n');
});
