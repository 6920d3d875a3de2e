// The corpus of real worker programs (eval/corpus/): what each one is, how it gets its tasks and
// reports their boundaries, and what it truly does. The label here is a claim; every run checks
// it against what the worker itself measured it keeps (eval/corpus-truth.ts).

export type Runtime = 'node' | 'python' | 'django';
export type TruthClass = 'leak' | 'not-leak';

/** How a worker gets its tasks: leakhunt dispatches them (a task file), or it runs its own loop. */
export type Feed =
  | { kind: 'dispatch'; tasks: number; name: (index: number) => string }
  | { kind: 'self'; tasks: number };

export interface CorpusCase {
  /** e.g. node/memo-unbounded: the file eval/corpus/<id>.mjs|.py */
  id: string;
  runtime: Runtime;
  label: TruthClass;
  /** The pattern, in a few words, for the table. */
  pattern: string;
  feed: Feed;
  /** How boundaries are reported, for the table: helper, mark, channel or markers. */
  boundaries: 'helper' | 'mark' | 'channel' | 'markers';
  /** Output-marker regexes, when boundaries are markers. */
  markers?: { start: string; end: string };
}

const one = (name: string) => (): string => name;
/** Types in turn: a fixed set, every type seen in the first rounds. */
const cycle = (...names: string[]) => (i: number): string => names[i % names.length]!;
/**
 * A new type every third task, repeats of earlier types otherwise (chosen by a fixed hash):
 * the stream of a worker whose set of task types keeps growing.
 */
const growingTypes = (i: number): string => {
  const seen = Math.floor(i / 3) + 1;
  return `type_${i % 3 === 0 ? seen - 1 : (i * 2654435761) % seen}`;
};

const JOB_MARKERS = { start: 'job (?<task>\\d+) start', end: 'job (?<task>\\d+) done' };
/** Tasks per run: a few seconds of a worker's life, as a first look at a worker would be. */
const N = 300;
const DJANGO_N = 200;

