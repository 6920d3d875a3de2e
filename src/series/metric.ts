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
 * A tree RSS below this share of what the task's own process reported at its end boundary was not
 * read at that boundary: an idle worker does not shrink by more than 1% (the stable rule's share)
 * between writing its end and leakhunt reading the tree.
 */
const OWN_READING_SHARE = 0.99;

/**
 * The tree's figure after a task, as the verdict and the comparison chart read it: the PSS or USS
 * total when the task was recorded with one (the field is then present, even as null), else RSS.
 * No figure (null, never 0) when the reading cannot be the memory held after the task: an empty
 * tree (the worker had exited when its boundary was read, as a self-driven worker may before
 * leakhunt reads its last lines), or a tree RSS below the RSS its own process reported at that
 * boundary (metrics.rssBytes: read while the process was tearing down).
 */
export function treeAfterBytes(task: TaskRecord): number | null {
  const tree = task.treePssAfterBytes !== undefined ? task.treePssAfterBytes : task.treeUssAfterBytes !== undefined ? task.treeUssAfterBytes : task.treeRssAfterBytes;
  if (tree === null || tree <= 0) return null;
  const reported = task.metrics?.rssBytes;
  const isRss = task.treePssAfterBytes === undefined && task.treeUssAfterBytes === undefined;
  if (isRss && typeof reported === 'number' && tree < OWN_READING_SHARE * reported) return null;
  return tree;
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
