// Boundaries on their way to the session, held while a Node process's heap agent measures the
// heap a task left: an `end` that carries no heap figure, from a process with an agent, waits
// for the agent's answer (heap-agents.ts) and goes on with it as its metrics, as if the worker
// had sent them (the helper does). Boundaries stay in the order they arrived: those behind a held
// end wait with it. The end's sample is taken once the answer is in, and in lockstep the next
// task goes only then, so the worker is idle while it is measured.
import type { BoundaryEvent } from '../protocol/message.js';
import type { BoundaryHandler } from './boundary-router.js';
import type { HeapAsker } from './heap-agents.js';

export class HeapReadings {
  private readonly queue: BoundaryEvent[] = [];
  private pumping: Promise<void> | null = null;

  constructor(
    private readonly agents: HeapAsker,
    private readonly deliver: BoundaryHandler,
  ) {}

  /** Takes each boundary; one that needs no reading, with none held before it, goes on at once. */
  readonly handle = (event: BoundaryEvent): void => {
    if (this.queue.length === 0 && !this.needsReading(event)) {
      this.deliver(event);
      return;
    }
    this.queue.push(event);
    // A handler that throws fails the run as it would have without the queue: uncaught.
    this.pumping ??= this.pump()
      .catch((error: unknown) => process.nextTick(() => {
        throw error;
      }))
      .finally(() => (this.pumping = null));
  };

  /** Resolves once every boundary taken so far has gone on (each wait is bounded by AGENT_REPLY_MS). */
  async settled(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  /**
   * Only a boundary with its own pid: one without (output markers) could be any process's, and a
   * Node parent's heap (npm's, a pool's master) read for its child's task would be wrong.
   */
  private needsReading(event: BoundaryEvent): boolean {
    return event.event === 'end' && event.pid !== undefined && typeof event.metrics?.heapUsed !== 'number' && this.agents.has(event.pid);
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const event = this.queue[0]!;
      if (this.needsReading(event)) {
        const pid = event.pid!;
        const reading = await this.agents.ask(pid, event.task);
        // A later boundary of the same process arrived first: the worker went on to its next task
        // without turning its event loop, so the answer holds part of that task. Not used, and the
        // process is asked no more (each wait would hold its boundaries back).
        const movedOn = this.queue.some((later, i) => i > 0 && later.pid === pid);
        if (movedOn) this.agents.giveUp(pid);
        else if (reading) event.metrics = { ...event.metrics, ...reading, heapBy: 'agent' };
      }
      this.queue.shift();
      this.deliver(event);
    }
  }
}
