// Output markers (DESIGN.md, "Task protocol v1", way 2): --task-start / --task-end regexes
// matched against each complete line of the worker's stdout and stderr. Named groups `task`
// and `name` give the id and the type. Pure: bytes in, boundary events out.
import { UsageError } from '../errors.js';
import type { BoundaryEvent } from './message.js';
import { MAX_LABEL_CHARS } from './message.js';
import { createLineSplitter } from './lines.js';

/**
 * Lines longer than this are not matched (counted as oversized and skipped): a worker printing
 * one endless line must not make leakhunt buffer it. Real marker lines are far shorter.
 */
export const MAX_MARKER_LINE_BYTES = 64 * 1024;

/**
 * Ids for markers without a `task` group: starts are numbered 1, 2, 3 in order, and an end
 * closes the oldest open task. Shared by every scanner made from one spec (stdout and stderr of
 * one worker), so a start printed on stdout and its end on stderr still pair up.
 */
export interface TaskNumbering {
  next: number;
  open: string[];
}

export interface MarkerSpec {
  start: RegExp | null;
  end: RegExp | null;
  numbering: TaskNumbering;
}

export interface MarkerScanner {
  push(chunk: Buffer): void;
  end(): void;
  /** Lines skipped for being longer than MAX_MARKER_LINE_BYTES. */
  readonly oversized: number;
}

/** Compiles the two patterns; a bad one is a UsageError carrying the regex engine's message. */
export function compileMarkers(start?: string, end?: string): MarkerSpec {
  return {
    start: compile('--task-start', start),
    end: compile('--task-end', end),
    numbering: createTaskNumbering(),
  };
}

export function createTaskNumbering(): TaskNumbering {
  return { next: 1, open: [] };
}

/** A copy of the spec that numbers tasks from 1 again (a new run or mode with the same flags). */
export function withFreshNumbering(spec: MarkerSpec): MarkerSpec {
  return { ...spec, numbering: createTaskNumbering() };
}

function compile(flag: string, pattern: string | undefined): RegExp | null {
  if (pattern === undefined || pattern === '') return null;
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

export function createMarkerScanner(
  spec: MarkerSpec,
  onEvent: (event: BoundaryEvent) => void,
  numbering: TaskNumbering = spec.numbering,
): MarkerScanner {
  let oversized = 0;
  const splitter = createLineSplitter({
    maxLine: MAX_MARKER_LINE_BYTES,
    onOversized: () => (oversized += 1),
    onLine(line) {
      const event = matchLine(spec, numbering, line);
      if (event) onEvent(event);
    },
  });
  return {
    push: (chunk) => splitter.push(chunk),
    end: () => splitter.end(),
    get oversized() {
      return oversized;
    },
  };
}

/** A line matching both patterns counts as a start: a task has to begin before it can end. */
function matchLine(spec: MarkerSpec, numbering: TaskNumbering, line: string): BoundaryEvent | null {
  const started = spec.start?.exec(line);
  if (started) {
    const task = capped(started.groups?.task) ?? String(numbering.next++);
    if (spec.end) rememberOpen(numbering, task);
    const name = capped(started.groups?.name);
    return name ? { event: 'start', task, name } : { event: 'start', task };
  }
  const ended = spec.end?.exec(line);
  if (!ended) return null;
  const given = capped(ended.groups?.task);
  const task = given ?? numbering.open[0] ?? (spec.start ? null : String(numbering.next++));
  // An end with no id and nothing open cannot be paired with any task.
  if (task === null) return null;
  const at = numbering.open.indexOf(task);
  if (at !== -1) numbering.open.splice(at, 1);
  const name = capped(ended.groups?.name);
  return name ? { event: 'end', task, name } : { event: 'end', task };
}

/**
 * A worker that prints starts and never ends must not grow this list forever; past
 * MAX_OPEN_TASKS the oldest open task is forgotten (its end, if it ever comes, is unpaired).
 */
const MAX_OPEN_TASKS = 1000;

function rememberOpen(numbering: TaskNumbering, task: string): void {
  numbering.open.push(task);
  if (numbering.open.length > MAX_OPEN_TASKS) numbering.open.shift();
}

function capped(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  return text.length > MAX_LABEL_CHARS ? text.slice(0, MAX_LABEL_CHARS) : text;
}
