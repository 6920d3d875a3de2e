// Bundles the CLI (dist/src/cli.js and everything it loads, its dependencies included) into one
// file, dist/cli/cli.js: loading it costs a fraction of resolving and loading ~100 modules one by
// one (Node 20 resolves, reads and links each ES module on its own). The entry (dist/src/main.js)
// stays outside, so `--version` loads neither; the programmatic API and leakhunt/worker are not
// bundled (dist/src/). Runs after tsc, in `npm run build`.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli.js'],
  outdir: 'dist/cli',
  bundle: true,
  // One file: esbuild's chunks for each command came out slower to load than the one file.
  splitting: false,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  // Whitespace and syntax only: names stay, so a stack trace from the bundle still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  // commander and the other CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as leakhuntCreateRequire } from 'node:module'; const require = leakhuntCreateRequire(import.meta.url);" },
});