export const CORPUS: CorpusCase[] = [
  // Node leaks
  { id: 'node/memo-unbounded', runtime: 'node', label: 'leak', pattern: 'unbounded memoization, 16 KB a task', feed: { kind: 'dispatch', tasks: N, name: one('quote') }, boundaries: 'helper' },
  { id: 'node/listeners-never-removed', runtime: 'node', label: 'leak', pattern: 'EventEmitter listener per request, 16 KB closure', feed: { kind: 'dispatch', tasks: N, name: one('request') }, boundaries: 'helper' },
  { id: 'node/module-registry', runtime: 'node', label: 'leak', pattern: 'module-level registry by job id, 8 KB', feed: { kind: 'dispatch', tasks: N, name: cycle('invoice', 'refund') }, boundaries: 'channel' },
  { id: 'node/growing-log', runtime: 'node', label: 'leak', pattern: 'in-memory audit log, 4 KB a job', feed: { kind: 'self', tasks: N }, boundaries: 'mark' },
  { id: 'node/native-buffers', runtime: 'node', label: 'leak', pattern: 'Buffer.alloc 64 KB kept (off-heap)', feed: { kind: 'dispatch', tasks: N, name: one('upload') }, boundaries: 'markers', markers: JOB_MARKERS },
  { id: 'node/closure-capture', runtime: 'node', label: 'leak', pattern: 'callbacks capturing 80 KB arrays', feed: { kind: 'dispatch', tasks: N, name: one('finalise') }, boundaries: 'helper' },
  { id: 'node/per-request-cache', runtime: 'node', label: 'leak', pattern: 'cache keyed by request id, ~6 KB', feed: { kind: 'dispatch', tasks: N, name: cycle('checkout', 'cart') }, boundaries: 'mark' },
  { id: 'node/small-heap-leak', runtime: 'node', label: 'leak', pattern: '2 KB string a task on the JS heap, no --expose-gc', feed: { kind: 'dispatch', tasks: N, name: one('notify') }, boundaries: 'helper' },
  // Node non-leaks
  { id: 'node/lru-capped', runtime: 'node', label: 'not-leak', pattern: 'LRU capped at 100 × 8 KB', feed: { kind: 'dispatch', tasks: N, name: one('render') }, boundaries: 'helper' },
  { id: 'node/connection-pool', runtime: 'node', label: 'not-leak', pattern: 'pool of 4 connections, 256 KB buffers', feed: { kind: 'dispatch', tasks: N, name: one('query') }, boundaries: 'helper' },
  { id: 'node/warmup-plateau', runtime: 'node', label: 'not-leak', pattern: '6 types build 400 KB tables once', feed: { kind: 'dispatch', tasks: N, name: cycle('daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'adhoc') }, boundaries: 'helper' },
  { id: 'node/gc-sawtooth', runtime: 'node', label: 'not-leak', pattern: '2 MB of garbage a task, V8 collects', feed: { kind: 'dispatch', tasks: N, name: one('parse') }, boundaries: 'helper' },
  { id: 'node/jit-warmup', runtime: 'node', label: 'not-leak', pattern: '40 kernels compiled, then reused', feed: { kind: 'dispatch', tasks: N, name: one('compute') }, boundaries: 'helper' },
  { id: 'node/churn-buffers', runtime: 'node', label: 'not-leak', pattern: '1–4 MB of Buffers allocated and dropped', feed: { kind: 'dispatch', tasks: N, name: one('tile') }, boundaries: 'helper' },
  { id: 'node/cache-fills-then-stops', runtime: 'node', label: 'not-leak', pattern: 'cache of 200 × 8 KB profiles fills, then hits', feed: { kind: 'dispatch', tasks: 500, name: one('profile') }, boundaries: 'helper' },
  // CPython leaks
  { id: 'python/memo-lru-unbounded', runtime: 'python', label: 'leak', pattern: 'lru_cache(maxsize=None), 16 KB a task', feed: { kind: 'dispatch', tasks: N, name: one('rates') }, boundaries: 'helper' },
  { id: 'python/callbacks-registry', runtime: 'python', label: 'leak', pattern: 'shutdown hooks closing over 32 KB', feed: { kind: 'self', tasks: N }, boundaries: 'mark' },
  { id: 'python/growing-log-buffer', runtime: 'python', label: 'leak', pattern: 'StringIO debug log, 3 KB a job', feed: { kind: 'dispatch', tasks: N, name: one('import_rows') }, boundaries: 'channel' },
  { id: 'python/bytearray-kept', runtime: 'python', label: 'leak', pattern: 'bytearray 64 KB kept in a retry list', feed: { kind: 'dispatch', tasks: N, name: one('upload') }, boundaries: 'markers', markers: JOB_MARKERS },
  { id: 'python/ctypes-buffers', runtime: 'python', label: 'leak', pattern: 'ctypes string buffers, 32 KB kept', feed: { kind: 'dispatch', tasks: N, name: one('driver_io') }, boundaries: 'helper' },
  { id: 'python/per-type-imports-steady', runtime: 'python', label: 'leak', pattern: 'a new type (module) every 3rd task', feed: { kind: 'dispatch', tasks: N, name: growingTypes }, boundaries: 'helper' },
  { id: 'python/prefork-pool', runtime: 'python', label: 'leak', pattern: 'pool of 2 at once, one type keeps 128 KB', feed: { kind: 'self', tasks: 200 }, boundaries: 'mark' },
  // CPython non-leaks
  { id: 'python/memo-lru-capped', runtime: 'python', label: 'not-leak', pattern: 'lru_cache(maxsize=128), 16 KB', feed: { kind: 'dispatch', tasks: N, name: one('rates') }, boundaries: 'helper' },
  { id: 'python/per-type-imports-fixed', runtime: 'python', label: 'not-leak', pattern: '5 types import stdlib modules once', feed: { kind: 'dispatch', tasks: N, name: cycle('export_json', 'price', 'send_email', 'parse_xml', 'archive') }, boundaries: 'helper' },
  { id: 'python/warmup-plateau', runtime: 'python', label: 'not-leak', pattern: '60 routes compiled in the first 60 tasks', feed: { kind: 'dispatch', tasks: N, name: one('route') }, boundaries: 'helper' },
  { id: 'python/gc-sawtooth', runtime: 'python', label: 'not-leak', pattern: '1 MB of reference cycles a job', feed: { kind: 'dispatch', tasks: N, name: one('build_tree') }, boundaries: 'channel' },
  { id: 'python/small-object-churn', runtime: 'python', label: 'not-leak', pattern: '4,000 dicts built and dropped', feed: { kind: 'dispatch', tasks: N, name: one('parse_csv') }, boundaries: 'helper' },
  { id: 'python/allocator-steps', runtime: 'python', label: 'not-leak', pattern: 'one 128 KB–8 MB buffer a job, freed', feed: { kind: 'dispatch', tasks: N, name: one('decode') }, boundaries: 'helper' },
  { id: 'python/sqlite-pool', runtime: 'python', label: 'not-leak', pattern: 'queue of 4 sqlite connections', feed: { kind: 'dispatch', tasks: N, name: one('store_events') }, boundaries: 'helper' },
  { id: 'python/cache-fills-then-stops', runtime: 'python', label: 'not-leak', pattern: 'cache of 250 × 8 KB fills, then hits', feed: { kind: 'dispatch', tasks: 600, name: one('tax') }, boundaries: 'helper' },
  { id: 'python/fork-per-task', runtime: 'python', label: 'not-leak', pattern: 'leaky handler in a fork per task', feed: { kind: 'dispatch', tasks: 200, name: one('render_pdf') }, boundaries: 'mark' },
  // Django (Debian's python3-django)
  { id: 'django/debug-query-log', runtime: 'django', label: 'leak', pattern: 'DEBUG=True query log', feed: { kind: 'dispatch', tasks: DJANGO_N, name: one('process_order') }, boundaries: 'helper' },
  { id: 'django/per-type-imports', runtime: 'django', label: 'leak', pattern: 'each new type imports its part of Django', feed: { kind: 'dispatch', tasks: DJANGO_N, name: growingTypes }, boundaries: 'helper' },
  { id: 'django/signal-receivers', runtime: 'django', label: 'leak', pattern: 'receivers never disconnected, 16 KB', feed: { kind: 'dispatch', tasks: DJANGO_N, name: one('report') }, boundaries: 'helper' },
  { id: 'django/debug-false', runtime: 'django', label: 'not-leak', pattern: 'the same job, DEBUG=False', feed: { kind: 'dispatch', tasks: DJANGO_N, name: one('process_order') }, boundaries: 'helper' },
  { id: 'django/orm-churn', runtime: 'django', label: 'not-leak', pattern: '50 rows created, read, deleted a job', feed: { kind: 'dispatch', tasks: DJANGO_N, name: one('batch') }, boundaries: 'helper' },
  { id: 'django/template-cache', runtime: 'django', label: 'not-leak', pattern: 'cached loader warms 20 templates', feed: { kind: 'dispatch', tasks: DJANGO_N, name: cycle('invoice', 'statement') }, boundaries: 'helper' },
];
