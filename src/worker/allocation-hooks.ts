// The helper's task start and end hooks for --allocations. Unless LEAKHUNT_ALLOCATIONS asks for
// it they do nothing: allocations.ts (and with it the inspector) is never loaded.
import type { AllocationRecorder } from './allocations.js';

/** Read once: callers skip the hooks entirely (not even an await) when it is false. */
export const allocationsAsked = Boolean(process.env.LEAKHUNT_ALLOCATIONS);
let recorder: Promise<AllocationRecorder | null> | undefined;

function started(): Promise<AllocationRecorder | null> {
  recorder ??= import('./allocations.js').then((module) => module.startFromEnvironment());
  return recorder;
}

/** loopOwned: the helper's own loop ran nothing since the previous task ended. */
export async function allocationsTaskStarted(name: string, loopOwned: boolean): Promise<void> {
  (await started())?.taskStarted(name, loopOwned);
}

export async function allocationsTaskEnded(name: string): Promise<void> {
  (await started())?.taskEnded(name);
}
