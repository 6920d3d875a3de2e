// Views of the sample rows that readers and renderers share: the tree total per sample, and the
// life of each process. Pure.
import type { ProcessSummary, Rows, Sample, SampleEvent, TaskRecord } from '../model.js';

/** The whole tree at one sample. */
export interface TreePoint {
  seq: number;
  elapsedMs: number;
  event: SampleEvent;
  task?: string;
  name?: string;
  mode?: string;
  /** Sum of the metric over the tree; a missing reading counts as 0, as in Snapshot.treeRssBytes. */
  treeRssBytes: number;
  processCount: number;
}

/** Rows grouped by (mode, seq), in the order they were recorded. */
export function treeSeries(samples: Iterable<Sample>, pick: (s: Sample) => number | null | undefined = (s) => s.rssBytes): TreePoint[] {
  const points = new Map<string, TreePoint>();
  for (const row of samples) {
    const key = `${row.mode ?? ''}\u0000${row.seq}`;
    let point = points.get(key);
    if (!point) {
      point = {
        seq: row.seq, elapsedMs: row.elapsedMs, event: row.event, treeRssBytes: 0, processCount: 0,
        ...(row.task !== undefined ? { task: row.task } : {}),
        ...(row.name !== undefined ? { name: row.name } : {}),
        ...(row.mode !== undefined ? { mode: row.mode } : {}),
      };
      points.set(key, point);
    }
    point.treeRssBytes += pick(row) ?? 0;
    point.processCount++;
  }
  return [...points.values()];
}

/** One summary per process, keyed by (mode, pid, start time) so a reused pid is a new process. */
export function summariseProcesses(samples: Iterable<Sample>): ProcessSummary[] {
  const byProcess = new Map<string, ProcessSummary>();
  for (const row of samples) {
    const key = `${row.mode ?? ''}\u0000${row.pid}\u0000${row.startTime}`;
    const known = byProcess.get(key);
    if (!known) {
      byProcess.set(key, {
        pid: row.pid, ppid: row.ppid, startTime: row.startTime, command: row.command,
        firstMs: row.elapsedMs, lastMs: row.elapsedMs, firstRssBytes: row.rssBytes, lastRssBytes: row.rssBytes,
        peakRssBytes: row.peakRssBytes ?? row.rssBytes, lastVmsBytes: row.vmsBytes, growthBytes: null, samples: 1,
      });
      continue;
    }
    known.lastMs = row.elapsedMs;
    known.lastRssBytes = row.rssBytes ?? known.lastRssBytes;
    known.lastVmsBytes = row.vmsBytes ?? known.lastVmsBytes;
    known.firstRssBytes ??= row.rssBytes;
    const peak = Math.max(known.peakRssBytes ?? -Infinity, row.peakRssBytes ?? -Infinity, row.rssBytes ?? -Infinity);
    known.peakRssBytes = Number.isFinite(peak) ? peak : null;
    known.samples++;
  }
  for (const summary of byProcess.values()) {
    summary.growthBytes = summary.firstRssBytes !== null && summary.lastRssBytes !== null
      ? summary.lastRssBytes - summary.firstRssBytes
      : null;
  }
  return [...byProcess.values()];
}

/** Several runs' rows (samples, tasks) read as one table, in order, without copying them. */
export function concatRows<T>(parts: readonly Rows<T>[]): Rows<T> & { toJSON(): T[] } {
  return {
    get length() {
      return parts.reduce((n, part) => n + part.length, 0);
    },
    *[Symbol.iterator]() {
      for (const part of parts) yield* part;
    },
    toJSON() {
      return parts.flatMap((part) => [...part]);
    },
  };
}

/** Tasks that reported their end (the rest were still running when the run stopped). */
export function endedTaskCount(tasks: Iterable<TaskRecord>): number {
  let ended = 0;
  for (const task of tasks) if (task.endMs !== null) ended++;
  return ended;
}
