// Parsing and formatting of the units users type and read: durations and sizes.
import { UsageError } from './errors.js';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "100ms", "1.5s", "2m", "1h", or a bare number of milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) throw new UsageError(`${flag}: "${text}" is not a duration (try 100ms, 1s, 5m)`);
  const ms = Number(match[1]) * DURATION_UNITS[match[2] ?? 'ms']!;
  if (!(ms > 0)) throw new UsageError(`${flag}: must be greater than 0, got "${text}"`);
  return ms;
}

const SIZE_UNITS: Record<string, number> = {
  b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4,
};

/** "512MB", "1.5G", "4096" (bytes). Binary units throughout: 1 MB = 1 MiB, as ps and top show. */
export function parseSize(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const factor = match ? SIZE_UNITS[(match[2] || 'b').toLowerCase()] : undefined;
  if (!match || factor === undefined) throw new UsageError(`${flag}: "${text}" is not a size (try 512MB, 2G)`);
  const bytes = Math.round(Number(match[1]) * factor);
  if (!(bytes > 0)) throw new UsageError(`${flag}: must be greater than 0, got "${text}"`);
  return bytes;
}

const BYTE_STEPS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 52133 → "50.9 KB". Binary multiples, one decimal above bytes. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let step = 0;
  while (value >= 1024 && step < BYTE_STEPS.length - 1) {
    value /= 1024;
    step++;
  }
  return step === 0 ? `${sign}${Math.round(value)} B` : `${sign}${value.toFixed(1)} ${BYTE_STEPS[step]}`;
}

/** Signed: "+3.9 MB", "-12 KB", "0 B". */
export function formatDelta(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  return bytes > 0 ? `+${formatBytes(bytes)}` : formatBytes(bytes);
}

/** 93_000 → "1m33s"; 1500 → "1.5s"; 12 → "12ms". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  return `${m}m${String(s).padStart(2, '0')}s`;
}
