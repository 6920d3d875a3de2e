// When RSS alone left a watch undecided, the step that sharpens it: the worker's own figures.
// Measured on real workers: a Node job keeping 8 KB a task held its RSS flat for ~600 of 3,000
// tasks while V8 filled a 6 MB heap step (eval/corpus/node/module-registry.mjs), and a CPython
// job's cyclic garbage made troughs that wander by 7% of its memory (python/gc-sawtooth.py). The
// helpers report the heap after a full collection (Node) or collect before each end (Python); in
// Node, leakhunt's heap agent does it too for end lines written to the channel synchronously.
import type { RunResult } from '../model.js';

/** Two sentences each: what RSS alone cannot tell, and what to report instead. */
const ADVICE = {
  node: [
    'RSS alone: V8 takes heap in steps of megabytes, and a leak can leave RSS flat for hundreds of tasks while it fills them.',
    "End lines written to the channel with fs.writeSync get the heap after a full GC from leakhunt's Node heap agent (not with --no-node-heap, nor output markers or streams), and it is judged too.",
  ],
  python: [
    'RSS alone: cyclic garbage between collections makes a sawtooth that hides small growth.',
    "The Python helper (leakhunt_worker's serve_tasks or mark_task) collects before each end, and reports what each task imported.",
  ],
} as const;

/** Tasks looked at for helper figures: a helper sends them on every end. */
const TASKS_CHECKED = 20;

/** Which runtime runs the worker, from its executable's name (node, nodejs, node22; python3, python3.11). */
function runtimeOf(command: readonly string[]): keyof typeof ADVICE | null {
  const name = (command[0] ?? '').split('/').pop() ?? '';
  if (/^node(js)?\d*$/.test(name)) return 'node';
  if (/^python[\d.]*$/.test(name)) return 'python';
  return null;
}

/**
 * Two sentences, or null: the verdict is undecided (`insufficient` or `suspect`) on the tree's RSS,
 * the worker reported task boundaries without any figures of its own, and it runs on Node or
 * CPython, whose helpers send them.
 */
export function sharperSeriesAdvice(result: RunResult): readonly string[] | null {
  const { status, series } = result.verdict;
  if ((status !== 'insufficient' && status !== 'suspect') || series !== 'tree-rss' || result.modes?.length) return null;
  const runtime = runtimeOf(result.command);
  if (!runtime) return null;
  let checked = 0;
  for (const task of result.tasks) {
    if (task.metrics && Object.keys(task.metrics).length > 0) return null;
    if (++checked >= TASKS_CHECKED) break;
  }
  return checked > 0 ? ADVICE[runtime] : null;
}
