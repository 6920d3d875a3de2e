// The end of a run: the terminal summary, and the exit code (DESIGN "Exit codes").
import type { RunResult, VerdictStatus } from '../model.js';
import { describeAttribution } from '../detect/index.js';
import { createStyle, shouldColor } from '../render/color.js';
import { renderSummary } from '../render/summary.js';
import { allocationLines } from '../render/allocations.js';
import type { SessionOutcome } from '../runner/session.js';
import { signalNumber } from '../runner/exit-code.js';
import { loadFailed } from '../format/load-end.js';
import type { OutputOptions } from './options.js';

export function renderForTerminal(result: RunResult, out: Pick<OutputOptions, 'color'>): string {
  const style = createStyle({ color: shouldColor(process.env, process.stderr.isTTY === true, out.color) });
  return renderSummary(result, style, {
    width: process.stderr.columns || 100,
    attributionLines: result.attribution.slice(0, 5).map(describeAttribution),
    allocationLines: allocationLines(result, style),
  });
}

const SEVERITY: Record<VerdictStatus, number> = { insufficient: 0, stable: 0, suspect: 1, leak: 2 };

export function gateFailed(status: VerdictStatus, failOn: 'leak' | 'suspect' | undefined): boolean {
  if (!failOn) return false;
  return SEVERITY[status] >= SEVERITY[failOn];
}

/**
 * The worker's own failure wins (its code, or 128+N for signal N, as tini does); then a failed
 * load or a failed gate (1); else 0. A worker ended by leakhunt at --duration, --stop-on or the
 * load's end is a normal end.
 */
export function gateExitCode(result: RunResult, outcome: Pick<SessionOutcome, 'stoppedBy'>, failOn: 'leak' | 'suspect' | undefined): number {
  const stoppedOnPurpose = outcome.stoppedBy === 'duration' || outcome.stoppedBy === 'stop-on' || outcome.stoppedBy === 'load';
  const { code, signal } = result.exit;
  if (!stoppedOnPurpose) {
    if (signal) return 128 + signalNumber(signal);
    if (code !== null && code !== 0) return code;
  }
  const gate = gateFailed(result.verdict.status, failOn);
  result.gates = failOn
    ? [{ gate: `fail-on ${failOn}`, passed: !gate, message: `verdict is ${result.verdict.status}` }]
    : result.gates;
  return gate || (result.load !== undefined && loadFailed(result.load)) ? 1 : 0;
}
