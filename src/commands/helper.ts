// `leakhunt helper python`: where the stdlib-only Python helper lives, so a worker can add it
// to sys.path (PYTHONPATH="$(dirname "$(leakhunt helper python)")").
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';

export function pythonHelperPath(): string {
  // dist/src/commands → the package root → src/worker/leakhunt_worker.py (shipped in the package).
  return fileURLToPath(new URL('../../../src/worker/leakhunt_worker.py', import.meta.url));
}

export function helperCommand(language: string): number {
  if (language !== 'python') throw new UsageError(`helper: unknown language "${language}" (known: python; the Node helper is imported as 'leakhunt/worker')`);
  const path = pythonHelperPath();
  if (!existsSync(path)) throw new UsageError(`helper: ${path} is missing from this installation`);
  process.stdout.write(`${path}\n`);
  return 0;
}
