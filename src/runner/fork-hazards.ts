// What a forked task child inherited that can bite (Linux): sockets open in both the parent
// and the child — a database connection used from two processes corrupts its protocol state —
// and a working directory that has been deleted.
import { readdirSync, readlinkSync } from 'node:fs';

function sockets(pid: number, procRoot: string): Set<string> {
  const found = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`${procRoot}/${pid}/fd`);
  } catch {
    return found;
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`${procRoot}/${pid}/fd/${fd}`);
      if (target.startsWith('socket:')) found.add(target);
    } catch {
      // closed while listing
    }
  }
  return found;
}

/** Hazards of one forked child, as short sentences; empty when nothing looks risky or /proc is absent. */
export function inspectForkChild(parentPid: number, childPid: number, procRoot = '/proc'): string[] {
  if (parentPid === childPid) return [];
  const hazards: string[] = [];
  const parent = sockets(parentPid, procRoot);
  const shared = [...sockets(childPid, procRoot)].filter((s) => parent.has(s));
  if (shared.length > 0) {
    hazards.push(`${shared.length} socket(s) open in both the worker (pid ${parentPid}) and its forked task child: a connection (database, broker) shared across fork breaks when both use it — reconnect in the child`);
  }
  try {
    const cwd = readlinkSync(`${procRoot}/${childPid}/cwd`);
    if (cwd.endsWith(' (deleted)')) hazards.push(`the forked task child runs in a deleted working directory (${cwd.slice(0, -10)})`);
  } catch {
    // gone already, or not Linux
  }
  return hazards;
}
