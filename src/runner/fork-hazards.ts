// What a forked task child inherited that can bite (Linux): sockets open in both the process that
// forked it and the child — a database or broker connection used from two processes corrupts its
// protocol state — and a working directory that has been deleted.
//
// The sockets leakhunt itself gave the worker are not hazards: Node makes a child's stdio pipes
// out of socketpairs, so the worker's stdin (the task feed) and any piped output are sockets that
// every fork inherits, by design. Those are the sockets on the worker's fds 0–2; they are left out.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readSocketQuiet, type SocketQuiet } from './socket-activity.js';

/** Socket inodes ("socket:[123]") on the given fds of a process, or on all of them; null when the process is gone. */
function socketsOf(pid: number, procRoot: string, only?: readonly string[]): Set<string> | null {
  const found = new Set<string>();
  let fds: string[];
  try {
    fds = only ? [...only] : readdirSync(`${procRoot}/${pid}/fd`);
  } catch {
    return null;
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

const sockets = (pid: number, procRoot: string, only?: readonly string[]): Set<string> => socketsOf(pid, procRoot, only) ?? new Set();

/** Fields of /proc/<pid>/stat after the command's closing parenthesis (state first), or null. */
function statFields(pid: number, procRoot: string): string[] | null {
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The process that forked this one (field 4 of stat), or null. */
function parentOf(pid: number, procRoot: string): number | null {
  const ppid = Number(statFields(pid, procRoot)?.[1]);
  return Number.isInteger(ppid) && ppid > 0 ? ppid : null;
}

/** A process that has exited, reaped or not: a zombie's fd list reads empty, which is no evidence. */
function exited(pid: number, procRoot: string): boolean {
  const state = statFields(pid, procRoot)?.[0];
  return state === undefined || state === 'Z' || state === 'X';
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

/** What a task child shared with the process that forked it, seen at the task's start. */
interface Inherited {
  forker: number;
  /** How long each socket had been quiet at the task's start, and when that was read. */
  quietAtStart: Timed<SocketQuiet | null> | null;
  /** Socket inode → its description ("tcp 127.0.0.1:6379"), or null when it is not TCP. */
  shared: Map<string, string | null>;
}

/** What was found at a task's start: the sockets shared with the forker, and any other hazard. */
function inspectStart(rootPid: number, childPid: number, procRoot: string): { inherited: Inherited | null; cwdHazard: string | null } {
  const forker = parentOf(childPid, procRoot) ?? rootPid;
  const givenByLeakhunt = sockets(rootPid, procRoot, ['0', '1', '2']);
  const forkerSockets = sockets(forker, procRoot);
  const shared = new Map<string, string | null>();
  for (const socket of sockets(childPid, procRoot)) {
    if (forkerSockets.has(socket) && !givenByLeakhunt.has(socket)) shared.set(socket, describeSocket(socket, childPid, procRoot));
  }
  let cwdHazard: string | null = null;
  try {
    const cwd = readlinkSync(`${procRoot}/${childPid}/cwd`);
    if (cwd.endsWith(' (deleted)')) cwdHazard = `the forked task child runs in a deleted working directory (${cwd.slice(0, -10)})`;
  } catch {
    // gone already, or not Linux
  }
  return { inherited: shared.size > 0 ? { forker, quietAtStart: null, shared } : null, cwdHazard };
}

/** "1 socket(s) (tcp 127.0.0.1:6379) open in both the worker (pid 10) and its forked task child". */
function sharedPhrase(forker: number, shared: Map<string, string | null>): string {
  const named = [...new Set([...shared.values()].filter((d): d is string => d !== null))];
  const which = named.length > 0 ? ` (${named.slice(0, 3).join(', ')})` : '';
  return `${shared.size} socket(s)${which} open in both the worker (pid ${forker}) and its forked task child`;
}

const KEPT_ADVICE = 'a connection (database, broker) shared across fork breaks when both use it — reconnect in the child';

/** What the watch reads besides /proc: replaceable in tests. */
export interface WatchSources {
  procRoot: string;
  now: () => number;
  /** Milliseconds since each socket last carried data; null when that cannot be read. */
  socketQuiet: () => SocketQuiet | null;
}

const LIVE: WatchSources = { procRoot: '/proc', now: () => performance.now(), socketQuiet: readSocketQuiet };

/**
 * Watches the first ten forked task children: at each one's start, at the sampling ticks while it
 * runs, and at its end.
 *
 * Inheriting a connection is harmless when the child does not use it. Clients that check the pid
 * (redis-py's connection pool, SQLAlchemy's pool with its fork guard) close the inherited socket
 * and open their own on first use; others keep it idle (RQ's work horse inherits the worker's
 * pub/sub connection and never touches it). So the hazard is a socket the child still holds with
 * its forker at the task's end that carried data during the task (the kernel's last-send and
 * last-receive times, read through `ss` at its start and end; when ss is missing, every socket
 * still held counts). A child gone before any later look (a fork that exits as soon as it
 * reports its end) gives no finding: an inherited socket is no evidence of use, and on RQ every
 * such "open at the start" note was a false alarm.
 */
export class ForkHazardWatch {
  private readonly pending = new Map<number, Inherited>();
  private readonly kept = new Map<string, string>();
  private readonly other = new Set<string>();
  private readonly sources: WatchSources;
  private started = 0;

  constructor(sources: Partial<WatchSources> = {}, private readonly limit = 10) {
    this.sources = { ...LIVE, ...sources };
  }

  taskStarted(rootPid: number, childPid: number | undefined): void {
    if (childPid === undefined || childPid === rootPid || this.started >= this.limit) return;
    this.started++;
    const { inherited, cwdHazard } = inspectStart(rootPid, childPid, this.sources.procRoot);
    if (cwdHazard) this.other.add(cwdHazard);
    if (inherited) this.pending.set(childPid, { ...inherited, quietAtStart: this.timed(this.sources.socketQuiet) });
  }

  taskEnded(childPid: number | undefined, when = "from the task's start to its end"): void {
    const inherited = childPid === undefined ? undefined : this.pending.get(childPid);
    if (!inherited || childPid === undefined) return;
    this.pending.delete(childPid);
    this.look(childPid, inherited, when, true);
  }

  /**
   * A look at the children still in their task (at a sampling tick): one that exits as soon as it
   * reports its end is often gone by the time that end is read, so its use of a connection is
   * caught here, while it runs.
   */
  duringTasks(): void {
    // One `ss` at most per tick, whatever the number of children waiting: it runs on the sampler's tick.
    let quiet: Timed<SocketQuiet | null> | undefined;
    const quietNow = (): Timed<SocketQuiet | null> => (quiet ??= this.timed(this.sources.socketQuiet));
    for (const [childPid, inherited] of this.pending) {
      if (this.look(childPid, inherited, 'during a task', false, quietNow)) this.pending.delete(childPid);
    }
  }

  /** Reads a child's sockets now; true once it has shown whether it uses what it shares. */
  private look(childPid: number, inherited: Inherited, when: string, atEnd: boolean, quietNow = () => this.timed(this.sources.socketQuiet)): boolean {
    const { procRoot } = this.sources;
    // Gone (or a zombie, whose fd list reads empty): nothing more to learn from this child.
    const childNow = exited(childPid, procRoot) ? null : socketsOf(childPid, procRoot);
    if (childNow === null) return atEnd;
    const forkerNow = sockets(inherited.forker, procRoot);
    const held = [...inherited.shared].filter(([socket]) => childNow.has(socket) && forkerNow.has(socket));
    const quiet = held.length > 0 ? quietNow() : null;
    const used = new Map(held.filter(([socket]) => carriedData(socket, inherited.quietAtStart, quiet)));
    if (used.size === 0) return atEnd;
    this.kept.set(keyOf({ ...inherited, shared: used }), `${sharedPhrase(inherited.forker, used)} ${when}${quiet?.value ? ', carrying data' : ''}: ${KEPT_ADVICE}`);
    return true;
  }

  /** A reading with the clock just before and just after it. */
  private timed<T>(read: () => T): Timed<T> {
    const before = this.sources.now();
    const value = read();
    return { value, before, after: this.sources.now() };
  }

  /** The hazards found: sockets held by child and forker that carried data in a task, then other hazards. */
  notes(): string[] {
    // Children whose end never came (killed, or the run stopped): read them now, or count them gone.
    for (const childPid of [...this.pending.keys()]) this.taskEnded(childPid, "from the task's start until the run stopped");
    return [...this.kept.values(), ...this.other];
  }
}

/**
 * Jiffies-based last-send/receive times are coarse (4 ms at HZ=250, 10 ms at HZ=100), and the two
 * readings are a few ms from the clock readings: a socket counts as quiet within this much.
 */
const QUIET_TOLERANCE_MS = 20;

interface Timed<T> {
  value: T;
  before: number;
  after: number;
}

/**
 * Whether a socket carried data between the two readings: without traffic, its quiet time at the
 * end is its quiet time at the start plus the time between (at least the gap between the end of
 * the first reading and the start of the second). Unknown counts as used.
 */
function carriedData(socket: string, start: Timed<SocketQuiet | null> | null, end: Timed<SocketQuiet | null> | null): boolean {
  const before = start?.value?.get(socket);
  const after = end?.value?.get(socket);
  if (start === null || end === null || before === undefined || after === undefined) return true;
  return after + QUIET_TOLERANCE_MS < before + (end.before - start.after);
}

/** Which forker and which sockets: one note for the same connection seen in several children. */
function keyOf(inherited: Inherited): string {
  return `${inherited.forker} ${[...inherited.shared.keys()].sort().join(' ')}`;
}
