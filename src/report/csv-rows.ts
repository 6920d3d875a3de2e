// Typed rows from the CSV files csv.ts writes: the samples table and the per-task table.
// Columns are found by name, so a file with extra or reordered columns still reads.
import type { Sample, SampleEvent, TaskRecord } from '../model.js';
import { UsageError } from '../errors.js';
import { decodeTextCell, parseCsv } from './csv-parse.js';

const EVENTS: readonly SampleEvent[] = ['tick', 'start', 'exit', 'task-start', 'task-end'];

class Table {
  private readonly index: Map<string, number>;
  constructor(private readonly label: string, header: string[]) {
    this.index = new Map(header.map((name, i) => [name.trim(), i]));
  }
  has(column: string): boolean {
    return this.index.has(column);
  }
  private cell(record: string[], column: string): string {
    const i = this.index.get(column);
    return i === undefined ? '' : record[i] ?? '';
  }
  number(record: string[], line: number, column: string): number | null {
    const cell = this.cell(record, column).trim();
    if (cell === '') return null;
    const value = Number(cell);
    if (!Number.isFinite(value)) throw new UsageError(`${this.label}: record ${line}: ${column} is not a number (${JSON.stringify(cell.slice(0, 40))})`);
    return value;
  }
  required(record: string[], line: number, column: string): number {
    const value = this.number(record, line, column);
    if (value === null) throw new UsageError(`${this.label}: record ${line}: ${column} is empty`);
    return value;
  }
  text(record: string[], column: string): string | undefined {
    const cell = this.cell(record, column);
    return cell === '' ? undefined : decodeTextCell(cell);
  }
}

interface Parsed<T> {
  rows: T[];
  /** The text ended mid-record: the last, partial record was left out. */
  complete: boolean;
}

function readTable(text: string, label: string, requiredColumns: string[], kind: string): { table: Table; records: Array<[number, string[]]>; complete: boolean } {
  const parsed = parseCsv(text);
  const [header, ...body] = parsed.records;
  if (!header) throw new UsageError(`${label}: empty file`);
  const table = new Table(label, header);
  const missing = requiredColumns.filter((column) => !table.has(column));
  if (missing.length) throw new UsageError(`${label}: not a leakhunt ${kind} CSV (no ${missing.join(', ')} column)`);
  const records: Array<[number, string[]]> = [];
  body.forEach((record, i) => {
    if (record.length === 1 && record[0] === '') return; // a blank line
    if (record.length < header.length) {
      throw new UsageError(`${label}: record ${i + 2} has ${record.length} cells, the header has ${header.length}`);
    }
    records.push([i + 2, record]);
  });
  return { table, records, complete: parsed.complete };
}

/** Sample rows of a samples CSV (header line is record 1 in messages). */
export function readSampleRows(text: string, label: string): Parsed<Sample> {
  const { table, records: all, complete } = readTable(text, label, ['elapsed_ms', 'seq', 'pid', 'rss_bytes'], 'samples');
  // A run writes an `exit` row last (with no process when the whole tree was gone by then): a
  // file that does not end with one was cut short (leakhunt killed), even if its last line is whole.
  const lastEvent = all.length > 0 ? table.text(all[all.length - 1]![1], 'event') : undefined;
  const records = all.filter(([, r]) => table.text(r, 'pid') !== undefined);
  const rows = records.map(([line, r]): Sample => {
    const event = table.text(r, 'event') as SampleEvent | undefined;
    const task = table.text(r, 'task');
    const name = table.text(r, 'name');
    const mode = table.text(r, 'mode');
    const pss = table.number(r, line, 'pss_bytes');
    const uss = table.number(r, line, 'uss_bytes');
    return {
      pid: table.required(r, line, 'pid'),
      ppid: table.number(r, line, 'ppid') ?? 0,
      startTime: table.number(r, line, 'start_time') ?? 0,
      command: table.text(r, 'command') ?? '',
      rssBytes: table.number(r, line, 'rss_bytes'),
      vmsBytes: table.number(r, line, 'vms_bytes'),
      peakRssBytes: table.number(r, line, 'peak_rss_bytes'),
      fds: table.number(r, line, 'fds'),
      threads: table.number(r, line, 'threads'),
      ...(pss !== null ? { pssBytes: pss } : {}),
      ...(uss !== null ? { ussBytes: uss } : {}),
      seq: table.required(r, line, 'seq'),
      elapsedMs: table.required(r, line, 'elapsed_ms'),
      // An event this version does not know is read as an ordinary tick.
      event: event && EVENTS.includes(event) ? event : 'tick',
      ...(task !== undefined ? { task } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(mode !== undefined ? { mode } : {}),
    };
  });
  return { rows, complete: complete && lastEvent === 'exit' };
}

/** Task rows of a per-task CSV. */
export function readTaskRows(text: string, label: string): Parsed<TaskRecord> {
  const { table, records, complete } = readTable(text, label, ['task', 'start_ms'], 'per-task');
  const rows = records.map(([line, r]): TaskRecord => {
    const mode = table.text(r, 'mode');
    const ok = table.text(r, 'ok');
    return {
      task: table.text(r, 'task') ?? '',
      name: table.text(r, 'name') ?? '',
      pid: table.number(r, line, 'pid'),
      startMs: table.required(r, line, 'start_ms'),
      endMs: table.number(r, line, 'end_ms'),
      durationMs: table.number(r, line, 'duration_ms'),
      ok: ok === 'true' ? true : ok === 'false' ? false : null,
      rssBeforeBytes: table.number(r, line, 'rss_before_bytes'),
      rssAfterBytes: table.number(r, line, 'rss_after_bytes'),
      deltaBytes: table.number(r, line, 'delta_bytes'),
      treeRssBeforeBytes: table.number(r, line, 'tree_rss_before_bytes'),
      treeRssAfterBytes: table.number(r, line, 'tree_rss_after_bytes'),
      treeDeltaBytes: table.number(r, line, 'tree_delta_bytes'),
      ...(mode !== undefined ? { mode } : {}),
    };
  });
  return { rows, complete };
}
