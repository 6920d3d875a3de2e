// The fd count's stat() must not throw its optimized code away at every full collection: leakhunt
// collects every 10 s, and each re-compilation left its malloc arenas a little more fragmented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const skip = process.platform !== 'linux' ? 'needs Linux /proc' : false;
const PROC_FS = fileURLToPath(new URL('../../src/sampler/proc-fs.js', import.meta.url));

/**
 * Counts /proc/self/fd 4,000 times between full collections, in a child traced by V8, and returns
 * how many optimized functions were thrown away because an object they embedded died.
 */
function weakObjectDeopts(countWith: 'leakhunt' | 'plain statSync'): number {
  const reader = countWith === 'leakhunt'
    ? `const count = (await import(${JSON.stringify(PROC_FS)})).nodeProcFs('/proc').countEntries;
       const read = (path) => count(path);`
    : `const { statSync } = await import('node:fs');
       const read = (path) => statSync(path).size;`;
  const script = `
    ${reader}
    let total = 0;
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < 4000; i++) total += read('/proc/self/fd');
      globalThis.gc();
    }
    if (total <= 0) process.exit(3);`;
  const run = spawnSync(process.execPath, ['--expose-gc', '--trace-deopt', '--input-type=module', '-e', script], {
    encoding: 'utf8', timeout: 30_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.split('\n').filter((line) => line.includes('reason: weak objects') && /Stats|getStatsFromBinding/.test(line)).length;
}

test('counting fds keeps statSync optimized across full collections', { skip, timeout: 60_000 }, (t) => {
  const plain = weakObjectDeopts('plain statSync');
  if (plain === 0) {
    t.skip('this V8 keeps the optimized code of a plain statSync too: nothing to compare against');
    return;
  }
  assert.equal(weakObjectDeopts('leakhunt'), 0, `a plain statSync lost its code ${plain} times`);
});
