// What a forked task child inherited that can bite (Linux): sockets open in both the process that
// forked it and the child — a database or broker connection used from two processes corrupts its
// protocol state — and a working directory that has been deleted.
//
// The sockets leakhunt itself gave the worker are not hazards: Node makes a child's stdio pipes
// out of socketpairs, so the worker's stdin (the task feed) and any piped output are sockets that
// every fork inherits, by design. Those are the sockets on the worker's fds 0–2; they are left out.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Socket inodes ("socket:[123]") on the given fds of a process, or on all of them. */
function sockets(pid: number, procRoot: string, only?: readonly string[]): Set<string> {
  const found = new Set<string>();
  let fds: string[];
  try {
    fds = only ? [...only] : readdirSync(`${procRoot}/${pid}/fd`);
  } catch {
    return found;
  }
  for (const fd of fds) {
    try {
      const target = readlinkSync(`${procRoot}/${pid}/fd/${fd}`);
      if (target.startsWith('socket:')) found.add(target);
    } catch {
      // closed while listing, or no such fd
    }
  }
  return found;
}

/** The process that forked this one (field 4 of stat), or null. */
function parentOf(pid: number, procRoot: string): number | null {
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) && ppid > 0 ? ppid : null;
  } catch {
    return null;
  }
}

/** "tcp 127.0.0.1:6379" for a TCP socket's remote end, from the child's view of /proc/net. */
function describeSocket(socket: string, pid: number, procRoot: string): string | null {
  const inode = socket.slice('socket:['.length, -1);
  for (const table of ['tcp', 'tcp6']) {
    let text: string;
    try {
      text = readFileSync(`${procRoot}/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[9] === inode) return `tcp ${remoteAddress(fields[2]!)}`;
    }
  }
  return null;
}

/** /proc/net/tcp's "0100007F:18EB" (IPv4, little-endian) → "127.0.0.1:6379"; IPv6 shows its port only. */
function remoteAddress(hex: string): string {
  const [address, port] = hex.split(':');
  const portNumber = parseInt(port ?? '0', 16);
  if (address?.length !== 8) return `[ipv6]:${portNumber}`;
  const octets = [6, 4, 2, 0].map((i) => parseInt(address.slice(i, i + 2), 16));
  return `${octets.join('.')}:${portNumber}`;
}

/** Hazards of one task child, as short sentences; empty when nothing looks risky or /proc is absent. */
export function inspectForkChild(rootPid: number, childPid: number, procRoot = '/proc'): string[] {
  if (rootPid === childPid) return [];
  const hazards: string[] = [];
  const forker = parentOf(childPid, procRoot) ?? rootPid;
  const givenByLeakhunt = sockets(rootPid, procRoot, ['0', '1', '2']);
  const forkerSockets = sockets(forker, procRoot);
  const shared = [...sockets(childPid, procRoot)].filter((s) => forkerSockets.has(s) && !givenByLeakhunt.has(s));
  if (shared.length > 0) {
    const named = shared.map((s) => describeSocket(s, childPid, procRoot)).filter((d): d is string => d !== null);
    const which = named.length > 0 ? ` (${[...new Set(named)].slice(0, 3).join(', ')})` : '';
    hazards.push(`${shared.length} socket(s)${which} open in both the worker (pid ${forker}) and its forked task child: a connection (database, broker) shared across fork breaks when both use it — reconnect in the child`);
  }
  try {
    const cwd = readlinkSync(`${procRoot}/${childPid}/cwd`);
    if (cwd.endsWith(' (deleted)')) hazards.push(`the forked task child runs in a deleted working directory (${cwd.slice(0, -10)})`);
  } catch {
    // gone already, or not Linux
  }
  return hazards;
}
