// The bin's entry, bundled on its own to dist/cli/main.cjs (scripts/bundle.mjs). It is CommonJS,
// as is the CLI's bundle: on Node 20 the first ES module of a process starts the ESM loader and
// gives every built-in it imports an ES facade, ~10 ms of a start-up that bare node does in ~80.
// `--version` answers from here, before anything else is loaded: it is the one invocation scripts
// run in loops. Otherwise settle leakhunt's own allocator first (this may re-execute the process
// in place, see allocator-tuning.ts), then run the bundled CLI (dist/cli/cli.cjs).
import { tuneOwnAllocator } from './allocator-tuning.js';
import { runBundle } from './bundle-loader.js';
import { packageFile, VERSION } from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${VERSION}\n`);
} else {
  tuneOwnAllocator(args);
  runBundle(packageFile('dist/cli/cli.cjs'));
}
