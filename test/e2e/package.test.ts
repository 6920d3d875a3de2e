// The npm tarball holds what a user needs and nothing else, and works when installed into an
// empty project: the bin (which runs the bundled CLI, dist/cli/cli.cjs, compiled from its code cache), the programmatic API, the
// Node helper with its types, and the Python helper.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/exec.js';
import { ROOT } from '../helpers/paths.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('npm pack holds the bin, dist, both helpers, README and LICENSE — no tests, fixtures or source maps', () => {
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
  for (const required of ['bin/leakhunt.cjs', 'dist/cli/main.cjs', 'dist/cli/cli.cjs', 'dist/cli/cli.cjs.cache', 'dist/src/main.js', 'dist/src/cli.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/worker/index.js', 'dist/src/worker/index.d.ts', 'src/worker/leakhunt_worker.py', 'src/worker/leakhunt_allocations.py', 'src/worker/instrument/python/sitecustomize.py', 'src/worker/instrument/python/leakhunt_instrument.py', 'dist/src/worker/instrument/preload.js', 'README.md', 'LICENSE', 'package.json']) {
    assert.ok(files.includes(required), `${required} is in the tarball`);
  }
  const stray = files.filter((f) => /(^|\/)(test|fixtures|eval|bench|soak)\//.test(f) || f.endsWith('.map') || (f.endsWith('.ts') && !f.endsWith('.d.ts')));
  assert.deepEqual(stray, []);
});

test('the tarball installs into an empty project and works there', { timeout: 180_000 }, async () => {
  const tmp = tempDir('leakhunt-pack-');
  try {
    const packed = execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', tmp.dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop()!;
    const project = join(tmp.dir, 'app');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
    const install = run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=dev', join(tmp.dir, packed)], project);
    assert.equal(install.code, 0, install.stderr);

    const version = run('npx', ['leakhunt', '--version'], project);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);

    const watch = run('npx', ['leakhunt', 'watch', '--no-color', '--interval', '50ms', '--', process.execPath, '-e', '0'], project);
    assert.equal(watch.code, 0, watch.stderr);
    assert.match(watch.stderr, /verdict:/);
    assert.ok(existsSync(join(project, 'node_modules', 'leakhunt', 'dist', 'cli', 'cli.cjs')), 'the bundled CLI is installed');

    // compare from the bundled CLI, on a worker written with the installed leakhunt/worker.
    writeFileSync(join(project, 'worker.mjs'), "import { serveTasks } from 'leakhunt/worker';\nawait serveTasks(() => {});\n");
    const compared = run('npx', ['leakhunt', 'compare', '-q', '--tasks', '3', '--modes', 'in-process,isolated', '--json', 'compare.json', '--', process.execPath, 'worker.mjs'], project);
    assert.ok(compared.code === 0 || compared.code === 1, compared.stderr);
    const modes = (JSON.parse(readFileSync(join(project, 'compare.json'), 'utf8')) as { modes: Array<{ mode: string; tasks: unknown[] }> }).modes;
    assert.deepEqual(modes.map((m) => [m.mode, m.tasks.length]), [['in-process', 3], ['isolated', 3]]);

    writeFileSync(join(project, 'check.mjs'), [
      "import { serveTasks, markTask } from 'leakhunt/worker';",
      "import { watch, compare } from 'leakhunt';",
      "console.log(typeof serveTasks, typeof markTask, typeof watch, typeof compare, import.meta.resolve('leakhunt/worker'));",
    ].join('\n'));
    const imported = run(process.execPath, ['check.mjs'], project);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /^function function function function file:.*node_modules\/leakhunt\/dist\/src\/worker\/index\.js/);
    assert.ok(existsSync(join(project, 'node_modules', 'leakhunt', 'dist', 'src', 'worker', 'index.d.ts')), 'types ship beside the helper');

    const helper = run('npx', ['leakhunt', 'helper', 'python'], project);
    assert.equal(helper.code, 0, helper.stderr);
    const helperPath = helper.stdout.trim();
    assert.ok(helperPath.endsWith('leakhunt_worker.py') && existsSync(helperPath), helperPath);
    const python = run('python3', ['-c', 'import leakhunt_worker; print(leakhunt_worker.serve_tasks.__name__, leakhunt_worker.mark_task.__name__)'], project, { PYTHONPATH: join(helperPath, '..') });
    if (python.code === null || /not found|ENOENT/.test(python.stderr)) return; // no python3 on this machine
    assert.equal(python.code, 0, python.stderr);
    assert.equal(python.stdout.trim(), 'serve_tasks mark_task');
  } finally {
    tmp.cleanup();
  }
});
