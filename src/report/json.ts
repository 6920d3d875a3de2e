// The JSON report: RunResult serialised with a stable key order, and read back with checks that
// name the file and what is wrong with it.
//
// Layout: the top level is indented; the long tables (samples, tasks, processes, attribution,
// allocations) hold
// one compact object per line, so a 100k-sample report stays a few times smaller than fully
// indented JSON and still diffs line by line.
import { REPORT_SCHEMA, type RunResult } from '../model.js';
import { UsageError } from '../errors.js';
import { validateReport } from './json-validate.js';
import { batched } from './chunks.js';

/** Key order per object kind, as in model.ts. Keys not listed follow in their own order. */
const KEY_ORDER: Record<string, readonly string[]> = {
  run: [
    'schema', 'tool', 'command', 'startedAt', 'endedAt', 'durationMs', 'intervalMs', 'metric', 'platform',
    'sampler', 'exit', 'load', 'incomplete', 'samples', 'tasks', 'processes', 'processesOmitted', 'verdict', 'attribution', 'protocol',
    'unfinished', 'vanished', 'slowTicks', 'modes', 'gates', 'allocations', 'allocationNotes',
  ],
  sample: [
    'pid', 'ppid', 'startTime', 'command', 'rssBytes', 'vmsBytes', 'peakRssBytes', 'fds', 'threads',
    'pssBytes', 'ussBytes', 'seq', 'elapsedMs', 'event', 'task', 'name', 'mode',
  ],
  task: [
    'task', 'name', 'pid', 'startMs', 'endMs', 'durationMs', 'ok', 'rssBeforeBytes', 'rssAfterBytes',
    'deltaBytes', 'treeRssBeforeBytes', 'treeRssAfterBytes', 'treeDeltaBytes', 'treePssBeforeBytes', 'treePssAfterBytes',
    'treeUssBeforeBytes', 'treeUssAfterBytes', 'metrics', 'mode',
  ],
  process: [
    'pid', 'ppid', 'startTime', 'command', 'firstMs', 'lastMs', 'firstRssBytes', 'lastRssBytes',
    'peakRssBytes', 'lastVmsBytes', 'growthBytes', 'samples', 'leftover',
  ],
  verdict: [
    'status', 'reason', 'series', 'bytesPerTask', 'bytesPerTaskCI', 'bytesPerHour', 'bytesPerHourCI',
    'statistic', 'window', 'limit', 'projection', 'incomplete', 'dispatched', 'explanation',
  ],
  attribution: ['name', 'runs', 'firstRunBytes', 'repeatBytesPerRun', 'retainedBytes', 'kind'],
  allocation: ['name', 'file', 'line', 'function', 'bytesPerRun', 'runs', 'stack'],
  mode: [
    'mode', 'verdict', 'tasks', 'samples', 'processes', 'processesOmitted', 'attribution', 'baselineBytes', 'finalBytes',
    'peakTreeRssBytes', 'msPerTask', 'wallMs', 'failure', 'command', 'load', 'baseline', 'isolating',
  ],
};

/** Which kind the elements of a table are, and whether they go one per line. */
const TABLES: Record<string, string> = { samples: 'sample', tasks: 'task', processes: 'process', attribution: 'attribution', allocations: 'allocation' };

function ordered(value: object, kind: string): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of KEY_ORDER[kind] ?? []) if (key in source) out[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in out)) out[key] = source[key];
  return out;
}

const isTable = (field: unknown): field is Iterable<unknown> =>
  Array.isArray(field) || (typeof field === 'object' && field !== null && Symbol.iterator in field);

/**
 * The text of one object, in pieces: a table streams row by row, so a report of a million sample
 * rows spilled to disk is written without ever being one string in memory.
 */
function* serialise(value: unknown, kind: string, indent: string): Generator<string> {
  const fields = Object.entries(ordered(value as object, kind)).filter(([, v]) => v !== undefined);
  const inner = indent + '  ';
  yield '{\n';
  for (const [index, [key, field]] of fields.entries()) {
    const name = JSON.stringify(key);
    const table = TABLES[key];
    if (table && isTable(field)) {
      yield* tableText(`${inner}${name}: `, field, inner, (row) => `${inner}  ${JSON.stringify(ordered(row as object, table))}`);
    } else if (key === 'modes' && Array.isArray(field)) {
      yield `${inner}${name}: [\n`;
      for (const [m, mode] of field.entries()) {
        yield `${inner}  `;
        yield* serialise(mode, 'mode', inner + '  ');
        yield m < field.length - 1 ? ',\n' : '\n';
      }
      yield `${inner}]`;
    } else if (key === 'verdict' && field && typeof field === 'object') {
      yield `${inner}${name}: ${JSON.stringify(ordered(field, 'verdict'))}`;
    } else {
      yield `${inner}${name}: ${JSON.stringify(field)}`;
    }
    yield index < fields.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

/** `"name": [` then one row per line, then `]` (or `"name": []`), in chunks. */
function tableText(head: string, rows: Iterable<unknown>, inner: string, line: (row: unknown) => string): Generator<string> {
  function* pieces(): Generator<string> {
    let first = true;
    yield head;
    for (const row of rows) {
      yield `${first ? '[\n' : ',\n'}${line(row)}`;
      first = false;
    }
    yield first ? '[]' : `\n${inner}]`;
  }
  return batched(pieces());
}

/** The JSON report text in pieces, for writing a large report without building it whole. */
export function* jsonChunks(result: RunResult): Generator<string> {
  yield* serialise({ ...result, schema: REPORT_SCHEMA }, 'run', '');
  yield '\n';
}

/** The JSON report text (ends with a newline). */
export function toJson(result: RunResult): string {
  return [...jsonChunks(result)].join('');
}

/** Where JSON.parse gave up, in bytes, and whether that is simply the end of a cut-short file. */
function describeSyntaxError(text: string, error: SyntaxError): string {
  const position = /at position (\d+)/.exec(error.message);
  const end = text.trimEnd().length;
  const truncated = !position || /end of JSON input|Unterminated string/.test(error.message) || Number(position[1]) >= end;
  if (truncated) return `truncated JSON at byte ${Buffer.byteLength(text)}`;
  const at = Buffer.byteLength(text.slice(0, Number(position[1])));
  return `not valid JSON at byte ${at} (${error.message.replace(/ in JSON at position \d+.*$/, '')})`;
}

/**
 * Reads a JSON report. Throws UsageError "<file>: <what is wrong>" for text that is not JSON, not
 * a leakhunt report, or lacks a field the readers need.
 */
export function parseReport(text: string, fileLabel: string): { result: RunResult; incomplete: boolean } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new UsageError(`${fileLabel}: empty file`);
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const looksLikeJson = /^\s*[{[]/.test(body);
    throw new UsageError(`${fileLabel}: ${looksLikeJson ? describeSyntaxError(body, error) : 'not a leakhunt report (not JSON)'}`);
  }
  try {
    const result = validateReport(data);
    return { result, incomplete: result.incomplete || result.verdict.incomplete === true };
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${fileLabel}: ${error.message}`);
    throw error;
  }
}
