// One boundary line of task protocol v1 (DESIGN.md, "Task protocol v1"):
//   {"event":"start","task":"42","name":"send_email","pid":1234}
//   {"event":"end","task":"42","ok":true,"pid":1234,"metrics":{"heapUsed":18311040}}
// Pure: text in, event out. Whatever arrives is cut to fixed caps, so a hostile or buggy worker
// cannot make leakhunt hold more than a few KB per event.

export type BoundaryEventKind = 'start' | 'end';
export type MetricValue = number | string | string[];

export interface BoundaryEvent {
  event: BoundaryEventKind;
  task: string;
  name?: string;
  pid?: number;
  ok?: boolean;
  metrics?: Record<string, MetricValue>;
}

/** Task ids, names and metric strings longer than this are cut: they are labels, not data. */
export const MAX_LABEL_CHARS = 200;
/** Metrics beyond this many keys are dropped: a handful of figures is all a report shows. */
export const MAX_METRIC_KEYS = 32;
/** String-array metrics (e.g. newModules) keep at most this many entries. */
export const MAX_METRIC_LIST = 20;

/** Parses one boundary line; null when it is not one (bad JSON, no or unknown event, no task id). */
export function parseBoundaryLine(line: string): BoundaryEvent | null {
  const value = parseJsonObject(line);
  if (!value) return null;
  if (value.event !== 'start' && value.event !== 'end') return null;
  const task = label(value.task);
  if (task === undefined || task === '') return null;

  const event: BoundaryEvent = { event: value.event, task };
  const name = typeof value.name === 'string' ? cut(value.name) : undefined;
  if (name) event.name = name;
  if (typeof value.pid === 'number' && Number.isSafeInteger(value.pid) && value.pid > 0) event.pid = value.pid;
  if (typeof value.ok === 'boolean') event.ok = value.ok;
  const metrics = parseMetrics(value.metrics);
  if (metrics) event.metrics = metrics;
  return event;
}

function parseMetrics(raw: unknown): Record<string, MetricValue> | undefined {
  if (!isRecord(raw)) return undefined;
  const metrics: Record<string, MetricValue> = {};
  let kept = 0;
  for (const [key, value] of Object.entries(raw)) {
    if (kept >= MAX_METRIC_KEYS) break;
    const metric = metricValue(value);
    // `__proto__` would replace the object's prototype instead of adding a key.
    if (metric === undefined || key === '__proto__') continue;
    metrics[cut(key)] = metric;
    kept += 1;
  }
  return kept > 0 ? metrics : undefined;
}

/** Finite numbers, strings and lists of strings; anything else (objects, booleans) is skipped. */
function metricValue(value: unknown): MetricValue | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return cut(value);
  if (Array.isArray(value)) {
    return value
      .filter((item): item is string => typeof item === 'string')
      .slice(0, MAX_METRIC_LIST)
      .map(cut);
  }
  return undefined;
}

/** Ids may arrive as JSON numbers (`"task":7`); they become strings. */
function label(value: unknown): string | undefined {
  if (typeof value === 'string') return cut(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function cut(text: string): string {
  if (text.length <= MAX_LABEL_CHARS) return text;
  // Never end on half a surrogate pair: the cut text must still be valid UTF-16.
  const last = text.charCodeAt(MAX_LABEL_CHARS - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_LABEL_CHARS - 1 : MAX_LABEL_CHARS);
}

/** A line of JSON that is an object (not an array), or null. */
function parseJsonObject(line: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(line);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
