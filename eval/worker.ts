// One evaluation worker: evaluates the classes it is given and posts back their summaries.
import { parentPort, workerData } from 'node:worker_threads';
import type { OnlineOptions } from '../src/detect/index.js';
import { evaluateClass } from './evaluate.js';
import { CLASSES } from './generate.js';

const job = workerData as { names: string[]; seeds: number; tasks: number; detector?: OnlineOptions };
const rows = CLASSES.filter((c) => job.names.includes(c.name)).map((c) => evaluateClass(c, job.seeds, job.tasks, job.detector));
parentPort?.postMessage(rows);
