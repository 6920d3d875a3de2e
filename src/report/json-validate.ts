// Checks a parsed JSON report before anything reads it, and fills the fields that are not part of
// the stable core (DESIGN.md, "Files") with neutral defaults, so a report written by an older or
// newer leakhunt, or by hand, still renders. Messages name the field; json.ts adds the file name.
import { REPORT_SCHEMA, type ExplanationKind, type RunResult, type Sample, type Verdict, type VerdictStatus } from '../model.js';
import { UsageError } from '../errors.js';
import { summariseProcesses } from '../series/rows.js';

type Json = Record<string, unknown>;

const STATUSES: readonly VerdictStatus[] = ['leak', 'suspect', 'stable', 'insufficient'];

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const fail = (message: string): never => {
  throw new UsageError(message);
};

function checkSchema(data: unknown): Json {
  if (!isObject(data)) return fail('not a leakhunt report (not a JSON object)');
  const schema = data['schema'];
  if (schema === undefined) return fail('not a leakhunt report (no "schema" field)');
  if (schema === REPORT_SCHEMA) return data;
  const version = typeof schema === 'string' ? /^leakhunt\/report@(\d+)$/.exec(schema) : null;
  if (version && Number(version[1]) > 1) {
    return fail(`written by a newer leakhunt (schema is "${schema}"); this version reads "${REPORT_SCHEMA}"`);
  }
  return fail(`not a leakhunt report (schema is ${JSON.stringify(schema)})`);
}

function requireArray(data: Json, field: string, where = ''): unknown[] {
  const value = data[field];
  if (value === undefined) return fail(`missing field ${where}${field}`);
  if (!Array.isArray(value)) return fail(`field ${where}${field} is not an array`);
  return value;
}

function checkRows(rows: unknown[], path: string, numbers: string[], strings: string[]): void {
  rows.forEach((row, index) => {
    if (!isObject(row)) fail(`${path}[${index}] is not an object`);
    const record = row as Json;
    for (const field of numbers) {
      if (!isNumber(record[field])) fail(`${path}[${index}].${field} is not a number`);
    }
    for (const field of strings) {
      if (typeof record[field] !== 'string') fail(`${path}[${index}].${field} is not a string`);
    }
  });
}

const EXPLANATIONS: readonly ExplanationKind[] = ['per-run-leak', 'new-task-types', 'filling-to-cap', 'step', 'gc-sawtooth', 'flat'];

/**
 * verdict.explanation is not part of the stable core: a report without one, or with one this
 * version cannot read (an unknown kind, a figure that is not a number), renders without it.
 */
function readableExplanation(value: unknown): boolean {
  if (!isObject(value) || !EXPLANATIONS.includes(value['kind'] as ExplanationKind) || !Array.isArray(value['fits'])) return false;
  const runnerUp = value['runnerUp'];
  if (runnerUp !== null && runnerUp !== undefined && !(isObject(runnerUp) && EXPLANATIONS.includes(runnerUp['kind'] as ExplanationKind))) return false;
  const figures: Json = { ...value, ...(isObject(value['newTypes']) ? value['newTypes'] : {}), ...(isObject(value['cap']) ? value['cap'] : {}) };
  const numeric = ['slope', 'bytesPerNewType', 'typesSeen', 'firstRunShare', 'bytesPerRepeat', 'lastNewTypeAt', 'bytesToCap', 'timeConstant'];
  if (numeric.some((field) => figures[field] !== undefined && !isNumber(figures[field]))) return false;
  const steps = value['steps'];
  return steps === undefined || (Array.isArray(steps) && steps.every((s) => isObject(s) && isNumber(s['at']) && isNumber(s['bytes'])));
}

function checkVerdict(value: unknown, path: string): Verdict {
  if (value === undefined) return fail(`missing field ${path}`);
  if (!isObject(value)) return fail(`field ${path} is not an object`);
  if (!STATUSES.includes(value['status'] as VerdictStatus)) {
    return fail(`${path}.status is ${JSON.stringify(value['status'])}, expected leak, suspect, stable or insufficient`);
  }
  const verdict = {
    reason: '', series: 'tree-rss', bytesPerTask: null, bytesPerTaskCI: null, bytesPerHour: null,
    bytesPerHourCI: null, limit: null, projection: null, ...value,
  } as Verdict;
  if (verdict.explanation !== undefined && !readableExplanation(verdict.explanation)) delete verdict.explanation;
  return verdict;
}

/** Checks samples, tasks and verdict of a run or of one mode; returns the verdict with defaults. */
function checkTables(data: Json, where: string): Verdict {
  checkRows(requireArray(data, 'samples', where), `${where}samples`, ['pid', 'elapsedMs'], []);
  checkRows(requireArray(data, 'tasks', where), `${where}tasks`, ['startMs'], ['task', 'name']);
  return checkVerdict(data['verdict'], `${where}verdict`);
}

/** --allocations' sites and notes, when present: worker-provided text, so every field is checked. */
function checkAllocations(run: Json): void {
  if (run['allocations'] !== undefined) {
    const sites = requireArray(run, 'allocations');
    checkRows(sites, 'allocations', ['line', 'bytesPerRun', 'runs'], ['name', 'file', 'function']);
    sites.forEach((site, index) => {
      checkRows(requireArray(site as Json, 'stack', `allocations[${index}].`), `allocations[${index}].stack`, ['line'], ['file', 'function']);
    });
  }
  if (run['allocationNotes'] !== undefined) {
    const notes = requireArray(run, 'allocationNotes');
    notes.forEach((note, index) => {
      if (typeof note !== 'string') fail(`allocationNotes[${index}] is not a string`);
    });
  }
}

export function validateReport(data: unknown): RunResult {
  const run = checkSchema(data);
  const verdict = checkTables(run, '');
  checkAllocations(run);
  const modes = run['modes'];
  if (modes !== undefined) {
    if (!Array.isArray(modes)) fail('field modes is not an array');
    (modes as unknown[]).forEach((mode, index) => {
      if (!isObject(mode) || typeof mode['mode'] !== 'string') fail(`modes[${index}].mode is not a string`);
      const entry = mode as Json;
      entry['verdict'] = checkTables(entry, `modes[${index}].`);
      entry['processes'] ??= summariseProcesses(entry['samples'] as Sample[]);
      entry['attribution'] ??= [];
    });
  }
  const samples = run['samples'] as Sample[];
  const result = {
    tool: { name: 'leakhunt', version: 'unknown' },
    command: [],
    startedAt: '',
    endedAt: '',
    durationMs: samples.at(-1)?.elapsedMs ?? 0,
    intervalMs: 0,
    metric: 'rss',
    platform: '',
    sampler: '',
    exit: { code: null, signal: null },
    incomplete: false,
    attribution: [],
    protocol: { malformed: 0, oversized: 0 },
    vanished: 0,
    slowTicks: 0,
    ...run,
    verdict,
  } as unknown as RunResult;
  if (!Array.isArray(result.processes)) result.processes = summariseProcesses(samples);
  return result;
}
