// The per-process table a worker's helper writes under --allocations (LEAKHUNT_ALLOCATIONS):
// per task type, the traced runs and, per site, the bytes each traced run kept. Written by the
// worker, so every field is checked and every label cut short before anything reads it.
import type { AllocationFrame, AllocationTable, SiteRuns, TypeRunsTable } from '../model.js';

export const ALLOCATION_TABLE_FORMAT = 'leakhunt/allocations@1';

/** Labels from the worker are cut to this many characters (file paths get more room). */
const MAX_LABEL_CHARS = 200;
const MAX_PATH_CHARS = 500;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const cut = (text: string, max: number): string => (text.length > max ? text.slice(0, max) : text);

function frameOf(value: unknown): AllocationFrame | null {
  if (!isObject(value) || typeof value.file !== 'string' || !isCount(value.line)) return null;
  return {
    file: cut(value.file, MAX_PATH_CHARS),
    line: value.line,
    function: typeof value.function === 'string' ? cut(value.function, MAX_LABEL_CHARS) : '',
  };
}

function siteOf(value: unknown, traced: number): SiteRuns | null {
  if (!isObject(value) || !Array.isArray(value.stack) || !Array.isArray(value.deltas)) return null;
  const stack = value.stack.map(frameOf);
  const deltas = value.deltas;
  if (stack.length === 0 || stack.some((f) => f === null)) return null;
  if (deltas.length !== traced || deltas.some((d) => typeof d !== 'number' || !Number.isFinite(d))) return null;
  return { stack: stack as AllocationFrame[], deltas: deltas as number[] };
}

function typeOf(value: unknown): TypeRunsTable | null {
  if (!isObject(value) || typeof value.name !== 'string' || !isCount(value.runs)) return null;
  if (!Array.isArray(value.traced) || !value.traced.every(isCount) || !Array.isArray(value.sites)) return null;
  const traced = value.traced as number[];
  const sites = value.sites.map((site) => siteOf(site, traced.length)).filter((site): site is SiteRuns => site !== null);
  return { name: cut(value.name, MAX_LABEL_CHARS), runs: value.runs, traced, sites };
}

/** The table in a helper's file, or null when the text is not one (a helper from another version, a stray file). */
export function parseAllocationTable(text: string): AllocationTable | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(data) || data.format !== ALLOCATION_TABLE_FORMAT || !Array.isArray(data.types)) return null;
  const types = data.types.map(typeOf).filter((type): type is TypeRunsTable => type !== null);
  return {
    language: typeof data.language === 'string' ? cut(data.language, MAX_LABEL_CHARS) : 'unknown',
    pid: isCount(data.pid) ? data.pid : 0,
    types,
  };
}
