// The verdict's explanation told in one sentence a user understands, shared by the terminal
// summary and the Markdown and HTML writers (so all three say the same thing the same way).
import type { Explanation, ExplanationKind, Verdict } from '../model.js';
import { formatBytes, formatDelta, formatDuration } from '../units.js';

/** Each explanation's name, as the reason and the runner-up phrase use it. */
export const EXPLANATION_NAME: Record<ExplanationKind, string> = {
  'per-run-leak': 'a per-run leak',
  'new-task-types': 'growth with new task types',
  'filling-to-cap': 'a fill towards a cap',
  step: 'a step',
  'gc-sawtooth': 'a GC sawtooth',
  flat: 'flat memory',
};

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A position on the verdict's axis: "task 340" or "at 1m20s". */
function at(position: number, unit: 'task' | 'ms'): string {
  return unit === 'task' ? `task ${count(position)}` : formatDuration(position);
}

/** A span on the verdict's axis: "45 tasks" or "3m10s". */
function span(length: number, unit: 'task' | 'ms'): string {
  return unit === 'task' ? `${count(length)} tasks` : formatDuration(length);
}

function rate(bytes: number, unit: 'task' | 'ms'): string {
  return unit === 'task' ? `${formatDelta(bytes)} per task` : `${formatDelta(bytes * 3_600_000)} per hour`;
}

function newTypesSentence(e: Explanation): string {
  const types = e.newTypes;
  const head = `grows with each new task type: ${formatDelta(e.bytesPerNewType ?? 0)} per new type, ${formatDelta(Math.round(types?.bytesPerRepeat ?? 0))} per repeat`;
  if (!types) return head;
  const share = `${Math.round(types.firstRunShare * 100)}% of the growth at first runs`;
  const arriving = types.stillArriving ? 'new ones still arriving' : `arrivals tapering off (the latest at task ${count(types.lastNewTypeAt)})`;
  return `${head}; ${count(types.typesSeen)} types seen, ${arriving}; ${share}`;
}

function stepSentence(e: Explanation, unit: 'task' | 'ms'): string {
  const steps = e.steps ?? [];
  const list = steps.map((s) => `${formatDelta(s.bytes)} at ${at(s.at, unit)}`).join(', ');
  return `moved in ${steps.length === 1 ? 'one step' : `${steps.length} steps`} between flat levels (${list}), not at every task`;
}

function capSentence(e: Explanation, unit: 'task' | 'ms'): string {
  const cap = e.cap;
  if (!cap) return 'rises ever more slowly, towards a cap';
  const halving = span(cap.timeConstant * Math.LN2, unit);
  return `fills towards a cap: the rise halves every ${halving}, about ${formatBytes(Math.max(0, cap.bytesToCap))} still to come`;
}

/** The sentence for the explanation itself, without the runner-up. */
function mainSentence(e: Explanation, verdict: Verdict, unit: 'task' | 'ms'): string {
  switch (e.kind) {
    case 'per-run-leak': {
      const slope = unit === 'task' ? (verdict.bytesPerTask ?? e.slope ?? 0) : (e.slope ?? 0);
      return `grows steadily with every ${unit === 'task' ? 'task' : 'hour'}: ${rate(slope, unit)}`;
    }
    case 'new-task-types':
      return newTypesSentence(e);
    case 'filling-to-cap':
      return capSentence(e, unit);
    case 'step':
      return stepSentence(e, unit);
    case 'gc-sawtooth':
      return `rises and falls with garbage collection (every ~${count(e.sawtooth?.period ?? 0)} ${unit === 'task' ? 'tasks' : 'samples'}), with no growth underneath`;
    case 'flat':
      return 'flat: no growth after the warm-up';
  }
}

/**
 * "grows with each new task type: +220.0 KB per new type, 0 B per repeat; 41 types seen, new ones
 * still arriving; 95% of the growth at first runs", or null when the verdict carries no explanation.
 */
export function explanationSentence(verdict: Verdict): string | null {
  const e = verdict.explanation;
  if (!e) return null;
  const unit = verdict.window?.unit ?? 'task';
  const main = mainSentence(e, verdict, unit);
  // The runner-up matters where it would change what to do: not beside a flat verdict.
  const quiet = e.kind === 'flat' || e.kind === 'gc-sawtooth' || verdict.status === 'stable';
  const runnerUp = e.runnerUp && !quiet ? ` (${EXPLANATION_NAME[e.runnerUp.kind]} fits nearly as well)` : '';
  return main + runnerUp;
}
