// How long ago each TCP socket last sent or received data, from `ss -tinHe` (iproute2): the
// kernel's per-socket lastsnd/lastrcv. It tells an inherited connection that sat idle through a
// task (harmless) from one that carried traffic. /proc holds no per-socket activity.
import { spawnSync } from 'node:child_process';

/** Socket inode ("socket:[123]") → milliseconds since its last data sent or received. */
export type SocketQuiet = Map<string, number>;

/** Parses `ss -tinHe`: a socket's line carries its inode, the indented line under it its tcp_info. */
export function parseSocketQuiet(text: string): SocketQuiet {
  const quiet: SocketQuiet = new Map();
  let inode: string | null = null;
  for (const line of text.split('\n')) {
    if (!/^\s/.test(line)) {
      const match = /\bino:(\d+)/.exec(line);
      inode = match ? `socket:[${match[1]}]` : null;
      continue;
    }
    if (inode === null) continue;
    const sent = /\blastsnd:(\d+)/.exec(line);
    const received = /\blastrcv:(\d+)/.exec(line);
    if (sent && received) quiet.set(inode, Math.min(Number(sent[1]), Number(received[1])));
    inode = null;
  }
  return quiet;
}

/** The quiet times of this machine's TCP sockets, or null when `ss` is missing or fails. */
export function readSocketQuiet(): SocketQuiet | null {
  const run = spawnSync('ss', ['-tinHe'], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] });
  return run.status === 0 ? parseSocketQuiet(run.stdout) : null;
}
