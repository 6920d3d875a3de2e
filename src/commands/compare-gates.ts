// The two gates of `compare` (docs/cli.md, "Gates"), and how a failed gate is announced in CI.
import type { GateResult, ModeResult } from '../model.js';

/**
 * 1. Every isolating mode (isolated, recycle:N, fork) must not read `leak`: if it does, the
 *    isolation did not fix the growth.
 * 2. With --fail-on leak|suspect, the in-process mode must not read that verdict or worse.
 * A mode that could not run to the end fails too: its numbers are not a comparison.
 */
export function compareGates(modes: ModeResult[], failOn: 'leak' | 'suspect' | undefined): GateResult[] {
  const gates: GateResult[] = [];
  for (const mode of modes) {
    if (mode.failure) gates.push({ gate: `${mode.mode} ran`, passed: false, message: `${mode.mode}: ${mode.failure}` });
  }
  for (const mode of modes.filter((m) => m.mode !== 'in-process')) {
    const leaks = mode.verdict.status === 'leak';
    gates.push({
      gate: `${mode.mode} does not grow`,
      passed: !leaks,
      message: leaks ? `${mode.mode} still grows: isolation did not fix the leak` : `${mode.mode} reads ${mode.verdict.status}`,
    });
  }
  const inProcess = modes.find((m) => m.mode === 'in-process');
  if (failOn && inProcess) {
    const bad = inProcess.verdict.status === 'leak' || (failOn === 'suspect' && inProcess.verdict.status === 'suspect');
    gates.push({
      gate: `fail-on ${failOn}`,
      passed: !bad,
      message: bad ? `in-process reads ${inProcess.verdict.status} (--fail-on ${failOn})` : `in-process reads ${inProcess.verdict.status}`,
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
