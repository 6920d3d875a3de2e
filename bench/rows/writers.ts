// Row 7: the report writers at scale. Each runs in a child process (bench/writers/child.ts) so its
// peak RSS is its own: the live CSV of 10^6 samples, and the JSON, HTML and CSV reports of a
// 24-hour run sampled every second (86,400 ticks × 5 processes).
import { constants } from 'node:buffer';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capture } from '../lib/processes.js';
import { fmt, mib } from '../lib/stats.js';
import type { Line, RowResult } from '../lib/table.js';
import type { WriterFigures } from '../writers/child.js';

const CHILD = join(dirname(fileURLToPath(import.meta.url)), '..', 'writers', 'child.js');
/**
 * "Bounded" memory: a streamed writer needs working memory that does not grow with the run. Set
 * at 64 MiB above what the run's data already holds, about the size of one chart's points.
 */
const BOUNDED_EXTRA_BYTES = 64 * 1024 * 1024;

const DAY_SAMPLES = 86_400 * 5;
const WRITERS = [
  { format: 'csv-stream', what: 'live CSV, 10^6 samples (sampleRow, one write per tick)', file: 'samples.csv', samples: 1_000_000 },
  { format: 'json', what: 'JSON report, 24 h at 1 s (432,000 samples)', file: 'run.json', samples: DAY_SAMPLES },
  { format: 'html', what: 'HTML report, 24 h at 1 s', file: 'run.html', samples: DAY_SAMPLES },
  { format: 'csv-report', what: 'CSV report (`report --csv`), 24 h at 1 s', file: 'run.csv', samples: DAY_SAMPLES },
] as const;

async function runWriter(format: string, out: string): Promise<WriterFigures> {
  const run = await capture(process.execPath, ['--expose-gc', CHILD, format, out], { timeoutMs: 300_000 });
  if (run.code !== 0) throw new Error(`writer ${format}: exit ${run.code ?? run.signal}: ${run.stderr.slice(0, 400)}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as WriterFigures;
}

export async function writerCost(): Promise<RowResult> {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-bench-'));
  const results: Array<{ what: string; samples: number; figures: WriterFigures }> = [];
  try {
    for (const writer of WRITERS) results.push({ what: writer.what, samples: writer.samples, figures: await runWriter(writer.format, join(dir, writer.file)) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lines: Line[] = results.map(({ what, samples, figures }) => {
    const extra = figures.peakBytes - figures.rssBeforeBytes;
    const bounded = extra <= BOUNDED_EXTRA_BYTES;
    return {
      row: 7,
      what: `writer: ${what}`,
      measured: `${fmt(figures.writeMs / 1000)} s, peak RSS ${mib(figures.peakBytes)} (${mib(figures.rssBeforeBytes)} before writing), ${mib(figures.fileBytes)} written`,
      target: `memory bounded: ≤ ${mib(BOUNDED_EXTRA_BYTES)} above the data`,
      met: bounded,
      ...(bounded ? {} : { why: unbounded(extra, samples, figures) }),
    };
  });
  return {
    lines,
    details: [
      {
        title: 'Report writers',
        header: ['writer', 'time s', 'RSS before', 'peak RSS', 'peak − before', 'file'],
        rows: results.map(({ what, figures: f }) => [what, fmt(f.writeMs / 1000), mib(f.rssBeforeBytes), mib(f.peakBytes), mib(f.peakBytes - f.rssBeforeBytes), mib(f.fileBytes)]),
        notes: [
          'Each writer runs in a fresh Node process: the synthetic run is built, garbage-collected, the peak-RSS counter reset (/proc/self/clear_refs), then the writer runs and writes its file (atomically, as leakhunt does). "RSS before" is what the run\'s data holds; "peak − before" is what writing needed on top.',
        ],
      },
    ],
  };
}

/** A writer that builds its whole text first: what that costs, and the longest run it can write. */
function unbounded(extra: number, samples: number, figures: WriterFigures): string {
  const bytesPerSample = figures.fileBytes / samples;
  // One JavaScript string holds at most MAX_STRING_LENGTH characters (2^29 − 24 in V8 on 64 bits).
  const maxSamples = constants.MAX_STRING_LENGTH / bytesPerSample;
  const days = maxSamples / DAY_SAMPLES;
  return `Writing took ${mib(extra)} on top of the ${mib(figures.rssBeforeBytes)} the process held: the writer builds the whole ${mib(figures.fileBytes)} text in memory (${fmt(extra / figures.fileBytes, 2)}× the file's size) before it writes it. At ${fmt(bytesPerSample)} bytes a sample, a run of more than ${fmt(maxSamples / 1e6)} million samples (${fmt(days, 2)} days at 1 s × 5 processes; ${fmt((maxSamples / 5000) / 60)} minutes at 10 ms × 50) exceeds the longest string V8 can hold and cannot be written at all.`;
}
