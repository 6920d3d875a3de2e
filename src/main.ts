// The bin's entry. `--version` answers from here, before anything else is loaded: it is the one
// invocation scripts run in loops. Otherwise settle leakhunt's own allocator first (this may
// re-execute the process in place, see allocator-tuning.ts), then load and run the CLI: the
// bundled one (dist/cli/, made by `npm run build`), which loads in a fraction of the time of tsc's
// hundred modules, or those where it was not made.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { VERSION } = await import('./version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  // Node 22.1 and later keep compiled code on disk between runs; older Node has no such cache.
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  const { tuneOwnAllocator } = await import('./allocator-tuning.js');
  tuneOwnAllocator(args);
  const bundled = new URL('../cli/cli.js', import.meta.url);
  await import(existsSync(fileURLToPath(bundled)) ? bundled.href : './cli.js');
}
