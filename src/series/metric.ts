// Which memory figure judges a run (--metric): RSS by default; PSS or USS (smaps_rollup) when
// asked, so a forked pool's shared pages are counted once (PSS splits each page among the
// processes that map it) or not at all (USS). The figure is chosen here, once, for the tree
// totals, the per-task figures, the verdict's series name and the charts.
import type { MetricName, ProcessReading, Sample, SampleRows, TaskRecord } from '../model.js';

/** The figure summed over the tree: heap runs are judged on the heap, and their tree on RSS. */
export type TreeMetric = 'rss' | 'pss' | 'uss';

export function treeMetric(metric: MetricName): TreeMetric {
  return metric === 'pss' || metric === 'uss' ? metric : 'rss';
}

/** One process's figure for that metric; null when it could not be read (never 0). */
export function readingBytes(reading: ProcessReading, metric: TreeMetric): number | null {
  if (metric === 'pss') return reading.pssBytes ?? null;
  if (metric === 'uss') return reading.ussBytes ?? null;
  return reading.rssBytes;
}

/** "PSS" — for chart titles and the verdict's series name ('tree-pss'). */
export function metricLabel(metric: TreeMetric): string {
  return metric.toUpperCase();
}

/**
 * The tree's figure after a task, as the verdict and the comparison chart read it: the PSS or USS
 * total when the task was recorded with one (the field is then present, even as null), else RSS.
 */
export function treeAfterBytes(task: TaskRecord): number | null {
  if (task.treePssAfterBytes !== undefined) return task.treePssAfterBytes;
  if (task.treeUssAfterBytes !== undefined) return task.treeUssAfterBytes;
  return task.treeRssAfterBytes;
}

/**
 * The samples with each row's rssBytes replaced by the chosen figure, for the charts that draw
 * rssBytes; the rows themselves unchanged (and no copy made) for RSS.
 */
export function samplesAs(samples: SampleRows, metric: TreeMetric): SampleRows {
  if (metric === 'rss') return samples;
  return {
    get length() {
      return samples.length;
    },
    *[Symbol.iterator](): Iterator<Sample> {
      for (const sample of samples) yield { ...sample, rssBytes: readingBytes(sample, metric) };
    },
  };
}
