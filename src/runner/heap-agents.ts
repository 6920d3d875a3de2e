// leakhunt's side of the Node heap agent (worker/heap-agent.cts): a Unix socket in a private
// directory that the agents of the worker's Node processes connect to, and the one question asked
// of them: "task X of yours has ended; what does your heap hold after a full GC?". An agent
// announces itself on the boundary channel first (channel.onAgent), so a process's first task
// waits for its connection instead of racing it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJsonObject } from '../protocol/message.js';
import { createLineSplitter } from '../protocol/lines.js';
import { packageFile } from '../version.js';
import { withPreload } from './node-options.js';

/**
 * How long an answer may take. The agent answers when the worker's event loop next turns: at
 * once for a worker waiting for its next task, after a full GC of its heap (milliseconds for tens
 * of MB). A worker that does not turn its loop between tasks is asked no more (giveUp).
 */
export const AGENT_REPLY_MS = 1000;
/** Processes followed at once; an announced process that never connected is forgotten first. */
const MAX_AGENTS = 4096;
/** An answer is four figures and a task id; a longer line is no answer. */
const MAX_ANSWER_BYTES = 1024;

export type HeapReading = Record<'heapUsed' | 'heapTotal' | 'external', number>;

/** What the boundary queue (heap-readings.ts) asks of the agents. */
export interface HeapAsker {
  /** Whether a process has an agent that still answers. */
  has(pid: number): boolean;
  /** The heap after GC of a process whose task ended; null on no answer in time or a closed agent. */
  ask(pid: number, task: string): Promise<HeapReading | null>;
  /** The process no longer idles between its tasks: its readings would hold the next task's work. */
  giveUp(pid: number): void;
}

interface Agent {
  socket: Socket | null;
  /** Requests written before the agent connected, sent when it does. */
  queued: string[];
  answers: Map<string, (reading: HeapReading | null) => void>;
  unresponsive: boolean;
}

export interface HeapAgents extends HeapAsker {
  /** The worker's environment additions: the socket, and the agent preloaded into every Node process. */
  env(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** A process's agent announced itself on the channel. */
  announced(pid: number): void;
  close(): void;
}

/** Where the agent lives in the installed package (the CLI may run from its bundle, dist/cli/). */
export const agentFile = (): string => packageFile('dist/src/worker/heap-agent.cjs');

/** Opens the socket; null when this installation has no agent or the socket cannot be made. */
export async function openHeapAgents(): Promise<HeapAgents | null> {
  const file = agentFile();
  if (!existsSync(file)) return null;
  // mkdtemp: 0700, so no other user can connect and answer for a worker.
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-heap-'));
  const path = join(dir, 'agents');
  const agents = new Map<number, Agent>();
  const server = createServer((socket) => adopt(socket));
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(path, () => resolve(true));
  });
  if (!listening) {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  server.unref();

  const entry = (pid: number): Agent => {
    let agent = agents.get(pid);
    if (!agent) {
      if (agents.size >= MAX_AGENTS) forget(agents.keys().next().value!);
      agent = { socket: null, queued: [], answers: new Map(), unresponsive: false };
      agents.set(pid, agent);
    }
    return agent;
  };
  const forget = (pid: number): void => {
    const agent = agents.get(pid);
    if (!agent) return;
    agents.delete(pid);
    agent.socket?.destroy();
    for (const resolve of agent.answers.values()) resolve(null);
    agent.answers.clear();
  };

  function adopt(socket: Socket): void {
    socket.unref();
    let pid: number | null = null;
    const splitter = createLineSplitter({
      maxLine: MAX_ANSWER_BYTES,
      onOversized: () => {},
      onLine(line) {
        const message = parseJsonObject(line);
        if (!message) return;
        if (pid === null) {
          if (typeof message.pid !== 'number' || !Number.isSafeInteger(message.pid)) return void socket.destroy();
          pid = message.pid;
          const agent = entry(pid);
          agent.socket?.destroy();
          agent.socket = socket;
          for (const request of agent.queued.splice(0)) socket.write(request);
          return;
        }
        const reading = readingOf(message);
        const resolve = reading && typeof message.task === 'string' ? agents.get(pid)?.answers.get(message.task) : undefined;
        resolve?.(reading);
      },
    });
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('error', () => socket.destroy());
    // The process exited (or its agent gave up): nothing more will come from it.
    socket.on('close', () => {
      if (pid !== null && agents.get(pid)?.socket === socket) forget(pid);
    });
  }

  return {
    env(base) {
      return { LEAKHUNT_HEAP_AGENT: path, NODE_OPTIONS: withPreload(base.NODE_OPTIONS, '--require', file) };
    },
    announced: (pid) => void entry(pid),
    has: (pid) => agents.get(pid)?.unresponsive === false,
    giveUp(pid) {
      const agent = agents.get(pid);
      if (agent) agent.unresponsive = true;
    },
    ask(pid, task) {
      const agent = agents.get(pid);
      if (!agent || agent.unresponsive) return Promise.resolve(null);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          agent.unresponsive = true;
          settle(null);
        }, AGENT_REPLY_MS);
        const settle = (reading: HeapReading | null): void => {
          clearTimeout(timer);
          agent.answers.delete(task);
          resolve(reading);
        };
        agent.answers.set(task, settle);
        const request = `${JSON.stringify({ task })}\n`;
        if (agent.socket) agent.socket.write(request);
        else agent.queued.push(request);
      });
    },
    close() {
      for (const pid of [...agents.keys()]) forget(pid);
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readingOf(message: Record<string, unknown>): HeapReading | null {
  const figures: Array<[keyof HeapReading, unknown]> = [['heapUsed', message.heapUsed], ['heapTotal', message.heapTotal], ['external', message.external]];
  if (!figures.every(([, value]) => typeof value === 'number' && Number.isFinite(value) && value >= 0)) return null;
  return Object.fromEntries(figures) as HeapReading;
}
