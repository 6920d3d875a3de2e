// How a --load command ended, read from its LoadResult: shared by the exit code, the terminal
// summary and the reports.
import type { LoadResult } from '../model.js';

/** The load failed: it could not start, or exited non-zero or by a signal leakhunt did not send. */
export function loadFailed(load: LoadResult): boolean {
  if (load.exit.startError) return true;
  if (load.stopped) return false;
  return load.exit.signal !== null || (load.exit.code !== null && load.exit.code !== 0);
}

/** "exit code 3: connection refused" — how a failed load ended, in one line. */
export function describeLoadEnd(load: LoadResult): string {
  const how = load.exit.startError ?? (load.exit.signal ? `killed by ${load.exit.signal}` : `exit code ${load.exit.code}`);
  return load.stderrTail && !load.exit.startError ? `${how}: ${load.stderrTail}` : how;
}
