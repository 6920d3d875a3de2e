// What the Node hooks tell leakhunt besides boundaries: which framework this process hooked, or
// why not (a version they do not fit), one JSON line appended to the file named by
// LEAKHUNT_INSTRUMENT. The same lines the Python hooks write. Runs inside users' workers.
import { appendFileSync } from 'node:fs';

/** Set once a warning has been printed, so the processes a worker starts stay quiet. */
const WARNED = 'LEAKHUNT_INSTRUMENT_WARNED';

export function noteHooked(framework: string, version: string): void {
  note({ framework, version, status: 'hooked', pid: process.pid });
}

/** One clear warning for the whole tree; the worker runs on uninstrumented. */
export function noteUnfit(framework: string, version: string, why: string): void {
  note({ framework, version, status: 'unfit', pid: process.pid, detail: why.slice(0, 300) });
  if (process.env[WARNED]) return;
  process.env[WARNED] = '1';
  process.stderr.write(`leakhunt: --instrument does not fit ${framework} ${version} (${why}); its jobs are not instrumented\n`);
}

function note(record: Record<string, unknown>): void {
  const path = process.env.LEAKHUNT_INSTRUMENT;
  if (!path) return;
  try {
    appendFileSync(path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  } catch {
    // leakhunt has gone: the note is not needed any more.
  }
}
