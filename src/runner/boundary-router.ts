// One boundary channel can serve several sessions in turn (compare's isolated modes start a
// fresh worker per task, all writing to the mode's channel): the router hands each event to
// whichever session is current.
import type { BoundaryEvent } from '../protocol/message.js';
import { openChannel, type Channel, type FifoMaker } from '../protocol/channel.js';
import { makeFifo } from './watchdog.js';

export type BoundaryHandler = (event: BoundaryEvent) => void;

export interface BoundaryRouter {
  readonly channel: Channel;
  /** Route events to this handler from now on (null drops them). */
  route(handler: BoundaryHandler | null): void;
  close(): Promise<void>;
}

/**
 * The watchdog's shell makes the FIFO, and stays for the worker it will guard: one process spawned
 * for both instead of a `mkfifo` besides.
 */
const watchdogFifo: FifoMaker = async (path) => {
  const hold = await makeFifo(path);
  return () => hold.release();
};

/** A router opened ahead of the session that will take it (prepareBoundaryRouter). */
let prepared: Promise<BoundaryRouter> | null = null;

/**
 * Starts opening the next session's router now: the watchdog's shell makes the FIFO while the
 * caller sets up the rest, instead of on the way to the worker's start. The next
 * openBoundaryRouter() takes it; discardPreparedRouter() closes one that no session took.
 */
export function prepareBoundaryRouter(): void {
  prepared ??= createRouter();
  // A failure is reported to the session that takes it.
  prepared.catch(() => {});
}

/** Closes a prepared router that no session took (the run failed before it began). */
export async function discardPreparedRouter(): Promise<void> {
  const left = prepared;
  prepared = null;
  await left?.then((router) => router.close(), () => {});
}

export async function openBoundaryRouter(): Promise<BoundaryRouter> {
  const early = prepared;
  prepared = null;
  return early ?? createRouter();
}

async function createRouter(): Promise<BoundaryRouter> {
  const channel = await openChannel(watchdogFifo);
  let current: BoundaryHandler | null = null;
  channel.onEvent((event) => current?.(event));
  return {
    channel,
    route(handler) {
      current = handler;
    },
    close: () => channel.close(),
  };
}
