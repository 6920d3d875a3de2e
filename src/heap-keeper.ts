// leakhunt's own memory, held still. Left to itself V8 makes a long-running process's RSS climb
// with nothing live growing, in two ways: the old generation fills with promoted garbage up to a
// limit set at the last full collection (a watch at 50 ms promotes a few KB a second, since the
// latest snapshots are always alive when a scavenge runs), and the young generation doubles once
// enough bytes have survived scavenges (see holdYoungGenerationSize). Both read as growth to
// leakhunt's own detector, and a tool that judges other processes' memory should itself hold
// still. So the CLI keeps its young generation at its starting size and runs a full collection
// right after a tick every 10 s, or sooner when the heap has doubled since the last one. Those
// collections also compact: V8 otherwise moves objects only off pages that are mostly empty, and
// pages left half full by long-lived objects (process summaries) among promoted garbage kept its
// committed old generation creeping (8.0 → 9.2 MiB over a 10-minute watch, 6.4 → 6.9 MiB live);
// compacting held it at 8.1–8.3 MiB, for a collection of ~10 ms instead of ~6 ms every 10 s.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Time between collections on a small heap (a ~7 MiB heap takes 3–8 ms to collect). */
const MIN_PERIOD_MS = 10_000;
/** A large heap (10^6 task records) takes longer to collect: its period stretches to keep collection under 0.5% of the time. */
const MAX_SHARE_OF_TIME = 0.005;

export interface HeapKeeper {
  /**
   * Called at a quiet point: right after a sample (the next one is furthest away), or between two
   * chunks of a report being written.
   */
  checkpoint(): void;
  /** Full collections run so far. */
  readonly collections: number;
}

let collect: (() => void) | null | undefined;

/**
 * Compacting pays off on a small heap, where half-full pages are a visible share of it (a long
 * watch holds ~7 MiB). On a large one it costs more than it saves: every page it evacuates needs a
 * fresh page first, and with 10^6 task records live (~200 MiB) that lifted the run's peak RSS by
 * ~130 B per task (300,000 tasks: 319 → 359 MiB). Above this, the keeper leaves compaction to V8.
 */
const COMPACT_BELOW_BYTES = 64 * 1024 * 1024;

/** V8's full collection, or null where the flag cannot be set (the keeper then does nothing). */
function fullCollection(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    const exposed = (globalThis as { gc?: () => void }).gc;
    let gc: () => void;
    if (typeof exposed === 'function') {
      gc = exposed;
    } else {
      // Exposes gc to contexts created from now on, without changing leakhunt's command line.
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
    collect = keeperCollection(gc, () => getHeapStatistics().used_heap_size);
  } catch {
    collect = null;
  }
  return collect;
}

/** The keeper's collection: compacting while the heap is small, V8's own choice once it is large. */
export function keeperCollection(gc: () => void, heapUsed: () => number, compact: (gc: () => void) => void = compacting): () => void {
  return () => (heapUsed() < COMPACT_BELOW_BYTES ? compact(gc) : gc());
}

/**
 * One full collection that compacts every old-generation page it can, not only the mostly empty
 * ones. The flags are read when a collection starts, and set only for this one: V8's own
 * collections keep its heuristics (and their shorter pauses). Code pages are left alone: moving
 * code every 10 s touched fresh code pages faster than V8 gave the old ones back (+236 KiB of
 * code-space RSS in 100 s of a soak).
 */
export function compacting(gc: () => void): void {
  setFlagsFromString('--compact-on-every-full-gc --no-compact-code-space');
  try {
    gc();
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc --compact-code-space');
  }
}

export interface HeapKeeperOptions {
  now?: () => number;
  /** The collection to run; V8's own by default. */
  gc?: (() => void) | null;
  /** Bytes in use on the heap now; V8's figure by default. */
  heapUsed?: () => number;
}

/**
 * A heap that grows past twice what was live after the last collection, plus this, is collected
 * at once. A worker reporting 10^6 quick tasks makes ~1 KB of garbage per task, and V8 let it
 * reach four times the live heap (1.4 GiB peak) before collecting on its own.
 */
const GROWTH_SLACK_BYTES = 16 * 1024 * 1024;

export function createHeapKeeper(options: HeapKeeperOptions = {}): HeapKeeper {
  const now = options.now ?? (() => performance.now());
  const heapUsed = options.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  // V8's collection is made ready when the first one is due: that takes a new context (several
  // ms), which a short run never needs.
  let gc = options.gc;
  let last = now();
  let periodMs = MIN_PERIOD_MS;
  let collections = 0;
  let growthLimit = 2 * heapUsed() + GROWTH_SLACK_BYTES;
  return {
    checkpoint() {
      if (gc === null) return;
      if (now() - last < periodMs && heapUsed() <= growthLimit) return;
      gc ??= fullCollection();
      if (!gc) return;
      const started = now();
      gc();
      last = now();
      collections++;
      periodMs = Math.max(MIN_PERIOD_MS, (last - started) / MAX_SHARE_OF_TIME);
      growthLimit = 2 * heapUsed() + GROWTH_SLACK_BYTES;
    },
    get collections() {
      return collections;
    },
  };
}

let shared: HeapKeeper | null = null;
const IDLE: HeapKeeper = { checkpoint() {}, collections: 0 };

/**
 * Turns the keeper on for this process; the CLI does, once. A program that embeds leakhunt's API
 * keeps its own collection policy: there the keeper does nothing.
 */
export function keepProcessHeapCollected(): void {
  if (shared) return;
  holdYoungGenerationSize();
  shared = createHeapKeeper();
}

/**
 * V8 doubles the young generation each time the bytes that survived scavenges since the last
 * growth exceed its size. Any steady trickle of survivors gets there in the end: a watch at 50 ms
 * grew it from minute 4 on, 256 KiB page after page, ~4 MiB of RSS by minute 8, whatever was
 * live. leakhunt allocates a few hundred KB a second between ticks, which its starting size
 * serves (a scavenge every second or two). The factor is read at each growth, so setting it now
 * takes effect, unlike the size flags, which are fixed when the heap is set up.
 */
function holdYoungGenerationSize(): void {
  try {
    setFlagsFromString('--semi-space-growth-factor=1');
  } catch {
    // an engine without the flag: the young generation grows as V8 sees fit
  }
}

/** One keeper per process: the heap is the process's, whatever sessions come and go. */
export function processHeapKeeper(): HeapKeeper {
  return shared ?? IDLE;
}
