// The workload for dispatch (DESIGN.md, "Dispatch"): `--tasks N` or `--tasks file.jsonl`, turned
// into the JSON lines leakhunt writes to the worker's stdin, one per task. Pure: the caller
// passes the file reader.
import { cannotRead, UsageError } from '../errors.js';
import { MAX_LABEL_CHARS } from './message.js';

export interface TaskSpec {
  task: string;
  name: string;
  params?: unknown;
  /** The JSON line written to the worker's stdin (no newline). */
  line: string;
}

/** The type of every task of `--tasks N`. */
export const DEFAULT_TASK_NAME = 'task';
/** The task list is built up front; beyond this `--tasks N` is surely a typo. */
export const MAX_TASKS = 1_000_000;

export function parseTasksArg(arg: string, readFile: (path: string) => string): TaskSpec[] {
  if (/^\d+$/.test(arg.trim())) return numberedTasks(arg.trim());
  let text: string;
  try {
    text = readFile(arg);
  } catch (error) {
    throw new UsageError(`--tasks: ${arg}: ${cannotRead(error)}`);
  }
  const tasks = parseTasksFile(text, arg);
  if (tasks.length === 0) throw new UsageError(`--tasks: ${arg} holds no tasks`);
  return tasks;
}

function numberedTasks(count: string): TaskSpec[] {
  const n = Number(count);
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_TASKS) {
    throw new UsageError(`--tasks: expected a number of tasks from 1 to ${MAX_TASKS} or a .jsonl file, got ${count}`);
  }
  return Array.from({ length: n }, (_, i) => makeTask(String(i + 1), DEFAULT_TASK_NAME, undefined, {}));
}

/** One JSON object per line with a `name`; blank lines are skipped; ids default to the line number. */
export function parseTasksFile(text: string, fileLabel: string): TaskSpec[] {
  const tasks: TaskSpec[] = [];
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const where = `${fileLabel}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new UsageError(`${where}: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UsageError(`${where}: expected a JSON object like {"task":"1","name":"send_email"}`);
    }
    const record = value as Record<string, unknown>;
    const task = record.task === undefined ? String(i + 1) : idOf(record.task, where);
    const name = nameOf(record.name, where);
    // Boundaries are paired with dispatched tasks by id, so two tasks may not share one.
    if (seen.has(task)) throw new UsageError(`${where}: task id "${task}" is used twice`);
    seen.add(task);
    tasks.push(makeTask(task, name, record.params, record));
  }
  return tasks;
}

/** The line keeps every field of the input (workers may read their own), with task and name normalised. */
function makeTask(task: string, name: string, params: unknown, record: Record<string, unknown>): TaskSpec {
  const line = JSON.stringify({ ...record, task, name });
  return params === undefined ? { task, name, line } : { task, name, params, line };
}

function idOf(value: unknown, where: string): string {
  const id = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof id !== 'string' || id === '' || id.length > MAX_LABEL_CHARS) {
    throw new UsageError(`${where}: "task" must be a non-empty string or number of at most ${MAX_LABEL_CHARS} characters`);
  }
  return id;
}

function nameOf(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_LABEL_CHARS) {
    throw new UsageError(`${where}: "name" (the task type) must be a non-empty string of at most ${MAX_LABEL_CHARS} characters`);
  }
  return value;
}
