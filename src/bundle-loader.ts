// Runs the CLI's CommonJS bundle as require() would, minus most of its compile time. Compiling
// the ~370 KB bundle costs ~12 ms on every start (V8 parses every function's text to find where
// it ends, even the ones this command never calls). Node 22.1 and later keep compiled code on
// disk between runs (module.enableCompileCache); Node 20 has no such cache, so the build writes
// V8's code cache for the bundle beside it (<bundle>.cache, scripts/bundle.mjs) and this loader
// compiles from it (~2 ms). A cache made by another V8 or with other flags is rejected by V8
// itself, and the bundle is then compiled from its text as usual.
import { readFileSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { constants, Script } from 'node:vm';

/** The file V8's code cache for `bundle` is kept in. */
export const codeCacheFile = (bundle: string): string => `${bundle}.cache`;

/** CommonJS's own function wrapper: the cache is only valid for this exact text around the bundle. */
function wrapped(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}

/** The bundle compiled (not run), from the code cache when `cachedData` is given and V8 accepts it. */
export function compileBundle(bundle: string, cachedData?: Buffer): Script {
  return new Script(wrapped(readFileSync(bundle, 'utf8')), {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
    // An import() in the bundle then behaves as in a module that require() loaded, instead of
    // throwing for want of a callback (Node 20.12 and later: within the engines range).
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
}

/** Runs `bundle` (an absolute path to a CommonJS file) once, as `require(bundle)` would. */
export function runBundle(bundle: string): void {
  const enableCompileCache = (module as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (enableCompileCache) {
    enableCompileCache();
    createRequire(bundle)(bundle);
    return;
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(codeCacheFile(bundle));
  } catch {
    // No cache (a build without it): compile from the text.
  }
  const run = compileBundle(bundle, cachedData).runInThisContext() as (...args: unknown[]) => void;
  const loaded = { exports: {}, filename: bundle, id: bundle, loaded: false };
  run.call(loaded.exports, loaded.exports, createRequire(bundle), loaded, bundle, dirname(bundle));
  loaded.loaded = true;
}
