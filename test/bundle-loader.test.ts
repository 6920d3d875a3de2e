// The CLI's bundle runs as require() would run it, and V8 takes the code cache the build wrote for
// it (a cache V8 rejected would cost every start-up its ~12 ms of compiling, silently).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './helpers/paths.js';
import { tempDir } from './helpers/exec.js';
import { codeCacheFile, compileBundle, runBundle } from '../src/bundle-loader.js';

test('V8 accepts the code cache the build wrote for the CLI bundle', () => {
  const bundle = join(ROOT, 'dist', 'cli', 'cli.cjs');
  const script = compileBundle(bundle, readFileSync(codeCacheFile(bundle)));
  assert.equal(script.cachedDataRejected, false);
});

test('runBundle gives the bundle CommonJS\'s exports, require, __filename and __dirname', () => {
  const tmp = tempDir();
  try {
    writeFileSync(tmp.path('helper.cjs'), 'module.exports = 41;\n');
    const bundle = tmp.path('bundle.cjs');
    writeFileSync(bundle, 'globalThis.bundleSaw = { answer: require("./helper.cjs") + 1, file: __filename, dir: __dirname, same: exports === module.exports };\n');
    // Without a cache file beside it: compiled from the text (on Node 22.1+, through require itself).
    runBundle(bundle);
    const saw = (globalThis as { bundleSaw?: unknown }).bundleSaw;
    assert.deepEqual(saw, { answer: 42, file: bundle, dir: tmp.dir, same: true });
  } finally {
    tmp.cleanup();
  }
});
