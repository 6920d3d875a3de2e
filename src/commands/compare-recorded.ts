// `leakhunt compare <before> <after>`: two recorded runs (JSON or CSV), deltas per mode and per
// task type, and a CI gate on the after-run.
import type { GateResult, ModeResult, RunResult } from '../model.js';
import { UsageError } from '../errors.js';
import { judgeRun } from '../detect/index.js';
import { loadRun } from '../files/load.js';
import { perTaskSeries } from '../runner/task-series.js';
import { createStyle, shouldColor } from '../render/color.js';
import { renderRecordedComparison } from '../render/compare-recorded.js';
import { parseSize } from '../units.js';
import { annotate } from './compare-gates.js';
import { seriesFromSamples } from './result.js';

export interface RawRecordedOptions {
  maxGrowth?: string;
  color?: boolean;
  quiet?: boolean;
  md?: string;
}

export type MaxGrowth = { kind: 'bytes'; bytes: number } | { kind: 'percent'; fraction: number };

export function parseMaxGrowth(text: string): MaxGrowth {
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (percent) return { kind: 'percent', fraction: Number(percent[1]) / 100 };
  return { kind: 'bytes', bytes: parseSize(text, '--max-growth') };
}

export interface ModePair {
  mode: string;
  before: ModeResult | null;
  after: ModeResult | null;
}

/** A single run reads as one mode named "run", so a watch report compares with a watch report. */
export function modesOf(run: RunResult): ModeResult[] {
  if (run.modes && run.modes.length > 0) return run.modes;
  const done = perTaskSeries(run.tasks);
  const peak = run.processes.length > 0 ? peakTree(run) : null;
  return [{
    mode: 'run',
    verdict: run.verdict,
    tasks: run.tasks,
    samples: run.samples,
    processes: run.processes,
    attribution: run.attribution,
    baselineBytes: done?.firstBytes ?? null,
    finalBytes: done?.lastBytes ?? null,
    peakTreeRssBytes: peak,
    msPerTask: done ? run.durationMs / done.count : null,
    wallMs: run.durationMs,
  }];
}

function peakTree(run: RunResult): number | null {
  const bySeq = new Map<number, number>();
  for (const s of run.samples) bySeq.set(s.seq, (bySeq.get(s.seq) ?? 0) + (s.rssBytes ?? 0));
  const peak = Math.max(0, ...bySeq.values());
  return peak > 0 ? peak : null;
}

export function pairModes(before: RunResult, after: RunResult): ModePair[] {
  const b = modesOf(before);
  const a = modesOf(after);
  const names = [...new Set([...b.map((m) => m.mode), ...a.map((m) => m.mode)])];
  return names.map((mode) => ({ mode, before: b.find((m) => m.mode === mode) ?? null, after: a.find((m) => m.mode === mode) ?? null }));
}

/** Exit 1 when the after-run leaks, or grows past --max-growth (rate per task, and peak). */
export function recordedGates(pairs: ModePair[], maxGrowth: MaxGrowth | null): GateResult[] {
  const gates: GateResult[] = [];
  for (const { mode, before, after } of pairs) {
    if (!after) continue;
    const leaks = after.verdict.status === 'leak';
    gates.push({ gate: `${mode} does not leak`, passed: !leaks, message: `${mode}: after-run reads ${after.verdict.status}` });
    if (!maxGrowth) continue;
    const rate = after.verdict.bytesPerTask;
    const peakRise = after.peakTreeRssBytes !== null && before?.peakTreeRssBytes != null ? after.peakTreeRssBytes - before.peakTreeRssBytes : null;
    if (maxGrowth.kind === 'bytes') {
      if (rate !== null) gates.push({ gate: `${mode} rate`, passed: rate <= maxGrowth.bytes, message: `${mode}: after-run grows ${Math.round(rate)} B/task (max ${maxGrowth.bytes})` });
      if (peakRise !== null) gates.push({ gate: `${mode} peak`, passed: peakRise <= maxGrowth.bytes, message: `${mode}: peak rose ${peakRise} B (max ${maxGrowth.bytes})` });
    } else {
      const growth = after.finalBytes !== null && after.baselineBytes ? (after.finalBytes - after.baselineBytes) / after.baselineBytes : null;
      if (growth !== null) gates.push({ gate: `${mode} growth`, passed: growth <= maxGrowth.fraction, message: `${mode}: after-run grew ${(growth * 100).toFixed(1)}% over the run (max ${(maxGrowth.fraction * 100).toFixed(1)}%)` });
      if (peakRise !== null && before?.peakTreeRssBytes) {
        const rise = peakRise / before.peakTreeRssBytes;
        gates.push({ gate: `${mode} peak`, passed: rise <= maxGrowth.fraction, message: `${mode}: peak rose ${(rise * 100).toFixed(1)}% (max ${(maxGrowth.fraction * 100).toFixed(1)}%)` });
      }
    }
  }
  return gates;
}

export async function compareRecorded(beforePath: string, afterPath: string, raw: RawRecordedOptions): Promise<number> {
  const maxGrowth = raw.maxGrowth ? parseMaxGrowth(raw.maxGrowth) : null;
  const judge = (r: RunResult) => judgeRun(seriesFromSamples(r));
  const before = loadRun(beforePath, { judge });
  const after = loadRun(afterPath, { judge });
  if (!before || !after) throw new UsageError('compare: could not read both reports');
  const pairs = pairModes(before, after);
  const gates = recordedGates(pairs, maxGrowth);
  if (raw.md) {
    const { writeFileAtomic } = await import('../files/atomic.js');
    const { renderRecordedMarkdown } = await import('../report/md-recorded.js');
    writeFileAtomic(raw.md, renderRecordedMarkdown(pairs, gates, beforePath, afterPath));
  }
  if (!raw.quiet) {
    const style = createStyle({ color: shouldColor(process.env, process.stderr.isTTY === true, raw.color !== false) });
    process.stderr.write(renderRecordedComparison(pairs, gates, style, { before: beforePath, after: afterPath }));
  }
  annotate(gates);
  return gates.every((g) => g.passed) ? 0 : 1;
}
