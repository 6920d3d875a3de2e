// --instrument: the environment that makes a worker's Python and Node processes load leakhunt's
// framework hooks (a sitecustomize first on PYTHONPATH; a preload in NODE_OPTIONS), and the notes
// file where the hooks say what they hooked. Every descendant inherits both variables, through
// shells, `npm run` and forks, as it inherits LEAKHUNT_CHANNEL.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { InstrumentReport } from '../model.js';
import { summariseInstrumentNotes } from '../protocol/instrument-notes.js';
import { packageFile } from '../version.js';
import { withPreload } from './node-options.js';

export interface Instrumentation {
  /** Variables to add to the worker's environment. */
  env: NodeJS.ProcessEnv;
  /** What the hooks noted so far. */
  read(): Promise<InstrumentReport>;
  /** Removes the notes file and its private directory. */
  close(): Promise<void>;
}

/** Where the hooks live in the installed package (the CLI may run from its bundle, dist/cli/). */
export function instrumentPaths(): { pythonDir: string; nodePreload: string } {
  return {
    pythonDir: packageFile('src/worker/instrument/python'),
    // Not bundled: it runs inside users' workers, next to the Node helper it imports.
    nodePreload: packageFile('dist/src/worker/instrument/preload.js'),
  };
}

/** `callers` is the environment the worker would get without --instrument. */
export async function prepareInstrumentation(callers: NodeJS.ProcessEnv): Promise<Instrumentation> {
  const { pythonDir, nodePreload } = instrumentPaths();
  if (!existsSync(join(pythonDir, 'sitecustomize.py')) || !existsSync(nodePreload)) {
    throw new Error(`--instrument: the hooks are missing from this installation (${pythonDir}, ${nodePreload})`);
  }
  // mkdtemp: 0700, so no other user can write notes for this run.
  const dir = await mkdtemp(join(tmpdir(), 'leakhunt-instrument-'));
  const notes = join(dir, 'notes.jsonl');
  return {
    env: {
      PYTHONPATH: [pythonDir, callers.PYTHONPATH].filter(Boolean).join(delimiter),
      NODE_OPTIONS: withPreload(callers.NODE_OPTIONS, '--import', nodePreload),
      LEAKHUNT_INSTRUMENT: notes,
    },
    async read() {
      const text = await readFile(notes, 'utf8').catch(() => '');
      return summariseInstrumentNotes(text);
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
