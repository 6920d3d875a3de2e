// One variant of `compare --variant`: its own worker command, driven by the shared --load command,
// sampled and judged as one mode. The load's end ends the variant (the worker gets TERM).
import type { ModeResult } from '../model.js';
import { SpawnError } from '../errors.js';
import { describeLoadEnd, loadFailed } from '../format/load-end.js';
import type { Mode } from '../runner/modes.js';
import { ForkHazardWatch } from '../runner/fork-hazards.js';
import { runSession, type SessionOutcome } from '../runner/session.js';
import { attachInstrument, describeFailure, forkHazardHooks, modeResult, modeSessionSettings, openModeRun, type ModeRun, type ModeRunOptions } from './compare-run.js';

type VariantMode = Extract<Mode, { kind: 'variant' }>;

export interface VariantRunOptions extends Omit<ModeRunOptions, 'command' | 'tasks' | 'spare'> {
  load: string[];
}

export async function runVariant(variant: VariantMode, options: VariantRunOptions): Promise<ModeRun> {
  const { router, instrumentation, recorder, originMs } = await openModeRun(variant.label, options);
  const hazards = new ForkHazardWatch();
  // An isolating variant forks (or spawns) the processes that run its tasks: look at what they inherited.
  const hazardHooks = variant.isolating ? forkHazardHooks(hazards) : {};
  let outcome: SessionOutcome;
  try {
    outcome = await runSession({
      command: variant.command,
      load: { command: options.load },
      ...(instrumentation ? { env: instrumentation.env } : {}),
      ...modeSessionSettings(options, variant.label),
      shared: { recorder, router, originMs },
      ...hazardHooks,
      onSample: (snapshot) => {
        if (snapshot.event === 'task-end') options.onTask?.(recorder.completed);
        if (snapshot.event === 'tick') hazards.duringTasks();
      },
    });
  } catch (error) {
    await router.close();
    await instrumentation?.close();
    if (!(error instanceof SpawnError)) throw error;
    const result = variantResult(variant, modeResult(variant, recorder, options.limit, performance.now() - originMs, `cannot start the worker: ${error.message}`));
    return { result, hazards: [], outcomes: [], spawnError: error };
  }
  await router.close();
  const result = variantResult(variant, modeResult(variant, recorder, options.limit, performance.now() - originMs, variantFailure(outcome)));
  if (outcome.load) result.load = outcome.load;
  await attachInstrument(result, instrumentation);
  const loadStart = outcome.load?.exit.startError;
  return {
    result,
    hazards: hazards.notes(),
    outcomes: [outcome],
    ...(loadStart ? { loadError: new SpawnError(`--load: ${loadStart}`, outcome.load!.exit.code === 126 ? 126 : 127) } : {}),
  };
}

function variantResult(variant: VariantMode, result: ModeResult): ModeResult {
  return { ...result, command: variant.command, baseline: variant.baseline, isolating: variant.isolating };
}

/** A variant ends well when the load ends well and the worker then stops when asked. */
function variantFailure(outcome: SessionOutcome): string | undefined {
  if (outcome.stoppedBy === 'load') return outcome.load && loadFailed(outcome.load) ? `the load failed (${describeLoadEnd(outcome.load)})` : undefined;
  if (outcome.stoppedBy === 'exit' && outcome.exit.code === 0 && outcome.exit.signal === null) return 'the worker exited before the load ended';
  return describeFailure(outcome);
}
