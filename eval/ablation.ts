// Ablations: the same classes with one part of the detector switched off, to show what it buys.
import type { OnlineOptions } from '../src/detect/index.js';
import type { ClassSummary } from './evaluate.js';
import { evaluateInParallel } from './parallel.js';

export interface Ablation {
  name: string;
  options: OnlineOptions;
}

export const ABLATIONS: Ablation[] = [
  { name: 'leakhunt as shipped', options: {} },
  {
    name: 'no sustained-growth checks (halves, slowdown, saturation)',
    options: {
      thresholds: {
        halfP: 1,
        sustainedRatio: { 'rss-task': -Infinity, 'heap-task': -Infinity, time: -Infinity },
        sustainedLowRatio: -Infinity,
        halvesSlowdownZ: { 'rss-task': Infinity, 'heap-task': Infinity, time: Infinity },
        saturationZ: Infinity,
      },
    },
  },
  { name: 'no short-run rule (full trust from 20 points)', options: { thresholds: { fullEvidencePoints: { 'rss-task': 0, 'heap-task': 0, time: 0 } } } },
  { name: 'debounce of 1 check (no debounce)', options: { confirmations: 1 } },
];

const CLASSES = ['plateau', 'sawtooth', 'cache-fill', 'one-step', 'two-steps', 'leak-10k-page', 'leak-1k-page'];

export interface AblationRow {
  ablation: string;
  rows: ClassSummary[];
}

export async function runAblations(seeds: number, tasks: number): Promise<AblationRow[]> {
  const results: AblationRow[] = [];
  for (const ablation of ABLATIONS) {
    results.push({ ablation: ablation.name, rows: await evaluateInParallel({ seeds, tasks, classes: CLASSES, detector: ablation.options }) });
  }
  return results;
}

const percent = (share: number): string => `${(100 * share).toFixed(1)}%`;

/** One line per ablation: online and final false alarms per normal class, then the leaks' median delay. */
export function renderAblations(results: AblationRow[]): string {
  const names = results[0]?.rows.map((r) => r.name) ?? [];
  const header = ['variant', ...names.map((n) => (n.startsWith('leak') ? `${n}: median` : `${n}: online / final`))];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const { ablation, rows } of results) {
    const cells = rows.map((r) =>
      r.label === 'leak' ? String(r.leakhunt.medianTasks ?? '–') : `${percent(r.leakhunt.onlineLeak)} / ${percent(r.leakhunt.finalLeak)}`,
    );
    lines.push(`| ${[ablation, ...cells].join(' | ')} |`);
  }
  return lines.join('\n');
}
