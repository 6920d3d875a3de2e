// BullMQ's jobs as leakhunt tasks (name: the job's name; id: the job's id), found where they run:
// - Worker.prototype.callProcessJob runs an inline processor in the worker's own process;
// - a sandboxed processor (a file) runs in a child of BullMQ's ChildPool, which loads
//   ChildProcessor there; the child inherits this preload through NODE_OPTIONS, and its
//   ChildProcessor.prototype.start gets the job. BullMQ keeps those children and reuses them for
//   job after job, so each job is reported with the pid of the child that ran it.
// A child that dies mid-job cannot report its end: the worker, whose sandbox then rejects the
// job with "Unexpected exit code", reports it lost.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { channelActive, memoryMetrics, startMetrics, writeBoundary } from '../boundary.js';
import { noteHooked, noteUnfit } from './notes.js';
import { allocationsAsked, allocationsTaskEnded, allocationsTaskStarted } from '../allocation-hooks.js';

interface Job {
  id?: string | number;
  name?: string;
}
type Processor = (job: Job, ...rest: unknown[]) => unknown;

const WRAPPED = Symbol.for('leakhunt.instrument.wrapped');
/** The sandbox's error when the child exits mid-job (bullmq/dist/cjs/classes/sandbox.js). */
const CHILD_EXITED = /^Unexpected exit code/;

/** bullmq/dist/cjs/classes/worker.js has been loaded: wrap its Worker. */
export function hookWorkerModule(exports: unknown, filename: string): void {
  const version = packageVersion(filename);
  const proto = (exports as { Worker?: { prototype?: Record<string, unknown> } } | null)?.Worker?.prototype;
  const original = proto?.callProcessJob;
  if (!proto || typeof original !== 'function' || original.length < 2) {
    noteUnfit('bullmq', version, 'Worker.prototype.callProcessJob(job, token) is missing');
    return;
  }
  proto.callProcessJob = async function callProcessJob(this: { childPool?: unknown }, job: Job, ...rest: unknown[]): Promise<unknown> {
    if (!this.childPool) return runReported(() => original.call(this, job, ...rest), job);
    // Sandboxed: the child reports the job itself, unless it dies first.
    try {
      return await original.call(this, job, ...rest);
    } catch (error) {
      if (CHILD_EXITED.test((error as Error)?.message ?? '')) {
        writeBoundary({ event: 'end', task: idOf(job), name: nameOf(job), ok: false, onBehalf: true });
      }
      throw error;
    }
  };
  noteHooked('bullmq', version);
}

/** bullmq/dist/cjs/classes/child-processor.js has been loaded, in a sandbox child. */
export function hookChildProcessorModule(exports: unknown, filename: string): void {
  const version = packageVersion(filename);
  const proto = (exports as { ChildProcessor?: { prototype?: Record<string, unknown> } } | null)?.ChildProcessor?.prototype;
  const start = proto?.start;
  if (!proto || typeof start !== 'function' || typeof proto.init !== 'function') {
    noteUnfit('bullmq', version, 'ChildProcessor.prototype.start / init are missing');
    return;
  }
  // The processor is set by init(); by the time a job starts it is there to wrap.
  proto.start = function startReported(this: { processor?: Processor & { [WRAPPED]?: true } }, ...args: unknown[]): unknown {
    const processor = this.processor;
    if (typeof processor === 'function' && !processor[WRAPPED]) {
      const wrapped = Object.assign((job: Job, ...rest: unknown[]) => runReported(() => processor(job, ...rest), job), { [WRAPPED]: true as const });
      this.processor = wrapped;
    }
    return start.apply(this, args);
  };
  noteHooked('bullmq', version);
}

async function runReported(run: () => unknown, job: Job): Promise<unknown> {
  const task = idOf(job);
  const name = nameOf(job);
  // rssBytes read here, at the boundary: leakhunt's sample comes when it reads the line, and with
  // concurrency the job (or the next one) may have allocated by then.
  writeBoundary({ event: 'start', task, name, metrics: startMetrics() });
  // --allocations: the same per-task recording the helper's own loops get (several jobs may overlap).
  if (allocationsAsked) await allocationsTaskStarted(name, false);
  let ok = false;
  try {
    const result = await run();
    ok = true;
    return result;
  } finally {
    // Metrics first: their full GC is the one --allocations reads the heap after.
    const metrics = channelActive() ? memoryMetrics() : {};
    if (allocationsAsked) await allocationsTaskEnded(name, channelActive());
    writeBoundary({ event: 'end', task, name, ok, metrics });
  }
}

function idOf(job: Job): string {
  return job?.id === undefined || job.id === null ? 'job' : String(job.id);
}

function nameOf(job: Job): string {
  return typeof job?.name === 'string' && job.name !== '' ? job.name : 'job';
}

/** dist/cjs/classes/<file>.js → the package's version. */
function packageVersion(filename: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(dirname(filename), '..', '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : '?';
  } catch {
    return '?';
  }
}
