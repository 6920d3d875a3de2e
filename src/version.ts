// The package's own files, found from this module: it sits two levels below the package root both
// in tsc's output (dist/src/version.js) and in the bundles (dist/cli/main.cjs, dist/cli/cli.cjs).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The path of a file shipped in the package, from the package root. */
export const packageFile = (relative: string): string => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

export const VERSION: string = (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
