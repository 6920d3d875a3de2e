// The boundary queue that holds a Node process's task end for its heap agent's figures: pure,
// with a scripted agent.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BoundaryEvent } from '../../src/protocol/message.js';
import type { HeapAsker, HeapReading } from '../../src/runner/heap-agents.js';
import { HeapReadings } from '../../src/runner/heap-readings.js';

const READING: HeapReading = { heapUsed: 5_000_000, heapTotal: 8_000_000, external: 1_000_000 };

/** Agents for `pids`; each ask waits for answer() (or answers at once with `reading` when auto). */
function scriptedAgents(pids: number[], auto: HeapReading | null = null) {
  const asked: Array<{ pid: number; task: string; answer: (r: HeapReading | null) => void }> = [];
  const gaveUp: number[] = [];
  const agents: HeapAsker = {
    has: (pid) => pids.includes(pid) && !gaveUp.includes(pid),
    ask: (pid, task) => (auto ? Promise.resolve(auto) : new Promise((answer) => asked.push({ pid, task, answer }))),
    giveUp: (pid) => void gaveUp.push(pid),
  };
  return { agents, asked, gaveUp };
}

const start = (task: string, pid?: number): BoundaryEvent => ({ event: 'start', task, ...(pid ? { pid } : {}) });
const end = (task: string, pid?: number, metrics?: BoundaryEvent['metrics']): BoundaryEvent => ({ event: 'end', task, ...(pid ? { pid } : {}), ...(metrics ? { metrics } : {}) });

test('an end without a heap figure waits for the agent, takes its figures, and keeps the order of what came behind it', async () => {
  const { agents, asked } = scriptedAgents([7]);
  const seen: BoundaryEvent[] = [];
  const readings = new HeapReadings(agents, (e) => seen.push(e));
  readings.handle(start('1', 7));
  readings.handle(end('1', 7, { custom: 3 }));
  readings.handle(start('2', 8));
  assert.deepEqual(seen.map((e) => `${e.event}${e.task}`), ['start1']);
  assert.deepEqual(asked.map((a) => [a.pid, a.task]), [[7, '1']]);
  asked[0]!.answer(READING);
  await readings.settled();
  assert.deepEqual(seen.map((e) => `${e.event}${e.task}`), ['start1', 'end1', 'start2']);
  assert.deepEqual(seen[1]!.metrics, { custom: 3, ...READING, heapBy: 'agent' });
});

test('boundaries that need no figure go on at once: a start, an end with its own heap, a process without an agent, no pid', () => {
  const { agents, asked } = scriptedAgents([7]);
  const seen: string[] = [];
  const readings = new HeapReadings(agents, (e) => seen.push(`${e.event}${e.task}`));
  readings.handle(start('1', 7));
  readings.handle(end('1', 7, { heapUsed: 123 }));
  readings.handle(end('2', 9));
  readings.handle(end('3'));
  assert.deepEqual(seen, ['start1', 'end1', 'end2', 'end3']);
  assert.equal(asked.length, 0);
});

test('no answer: the end goes on without figures', async () => {
  const { agents, asked } = scriptedAgents([7]);
  const seen: BoundaryEvent[] = [];
  const readings = new HeapReadings(agents, (e) => seen.push(e));
  readings.handle(end('1', 7));
  asked[0]!.answer(null);
  await readings.settled();
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.metrics, undefined);
});

test('a process that went on to its next task before answering: the answer is dropped and it is asked no more', async () => {
  const { agents, asked, gaveUp } = scriptedAgents([7]);
  const seen: BoundaryEvent[] = [];
  const readings = new HeapReadings(agents, (e) => seen.push(e));
  readings.handle(end('1', 7));
  readings.handle(start('2', 7));
  readings.handle(end('2', 7));
  asked[0]!.answer(READING);
  await readings.settled();
  assert.deepEqual(gaveUp, [7]);
  assert.deepEqual(seen.map((e) => [e.task, e.metrics]), [['1', undefined], ['2', undefined], ['2', undefined]]);
  assert.equal(asked.length, 1);
});

test('another process\'s boundaries behind a held end do not void its answer', async () => {
  const { agents } = scriptedAgents([7, 8], READING);
  const seen: BoundaryEvent[] = [];
  const readings = new HeapReadings(agents, (e) => seen.push(e));
  readings.handle(end('1', 7));
  readings.handle(start('2', 8));
  readings.handle(end('2', 8));
  await readings.settled();
  assert.deepEqual(seen.map((e) => [e.event, e.task, e.metrics?.heapUsed]), [['end', '1', READING.heapUsed], ['start', '2', undefined], ['end', '2', READING.heapUsed]]);
});
