// Ending a process tree: a polite signal to the group and every member we track, a grace
// period, then SIGKILL. A member is only signalled after checking it is still the process we
// saw (same pid and start time), so a reused pid never receives someone else's signal.
import type { Sampler } from '../sampler/types.js';

export type Signal = NodeJS.Signals;

/** kill() that treats "already gone" as success. */
export function signalPid(pid: number, signal: Signal | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH' || code === 'EPERM') return false;
    throw error;
  }
}

export interface TreeHandle {
  /** The worker's process group (its pid, since it was started with setsid). */
  pgid: number | null;
  sampler: Sampler;
}

/** Send one signal to the group, then to tracked members outside it (each checked for identity). */
export function signalTree(tree: TreeHandle, signal: Signal): void {
  if (tree.pgid !== null) signalPid(-tree.pgid, signal);
  for (const member of tree.sampler.members()) {
    if (member.pid === tree.pgid || (tree.pgid !== null && member.pgid === tree.pgid)) continue;
    if (tree.sampler.isSame(member.pid, member.startTime)) signalPid(member.pid, signal);
  }
}

export function treeAlive(tree: TreeHandle): boolean {
  if (tree.pgid !== null && signalPid(-tree.pgid, 0)) return true;
  return tree.sampler.members().some((m) => tree.sampler.isSame(m.pid, m.startTime));
}

/** TERM now, KILL after graceMs unless everything is gone; resolves when the tree is empty or KILL was sent. */
export async function terminateTree(tree: TreeHandle, graceMs: number, pollMs = 20): Promise<'exited' | 'killed'> {
  signalTree(tree, 'SIGTERM');
  const deadline = performance.now() + graceMs;
  while (performance.now() < deadline) {
    await delay(pollMs);
    if (!treeAlive(tree)) return 'exited';
  }
  signalTree(tree, 'SIGKILL');
  return 'killed';
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
