// Bundles the bin's entry (dist/src/main.js → dist/cli/main.cjs) and the CLI (dist/src/cli.js and
// everything it loads, its dependencies included → dist/cli/cli.cjs), then writes V8's code cache
// for the CLI's bundle beside it (see src/bundle-loader.ts). Loading one file costs a fraction of
// resolving and loading ~100 modules one by one, and CommonJS spares Node 20 its ESM loader. The
// entry stays apart so `--version` loads nothing else; the programmatic API and leakhunt/worker
// are not bundled (dist/src/). Runs after tsc, in `npm run build`.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { codeCacheFile, compileBundle } from '../dist/src/bundle-loader.js';

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Whitespace and syntax only: names stay, so a stack trace from the bundle still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  // packageFile() (src/version.ts) finds the package's files from import.meta.url, which CommonJS
  // lacks: each bundle gives it its own file's URL.
  define: { 'import.meta.url': 'leakhuntBundleUrl' },
  banner: { js: "var leakhuntBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await build({ ...common, entryPoints: ['dist/src/main.js'], outfile: 'dist/cli/main.cjs' });
// Each command's code is imported dynamically by cli.ts: in one CommonJS file esbuild wraps it in
// a function run on first import, so a command runs none of the others' module-level code.
await build({ ...common, entryPoints: ['dist/src/cli.js'], outfile: 'dist/cli/cli.cjs' });

const cli = resolve('dist/cli/cli.cjs');
writeFileSync(codeCacheFile(cli), compileBundle(cli).createCachedData());
