// The two gates of `compare` (docs/cli.md, "Gates"), and how a failed gate is announced in CI.
import type { GateResult, ModeResult } from '../model.js';
import { baselineMode, isIsolating } from '../format/mode-roles.js';

/**
 * 1. Every isolating mode (isolated, recycle:N, fork, or a variant marked so) must not read
 *    `leak`: if it does, the isolation did not fix the growth.
 * 2. With --fail-on leak|suspect, the baseline mode (in-process, or the first variant) must not
 *    read that verdict or worse.
 * A mode that could not run to the end fails too: its numbers are not a comparison.
 */
export function compareGates(modes: ModeResult[], failOn: 'leak' | 'suspect' | undefined): GateResult[] {
  const gates: GateResult[] = [];
  for (const mode of modes) {
    if (mode.failure) gates.push({ gate: `${mode.mode} ran`, passed: false, message: `${mode.mode}: ${mode.failure}` });
  }
  // A mode that failed has its own failed gate; "does not grow" would read as a pass on no data.
  for (const mode of modes.filter((m) => isIsolating(m, modes) && !m.failure)) {
    const leaks = mode.verdict.status === 'leak';
    gates.push({
      gate: `${mode.mode} does not grow`,
      passed: !leaks,
      message: leaks ? `${mode.mode} still grows: isolation did not fix the leak` : `${mode.mode} reads ${mode.verdict.status}`,
    });
  }
  const baseline = baselineMode(modes);
  if (failOn && baseline) {
    const bad = baseline.verdict.status === 'leak' || (failOn === 'suspect' && baseline.verdict.status === 'suspect');
    gates.push({
      gate: `fail-on ${failOn}`,
      passed: !bad,
      message: bad ? `${baseline.mode} reads ${baseline.verdict.status} (--fail-on ${failOn})` : `${baseline.mode} reads ${baseline.verdict.status}`,
    });
  }
  return gates;
}

/** GitHub Actions reads `::error::` workflow commands from the step's output. */
export function annotate(gates: GateResult[], env: NodeJS.ProcessEnv = process.env, write: (s: string) => unknown = (s) => process.stdout.write(s)): void {
  if (!env.GITHUB_ACTIONS) return;
  for (const gate of gates.filter((g) => !g.passed).slice(0, 10)) {
    write(`::error title=leakhunt gate failed::${escapeCommandData(gate.message)}\n`);
  }
}

/** The escaping the actions toolkit applies to a command's message. */
export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
