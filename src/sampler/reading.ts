// A reading from a backend that cannot give every figure: what it lacks is null (missing),
// never 0, and PSS/USS are marked missing only when they were asked for.
import type { MetricName, ProcessReading } from '../model.js';

export type KnownFigures = Pick<ProcessReading, 'pid' | 'ppid' | 'startTime' | 'command' | 'rssBytes' | 'vmsBytes'>;

export function partialReading(known: KnownFigures, metric: MetricName): ProcessReading {
  const reading: ProcessReading = { ...known, peakRssBytes: null, fds: null, threads: null };
  if (metric === 'pss' || metric === 'uss') {
    reading.pssBytes = null;
    reading.ussBytes = null;
  }
  return reading;
}
