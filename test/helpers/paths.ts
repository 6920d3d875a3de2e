// Where things are, for tests that run from the compiled dist/ tree or any other outDir.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function findRoot(start: string): string {
  let dir = resolve(start);
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'fixtures'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no leakhunt checkout above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The checkout: tests are run from it (npm test), whatever outDir they were built into. */
export const ROOT = findRoot(process.cwd());
export const BIN = join(ROOT, 'bin', 'leakhunt.cjs');
export const FIXTURES = join(ROOT, 'fixtures');
export const fixture = (...parts: string[]): string => join(FIXTURES, ...parts);
