// Signals sent to leakhunt are passed on to the worker, each exactly once.
// INT, TERM, HUP and QUIT go to the worker's process group, as a terminal would deliver them;
// USR1 and USR2 are application signals and go to the worker process alone.
// INT and TERM also start the shutdown: the worker gets a grace period (--kill-after), then the
// whole tree is killed. A second INT or TERM kills at once.

export const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;
export type ForwardedSignal = (typeof FORWARDED)[number];

const TO_GROUP: ReadonlySet<string> = new Set(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']);
const STARTS_SHUTDOWN: ReadonlySet<string> = new Set(['SIGINT', 'SIGTERM']);

export interface SignalTargets {
  /** Deliver to the group (true) or to the worker process only (false). */
  deliver(signal: ForwardedSignal, toGroup: boolean): void;
  /** First INT/TERM: begin the grace period. */
  shutdown(signal: ForwardedSignal): void;
  /** Second INT/TERM: kill the tree now. */
  killNow(): void;
}

export interface SignalRelay {
  /** Signals received, in order (for the report). */
  readonly received: ForwardedSignal[];
  /** Act on a signal that arrived before the relay existed (held while the worker started). */
  inject(signal: ForwardedSignal): void;
  dispose(): void;
}

export function relaySignals(targets: SignalTargets): SignalRelay {
  const received: ForwardedSignal[] = [];
  let shuttingDown = false;
  const handlers = new Map<ForwardedSignal, () => void>();
  for (const signal of FORWARDED) {
    const handler = (): void => {
      received.push(signal);
      if (STARTS_SHUTDOWN.has(signal) && shuttingDown) {
        targets.killNow();
        return;
      }
      targets.deliver(signal, TO_GROUP.has(signal));
      if (STARTS_SHUTDOWN.has(signal)) {
        shuttingDown = true;
        targets.shutdown(signal);
      }
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return {
    received,
    inject(signal) {
      handlers.get(signal)?.();
    },
    dispose() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}
