// The corpus section of EVAL.md: per-class totals, one row per worker, the truth rule, and the
// date, machine and command that produced them. Pure.
import { BOUNDED_BYTES, LEAK_BYTES_PER_TASK, STILL_GROWING_SHARE } from './corpus-truth.js';
import { totals, type ClassScore, type WorkerScore } from './corpus-score.js';

export const SECTION_START = '<!-- corpus:start -->';
export const SECTION_END = '<!-- corpus:end -->';

export interface CorpusMeta {
  date: string;
  machine: string;
  command: string;
  runs: number;
  loadedRuns: number;
  seconds: number;
  skipped: string[];
}

const percent = (part: number, whole: number): string => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`);
const kb = (bytes: number | null): string => (bytes === null ? '–' : `${(bytes / 1024).toFixed(1)} KB`);

function classRow(c: ClassScore): string {
  return `| ${c.name} | ${c.workers} | ${c.runs} | ${c.right} (${percent(c.right, c.runs)}) | ${c.falseLeaks} | ${c.consistent} of ${c.workers} |`;
}

/** Per class (label), per runtime and over all workers. */
export function classTable(scores: readonly WorkerScore[]): string {
  const groups: ClassScore[] = [
    totals('leak', scores.filter((s) => s.worker.label === 'leak')),
    totals('not-leak', scores.filter((s) => s.worker.label === 'not-leak')),
    ...(['node', 'python', 'django'] as const).map((r) => totals(r, scores.filter((s) => s.worker.runtime === r))),
    totals('**all**', scores),
  ];
  return [
    '| class | workers | runs | right verdicts | false leaks | consistent (≥ 4 of 5) |',
    '|---|---|---|---|---|---|',
    ...groups.filter((g) => g.workers > 0).map(classRow),
  ].join('\n');
}

function verdicts(score: WorkerScore): string {
  return score.runs.map((run) => (run.loaded ? `*${run.status}*` : run.status)).join(' ');
}

/** One row per worker: what it is, its truth, the five verdicts (loaded runs in italics). */
export function workerTable(scores: readonly WorkerScore[]): string {
  const rows = scores.map((s) => {
    const truths = [...new Set(s.runs.map((run) => run.truth ?? 'unread'))].join('/');
    const paces = s.runs.map((run) => run.secondHalfPace).filter((p): p is number => p !== null).sort((a, b) => a - b);
    const pace = paces.length > 0 ? kb(paces[Math.floor(paces.length / 2)]!) : '–';
    const mark = s.right === s.runs.length ? '' : ' ✗';
    return `| ${s.worker.id} | ${s.worker.pattern} | ${s.worker.boundaries} | ${s.worker.label} | ${truths} | ${pace} | ${verdicts(s)} | ${s.right}/${s.runs.length}${mark} |`;
  });
  return [
    '| worker | pattern | boundaries | label | measured truth | kept per task (2nd half) | verdicts (loaded in italics) | right |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function targetLines(scores: readonly WorkerScore[]): string[] {
  const all = totals('all', scores);
  const inconsistent = scores.filter((s) => !s.consistent).map((s) => s.worker.id);
  const check = (met: boolean): string => (met ? '✅ met' : '❌ missed');
  return [
    `- ${check(all.falseLeaks === 0)} — 0 false leaks: ${all.falseLeaks} in ${all.runs} runs`,
    `- ${check(all.right >= 0.98 * all.runs)} — ≥ 98% right verdicts: ${percent(all.right, all.runs)} (${all.right} of ${all.runs})`,
    `- ${check(inconsistent.length === 0)} — every worker the same verdict in ≥ 4 of 5 runs: ${all.consistent} of ${all.workers}` +
      (inconsistent.length > 0 ? ` (not: ${inconsistent.join(', ')})` : ''),
  ];
}

export function corpusSection(scores: readonly WorkerScore[], meta: CorpusMeta): string {
  return `${SECTION_START}
## Real workers (the corpus)

${scores.length} worker programs in \`eval/corpus/\` (Node, CPython, Django from Debian's python3-django), each run
${meta.runs} times through the built bin (\`leakhunt watch\`, default options), ${meta.loadedRuns} of them with every core
saturated by a competing busy loop, two workers at a time. Generated ${meta.date} on ${meta.machine}
by \`${meta.command}\` in ${(meta.seconds / 60).toFixed(1)} min.${meta.skipped.length > 0 ? ` Skipped: ${meta.skipped.join(', ')}.` : ''}

**Truth.** Every worker counts the bytes its long-lived state holds (the sizes of what it keeps, or what
tracemalloc saw an import keep; never RSS, never leakhunt) and appends them after each task. Over the
run's second half: **leak** when it kept ≥ ${LEAK_BYTES_PER_TASK / 1024} KB a task and the last quarter kept at least
${STILL_GROWING_SHARE * 100}% of that pace; **not-leak** when it kept ≤ ${BOUNDED_BYTES / 1024} KB in all; otherwise **ambiguous**. The right
verdict is \`leak\` for a leak and \`stable\` for a not-leak; for an ambiguous run \`suspect\` or the worker's
label. A false leak is \`leak\` on a run whose truth is not a leak. \`error\` is a run that gave no verdict.

${classTable(scores)}

${targetLines(scores).join('\n')}

${workerTable(scores)}
${SECTION_END}
`;
}

/** EVAL.md with its corpus section replaced (or added at the end). */
export function withCorpusSection(document: string, section: string): string {
  const start = document.indexOf(SECTION_START);
  const end = document.indexOf(SECTION_END);
  if (start >= 0 && end > start) return document.slice(0, start) + section.trimEnd() + document.slice(end + SECTION_END.length);
  return `${document.trimEnd()}\n\n${section}`;
}

/** The corpus section of a document, or '' (so the synthetic eval keeps it when it rewrites EVAL.md). */
export function existingSection(document: string): string {
  const start = document.indexOf(SECTION_START);
  const end = document.indexOf(SECTION_END);
  return start >= 0 && end > start ? document.slice(start, end + SECTION_END.length) + '\n' : '';
}
