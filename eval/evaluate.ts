// The evaluation: every class over many seeds, summarised per class and checked against the targets.
import type { OnlineOptions } from '../src/detect/index.js';
import { BASELINES } from './baselines.js';
import { CLASSES, type LabelledSeries, type SeriesClass } from './generate.js';
import { scoreSeries, type MethodOutcome, type SeriesOutcome } from './score.js';

export interface EvalOptions {
  seeds: number;
  tasks: number;
  /** Only these classes (by name); all when absent. */
  classes?: string[];
  /** Extra labelled series (e.g. real fixture workers run through leakhunt), one row per className. */
  extra?: LabelledSeries[];
  detector?: OnlineOptions;
}

export interface MethodSummary {
  /** Share of series whose final verdict was leak: false positives (normal) or recall (leak). */
  finalLeak: number;
  /** Share of series flagged by the online checks at some point. */
  onlineLeak: number;
  /** Tasks to detect (online, from the leak's start) over the series detected after it started. */
  medianTasks: number | null;
  p90Tasks: number | null;
  /** Detection delays, for the targets. */
  delays: number[];
}

export interface ClassSummary {
  name: string;
  label: 'normal' | 'leak';
  description: string;
  blindSpot: boolean;
  count: number;
  leakhunt: MethodSummary & { suspect: number; anyCheckLeak: number };
  baselines: MethodSummary[];
}

function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function summarise(outcomes: MethodOutcome[], leakStarts: number[]): MethodSummary {
  // An alarm before the leak started is a false alarm, not an early detection: no delay for it.
  const delays = outcomes
    .map((o, i) => (o.detectedAt === null || o.detectedAt < leakStarts[i]! ? null : o.detectedAt - leakStarts[i]!))
    .filter((d): d is number => d !== null)
    .sort((a, b) => a - b);
  return {
    finalLeak: outcomes.filter((o) => o.finalLeak).length / outcomes.length,
    onlineLeak: outcomes.filter((o) => o.detectedAt !== null).length / outcomes.length,
    medianTasks: percentile(delays, 0.5),
    p90Tasks: percentile(delays, 0.9),
    delays,
  };
}

function summariseClass(meta: Omit<ClassSummary, 'count' | 'leakhunt' | 'baselines'>, outcomes: SeriesOutcome[]): ClassSummary {
  const starts = outcomes.map((o) => o.series.leakStart);
  const leakhunt = summarise(outcomes.map((o) => o.leakhunt), starts);
  return {
    ...meta,
    count: outcomes.length,
    leakhunt: {
      ...leakhunt,
      suspect: outcomes.filter((o) => o.leakhunt.finalStatus === 'suspect').length / outcomes.length,
      anyCheckLeak: outcomes.filter((o) => o.leakhunt.anyCheckLeak).length / outcomes.length,
    },
    baselines: BASELINES.map((_, i) => summarise(outcomes.map((o) => o.baselines[i]!), starts)),
  };
}

export function evaluateClass(seriesClass: SeriesClass, seeds: number, tasks: number, detector?: OnlineOptions): ClassSummary {
  const outcomes: SeriesOutcome[] = [];
  for (let seed = 1; seed <= seeds; seed++) outcomes.push(scoreSeries(seriesClass.generate(seed, tasks), detector));
  const { name, label, description } = seriesClass;
  return summariseClass({ name, label, description, blindSpot: seriesClass.blindSpot ?? false }, outcomes);
}

/** Rows for labelled series given as data (one row per className), e.g. real workers' runs. */
export function evaluateClassesOf(extra: LabelledSeries[], detector?: OnlineOptions): ClassSummary[] {
  const groups = new Map<string, LabelledSeries[]>();
  for (const series of extra) groups.set(series.className, [...(groups.get(series.className) ?? []), series]);
  return [...groups].map(([name, list]) =>
    summariseClass(
      { name, label: list[0]!.label, description: 'extra labelled series', blindSpot: false },
      list.map((series) => scoreSeries(series, detector)),
    ),
  );
}

export function evaluate(options: EvalOptions): ClassSummary[] {
  const classes = CLASSES.filter((c) => !options.classes || options.classes.includes(c.name));
  const rows = classes.map((c) => evaluateClass(c, options.seeds, options.tasks, options.detector));
  return [...rows, ...evaluateClassesOf(options.extra ?? [], options.detector)];
}
