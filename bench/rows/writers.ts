// Row 7: the report writers at scale. Each runs in a child process (bench/writers/child.ts) so its
// peak RSS is its own: the live CSV of 10^6 samples, and the JSON, HTML and CSV reports of a
// 24-hour run sampled every second (86,400 ticks × 5 processes). Each also runs on a quarter of
// that: a writer whose memory is bounded needs no more to write four times the samples.
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
const DAY_SAMPLES = 86_400 * 5;
/**
 * Bounded: writing more samples needs (almost) no more working memory. Measured as the peak RSS
 * above the data added per extra sample, between a quarter and the full run: a writer that keeps
 * any text or object per sample needs about 100 bytes or more for each (a CSV row is ~100 bytes, a
 * JSON row ~230); below 64 the rest is garbage the collector has not reclaimed yet.
 */
const BOUNDED_BYTES_PER_SAMPLE = 64;

const WRITERS = [
  { format: 'csv-stream', what: 'live CSV, 10^6 samples (sampleRow, one write per tick)', file: 'samples.csv', samples: 1_000_000 },
  { format: 'json', what: 'JSON report, 24 h at 1 s (432,000 samples)', file: 'run.json', samples: DAY_SAMPLES },
  { format: 'html', what: 'HTML report, 24 h at 1 s', file: 'run.html', samples: DAY_SAMPLES },
  { format: 'csv-report', what: 'CSV report (`report --csv`), 24 h at 1 s', file: 'run.csv', samples: DAY_SAMPLES },
] as const;

interface Measured {
  what: string;
  samples: number;
  full: WriterFigures;
  quarter: WriterFigures;
}

async function runWriter(format: string, out: string, samples: number): Promise<WriterFigures> {
  const run = await capture(process.execPath, ['--expose-gc', CHILD, format, out, String(samples)], { timeoutMs: 300_000 });
  if (run.code !== 0) throw new Error(`writer ${format}: exit ${run.code ?? run.signal}: ${run.stderr.slice(0, 400)}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as WriterFigures;
}

const extraOf = (f: WriterFigures): number => f.peakBytes - f.rssBeforeBytes;
/** Working memory per sample added between the quarter and the full run. */
const marginalBytes = (m: Measured): number => (extraOf(m.full) - extraOf(m.quarter)) / (m.samples * 0.75);

export async function writerCost(): Promise<RowResult> {
  const dir = mkdtempSync(join(tmpdir(), 'leakhunt-bench-'));
  const results: Measured[] = [];
  try {
    for (const w of WRITERS) {
      const quarter = await runWriter(w.format, join(dir, w.file), w.samples / 4);
      const full = await runWriter(w.format, join(dir, w.file), w.samples);
      results.push({ what: w.what, samples: w.samples, full, quarter });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lines: Line[] = results.map((m) => {
    const { full } = m;
    const bounded = marginalBytes(m) < BOUNDED_BYTES_PER_SAMPLE;
    return {
      row: 7,
      what: `writer: ${m.what}`,
      measured: `${fmt(full.writeMs / 1000)} s, peak RSS ${mib(full.peakBytes)} (${mib(full.rssBeforeBytes)} before writing), ${mib(full.fileBytes)} written; ${fmt(Math.max(0, marginalBytes(m)))} working bytes per extra sample`,
      target: `memory bounded: < ${BOUNDED_BYTES_PER_SAMPLE} working bytes per extra sample`,
      met: bounded,
      ...(bounded ? {} : { why: unbounded(m) }),
    };
  });
  return {
    lines,
    details: [
      {
        title: 'Report writers (full size; a quarter of the samples in brackets)',
        header: ['writer', 'time s', 'RSS before', 'peak RSS', 'peak − before', 'working bytes per extra sample', 'file'],
        rows: results.map((m) => [
          m.what, `${fmt(m.full.writeMs / 1000)} (${fmt(m.quarter.writeMs / 1000)})`, mib(m.full.rssBeforeBytes), mib(m.full.peakBytes),
          `${mib(extraOf(m.full))} (${mib(extraOf(m.quarter))})`, fmt(Math.max(0, marginalBytes(m))), mib(m.full.fileBytes),
        ]),
        notes: [
          'Each writer runs in a fresh Node process: the synthetic run is built, garbage-collected, the peak-RSS counter reset (/proc/self/clear_refs), then the writer runs and writes its file (atomically, as leakhunt does). "RSS before" is what the run\'s data holds; "peak − before" is what writing needed on top.',
          `Working bytes per extra sample: (peak − before at full size − the same at a quarter) / the samples added. Bounded below ${BOUNDED_BYTES_PER_SAMPLE}: keeping any text or object per sample costs about 100 bytes or more (a CSV row is ~100 bytes, a JSON row ~230); what is left under that is garbage not yet collected.`,
        ],
      },
    ],
  };
}

/** A writer that builds its whole text first: what that costs, and the longest run it can write. */
function unbounded(m: Measured): string {
  const bytesPerSample = m.full.fileBytes / m.samples;
  const perSample = `each sample costs ${fmt(marginalBytes(m))} bytes of working memory on top of the data`;
  if (m.full.fileBytes < m.samples) return `The output is small (${mib(m.full.fileBytes)}, charts downsampled), but ${perSample}: the full-resolution series are built before they are reduced.`;
  // One JavaScript string holds at most MAX_STRING_LENGTH characters (2^29 − 24 in V8 on 64 bits).
  const maxSamples = constants.MAX_STRING_LENGTH / bytesPerSample;
  return `The writer builds the whole ${mib(m.full.fileBytes)} text in memory before it writes it: ${perSample} (${fmt(extraOf(m.full) / m.full.fileBytes, 2)}× the file's size at 24 h). At ${fmt(bytesPerSample)} bytes a sample, a run of more than ${fmt(maxSamples / 1e6)} million samples (${fmt(maxSamples / DAY_SAMPLES, 2)} days at 1 s × 5 processes; ${fmt(maxSamples / 5000 / 60)} minutes at 10 ms × 50) exceeds the longest string V8 can hold and cannot be written at all.`;
}
