// The targets, checked on the evaluation's summaries.
import type { ClassSummary } from './evaluate.js';

export interface TargetResult {
  target: string;
  met: boolean;
  measured: string;
}

const percent = (share: number): string => `${(100 * share).toFixed(1)}%`;

/** Share of a class's series detected online within `budget` tasks of the leak's start. */
export function detectedWithin(row: ClassSummary, budget: number): number {
  return row.leakhunt.delays.filter((d) => d <= budget).length / row.count;
}

export function checkTargets(rows: ClassSummary[]): TargetResult[] {
  const results: TargetResult[] = [];
  const normal = rows.filter((r) => r.label === 'normal');
  const falseLeaks = normal.filter((r) => r.leakhunt.finalLeak > 0);
  if (normal.length > 0) {
    results.push({
      target: '0 final `leak` verdicts on the normal classes',
      met: falseLeaks.length === 0,
      measured: falseLeaks.length === 0 ? `0 of ${normal.reduce((sum, r) => sum + r.count, 0)} series` : falseLeaks.map((r) => `${r.name} ${percent(r.leakhunt.finalLeak)}`).join(', '),
    });
  }
  for (const name of ['leak-10k-page', 'leak-10k-arena']) {
    const row = rows.find((r) => r.name === name);
    if (!row) continue;
    const share = detectedWithin(row, 1000);
    results.push({ target: `${name}: recall ≥ 99% within 1,000 tasks (RSS)`, met: share >= 0.99, measured: percent(share) });
  }
  const heap = rows.find((r) => r.name === 'heap:leak-1k');
  if (heap) {
    const share = detectedWithin(heap, 200);
    results.push({ target: 'heap:leak-1k: 1 KB/task detected within 200 tasks (≥ 99%)', met: share >= 0.99, measured: percent(share) });
  }
  return results;
}
