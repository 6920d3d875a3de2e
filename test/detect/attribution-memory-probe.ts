// Run by attribution-memory.test.ts in a process of its own: the peak memory attribution adds
// over N tasks, which are made one at a time as it reads them (as the CLI reads them back from
// disk), so nothing but attribution's own figures can grow with N. As the CLI's heap keeper does
// between chunks of that read-back, a full collection every 20,000 tasks clears the records'
// garbage, which would otherwise pile up as far as V8 lets it. Prints one JSON line.
import { attribute } from '../../src/detect/index.js';
import type { TaskRecord } from '../../src/model.js';
import { mulberry32 } from '../../src/seeded-random.js';
import { ownStatusBytes, resetOwnPeak } from '../helpers/proc-status.js';

const count = Number(process.argv[2]);
/** 'pid-per-task': every task in a process of its own, as compare's fork mode or an RQ work horse runs them. */
const pidPerTask = process.argv[3] === 'pid-per-task';

const { gc } = globalThis as { gc?: () => void };

/** Ten task types, one of them leaking 48 KB a run, all with ±16 KB of seeded noise. */
function* tasks(): Generator<TaskRecord> {
  const random = mulberry32(7);
  for (let i = 0; i < count; i++) {
    if (i % 20_000 === 0) gc?.();
    const name = `type-${i % 10}`;
    const delta = (name === 'type-3' ? 48 * 1024 : 0) + Math.round((random() - 0.5) * 32 * 1024);
    yield {
      task: String(i), name, pid: pidPerTask ? 1000 + i : 1, startMs: i, endMs: i + 1, durationMs: 1, ok: true,
      rssBeforeBytes: null, rssAfterBytes: null, deltaBytes: delta,
      treeRssBeforeBytes: null, treeRssAfterBytes: null, treeDeltaBytes: delta,
    };
  }
}

gc?.();
const before = ownStatusBytes('VmRSS');
resetOwnPeak();
const leaking = attribute(tasks()).filter((a) => a.kind === 'leak').map((a) => a.name);
console.log(JSON.stringify({ leaking, addedBytes: ownStatusBytes('VmHWM') - before }));
