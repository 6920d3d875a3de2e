// `leakhunt helper python`: where the stdlib-only Python helper lives, so a worker can add it
// to sys.path (PYTHONPATH="$(dirname "$(leakhunt helper python)")").
import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { packageFile } from '../version.js';

export function pythonHelperPath(): string {
  // Shipped in the package, beside dist/.
  return packageFile('src/worker/leakhunt_worker.py');
}

export function helperCommand(language: string): number {
  if (language !== 'python') throw new UsageError(`helper: unknown language "${language}" (known: python; the Node helper is imported as 'leakhunt/worker')`);
  const path = pythonHelperPath();
  if (!existsSync(path)) throw new UsageError(`helper: ${path} is missing from this installation`);
  process.stdout.write(`${path}\n`);
  return 0;
}
