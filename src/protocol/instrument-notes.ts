// What --instrument's hooks noted while the worker ran: one JSON line per process that imported a
// supported framework, `{"framework":"celery","version":"5.2.6","status":"hooked","pid":1234}`, or
// `"status":"unfit"` with a `detail` when the hooks did not fit that version. Pure: text in,
// summary out; lines that are not such a note are skipped.
import type { InstrumentReport } from '../model.js';

/** Notes are labels: cut like protocol labels, and at most this many distinct ones are kept. */
const MAX_LABEL_CHARS = 200;
const MAX_ENTRIES = 20;

export function summariseInstrumentNotes(text: string): InstrumentReport {
  const hooked = new Map<string, { framework: string; version: string; pids: Set<number> }>();
  const unfit = new Map<string, { framework: string; version: string; detail: string }>();
  for (const line of text.split('\n')) {
    const note = parseNote(line);
    if (!note) continue;
    const key = `${note.framework}\u0000${note.version}`;
    if (note.status === 'hooked') {
      const entry = hooked.get(key) ?? (hooked.size < MAX_ENTRIES ? { framework: note.framework, version: note.version, pids: new Set<number>() } : null);
      if (!entry) continue;
      hooked.set(key, entry);
      if (note.pid !== null) entry.pids.add(note.pid);
    } else if (!unfit.has(key) && unfit.size < MAX_ENTRIES) {
      unfit.set(key, { framework: note.framework, version: note.version, detail: note.detail });
    }
  }
  return {
    hooked: [...hooked.values()].map((h) => ({ framework: h.framework, version: h.version, processes: h.pids.size })),
    unfit: [...unfit.values()],
  };
}

interface Note {
  framework: string;
  version: string;
  status: 'hooked' | 'unfit';
  pid: number | null;
  detail: string;
}

function parseNote(line: string): Note | null {
  if (line.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (typeof record.framework !== 'string' || (record.status !== 'hooked' && record.status !== 'unfit')) return null;
  return {
    framework: cut(record.framework),
    version: typeof record.version === 'string' ? cut(record.version) : '?',
    status: record.status,
    pid: typeof record.pid === 'number' && Number.isSafeInteger(record.pid) ? record.pid : null,
    detail: typeof record.detail === 'string' ? cut(record.detail) : '',
  };
}

function cut(text: string): string {
  return text.length > MAX_LABEL_CHARS ? text.slice(0, MAX_LABEL_CHARS) : text;
}
