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

export async function openBoundaryRouter(): Promise<BoundaryRouter> {
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
