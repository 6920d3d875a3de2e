// The boundary channel (DESIGN.md, "Task protocol v1", way 1): a FIFO in a private directory,
// named to the worker by LEAKHUNT_CHANNEL. Any process of the tree writes one JSON line per
// boundary; lines of at most PIPE_BUF (4096) bytes are written atomically, so concurrent
// writers never interleave.
import { execFileSync } from 'node:child_process';
// Synchronous fs, not node:fs/promises: loading that (with the readline and rimraf modules it pulls
// in) cost every run ~1.5 ms of start-up, for a directory made and removed once (microseconds).
import { constants, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProtocolStats } from '../model.js';
import { createLineSplitter } from './lines.js';
import { parseBoundaryLine, type BoundaryEvent } from './message.js';

/** PIPE_BUF on Linux and macOS: the largest write a FIFO keeps whole. Longer lines are dropped. */
export const MAX_CHANNEL_LINE_BYTES = 4096;

export type BoundaryListener = (event: BoundaryEvent, receivedAtMs: number) => void;

export interface Channel {
  /** The FIFO; set it as LEAKHUNT_CHANNEL in the worker's environment. */
  path: string;
  /** Called synchronously as each line arrives; receivedAtMs is performance.now(). */
  onEvent(listener: BoundaryListener): void;
  stats(): ProtocolStats;
  /** Hands on, now, every line already written to the FIFO that no 'data' event has brought yet. */
  drain(): void;
  /** Reads what is still buffered, then closes and removes the FIFO and its directory. */
  close(): Promise<void>;
}

/**
 * Makes a FIFO (mode 0600) at a path; what it returns is called once the channel is closed. Node
 * has no mkfifo(): the runner has its watchdog's shell make it (runner/boundary-router.ts).
 */
export type FifoMaker = (path: string) => Promise<() => void>;

/** The FIFO made by a `mkfifo` of its own: a fork of the whole Node process, on every run. */
export const spawnMkfifo: FifoMaker = async (path) => {
  execFileSync('mkfifo', ['-m', '600', path], { stdio: 'ignore' });
  return () => {};
};

/**
 * Opens a channel. Everything up to the FIFO's request happens before this returns its promise
 * (the directory is made synchronously), so a caller can open it early and let the FIFO be made
 * while it sets up the rest.
 */
export async function openChannel(makeFifo: FifoMaker = spawnMkfifo): Promise<Channel> {
  // mkdtemp makes the directory 0700: no other user can open, replace or symlink the FIFO.
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-'));
  const path = join(dir, 'channel');
  let fd: number;
  let fifoDone: () => void = () => {};
  try {
    fifoDone = await makeFifo(path);
    // O_RDWR: leakhunt is itself a writer, so the read side never sees EOF when workers come
    // and go, and open() returns at once instead of waiting for the first writer.
    fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  } catch (error) {
    fifoDone();
    removeChannelDir(dir, path);
    throw new Error(`cannot create the task channel: ${(error as Error).message}`, { cause: error });
  }

  const listeners: BoundaryListener[] = [];
  const stats: ProtocolStats = { malformed: 0, oversized: 0 };
  const splitter = createLineSplitter({
    maxLine: MAX_CHANNEL_LINE_BYTES,
    onOversized: () => (stats.oversized += 1),
    onLine(line) {
      if (line.trim() === '') return;
      const event = parseBoundaryLine(line);
      if (!event) {
        stats.malformed += 1;
        return;
      }
      const receivedAtMs = performance.now();
      for (const listener of listeners) listener(event, receivedAtMs);
    },
  });

  // A net.Socket over the FIFO reads through the event loop (epoll), never blocking it and
  // never tying up a thread-pool thread the way a file stream would.
  const socket = new Socket({ fd, readable: true, writable: false });
  socket.on('data', (chunk: Buffer) => splitter.push(chunk));
  socket.on('error', () => {
    // Reading a FIFO we hold open for writing cannot fail in practice; a failure only means
    // no more boundaries, which the run reports as tasks without an end.
  });

  let closed: Promise<void> | null = null;
  return {
    path,
    onEvent: (listener) => void listeners.push(listener),
    stats: () => ({ ...stats }),
    drain() {
      if (closed === null) drainPending(fd, (chunk) => splitter.push(chunk));
    },
    close() {
      closed ??= (async () => {
        drainPending(fd, (chunk) => splitter.push(chunk));
        splitter.end();
        socket.destroy();
        removeChannelDir(dir, path);
        fifoDone();
      })();
      return closed;
    },
  };
}

/** The channel's directory holds the FIFO and nothing else (it is 0700): removed as two steps. */
function removeChannelDir(dir: string, fifo: string): void {
  for (const remove of [() => unlinkSync(fifo), () => rmdirSync(dir)]) {
    try {
      remove();
    } catch {
      // already gone (or never made): nothing is left to remove
    }
  }
}

/** Boundaries written just before close may not have reached a 'data' event yet. */
function drainPending(fd: number, push: (chunk: Buffer) => void): void {
  const buffer = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    let bytes: number;
    try {
      bytes = readSync(fd, buffer, 0, buffer.length, null);
    } catch {
      return; // EAGAIN: the FIFO is empty.
    }
    if (bytes <= 0) return;
    push(buffer.subarray(0, bytes)); // the splitter copies what it keeps
  }
}
