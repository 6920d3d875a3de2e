// Runs a worker the way leakhunt does: a real channel in LEAKHUNT_CHANNEL, tasks on stdin in
// lockstep (the next one only after the previous task's end), and the worker's RSS read from
// /proc at every boundary. Bounded in time; the worker is killed if it overstays.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openChannel } from '../../src/protocol/channel.js';
import type { BoundaryEvent } from '../../src/protocol/message.js';
import type { ProtocolStats } from '../../src/model.js';
import { fixture } from '../helpers/paths.js';

export interface SeenEvent extends BoundaryEvent {
  /** RSS of the reporting process when the boundary arrived (Linux), else null. */
  rssBytes: number | null;
}

export interface WorkerRun {
  events: SeenEvent[];
  code: number | null;
  signal: string | null;
  pid: number;
  stdout: string;
  stderr: string;
  stats: ProtocolStats;
}

export interface RunOptions {
  /** Task lines, written one at a time in lockstep. */
  tasks?: Array<{ task: string; name: string }>;
  env?: NodeJS.ProcessEnv;
  /** false: no LEAKHUNT_CHANNEL, as when the worker runs outside leakhunt. */
  channel?: boolean;
  timeoutMs?: number;
}

export async function runWorker(command: string, args: string[], options: RunOptions = {}): Promise<WorkerRun> {
  const channel = options.channel === false ? null : await openChannel();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.LEAKHUNT_CHANNEL;
  Object.assign(env, options.env);
  if (channel) env.LEAKHUNT_CHANNEL = channel.path;
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const pid = child.pid!;
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  child.stdin.on('error', () => {}); // the worker may exit before reading everything

  const tasks = options.tasks ?? [];
  let next = 0;
  const sendNext = (): void => {
    if (next < tasks.length) child.stdin.write(JSON.stringify(tasks[next++]) + '\n');
    else child.stdin.end();
  };
  const events: SeenEvent[] = [];
  channel?.onEvent((event) => {
    events.push({ ...event, rssBytes: rssOf(event.pid ?? pid) });
    if (event.event === 'end' && event.task === tasks[next - 1]?.task) sendNext();
  });
  // Without a channel the worker cannot say when a task ends: send everything at once.
  if (channel) sendNext();
  else {
    for (const task of tasks) child.stdin.write(JSON.stringify(task) + '\n');
    child.stdin.end();
  }

  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  await channel?.close();
  return { events, code, signal, pid, stdout, stderr, stats: channel?.stats() ?? { malformed: 0, oversized: 0 } };
}

function rssOf(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The helper of this very build, as a file URL for scripts that import it. */
export const HELPER_URL = new URL('../../src/worker/index.js', import.meta.url).href;

/**
 * Node fixtures import the helper as ../dist/src/worker/index.js. Tests may run from another
 * build directory, so the fixture is copied next to a dist/ that points at this build's helper.
 */
export function stageNodeFixture(name: string): { path: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'leakhunt-fixture-'));
  mkdirSync(join(root, 'fixtures'));
  mkdirSync(join(root, 'dist', 'src'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  symlinkSync(dirname(fileURLToPath(HELPER_URL)), join(root, 'dist', 'src', 'worker'));
  copyFileSync(fixture(name), join(root, 'fixtures', name));
  return { path: join(root, 'fixtures', name), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export const starts = (events: BoundaryEvent[]): BoundaryEvent[] => events.filter((e) => e.event === 'start');
export const ends = (events: BoundaryEvent[]): BoundaryEvent[] => events.filter((e) => e.event === 'end');
