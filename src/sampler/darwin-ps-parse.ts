// Parses the output of one `ps` call for the macOS backend. Pure, so it is tested on canned text.
import { cleanCommand } from './command.js';

/** Arguments for one `ps` per tick: every process, full width, no headers, the command last. */
export const PS_ARGS = ['-A', '-ww', '-o', 'pid=,ppid=,pgid=,rss=,vsz=,lstart=,command='];
/** Arguments to read one process's start time (for isSame). */
export const psStartArgs = (pid: number): string[] => ['-o', 'lstart=', '-p', String(pid)];
/** lstart is strftime("%c"): only the C locale guarantees "Mon Nov  3 03:57:01 2025". */
export const PS_ENV_OVERRIDES = { LC_ALL: 'C', LANG: 'C' } as const;

export interface PsRow {
  pid: number;
  ppid: number;
  pgid: number;
  /** ps reports both sizes in KiB. */
  rssBytes: number;
  vmsBytes: number;
  /** Seconds, from lstart: enough, with the pid, to tell a reused pid from the old process. */
  startTime: number;
  command: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LSTART = String.raw`[A-Z][a-z]{2}\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})`;
const ROW = new RegExp(String.raw`^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+${LSTART}\s?(.*)$`);
const START_ONLY = new RegExp(String.raw`^\s*${LSTART}\s*$`);

/** One row per process; lines that do not parse (a truncated last line) are skipped. */
export function parsePsOutput(text: string): PsRow[] {
  const rows: PsRow[] = [];
  for (const line of text.split('\n')) {
    const match = ROW.exec(line);
    if (!match) continue;
    const startTime = lstartSeconds(match.slice(6, 12));
    if (startTime === null) continue;
    rows.push({
      pid: Number(match[1]),
      ppid: Number(match[2]),
      pgid: Number(match[3]),
      rssBytes: Number(match[4]) * 1024,
      vmsBytes: Number(match[5]) * 1024,
      startTime,
      command: cleanCommand(match[12]!),
    });
  }
  return rows;
}

/** The start time from `ps -o lstart= -p PID` output, or null. */
export function parsePsStart(text: string): number | null {
  const match = START_ONLY.exec(text.trim());
  return match ? lstartSeconds(match.slice(1, 7)) : null;
}

/**
 * [month, day, hour, minute, second, year] as seconds. lstart is local time; read as if it were UTC
 * it is still a stable, ordered identity for the process, which is all startTime needs to be.
 */
function lstartSeconds(parts: string[]): number | null {
  const month = MONTHS.indexOf(parts[0]!);
  if (month < 0) return null;
  const [day, hour, minute, second, year] = parts.slice(1).map(Number) as [number, number, number, number, number];
  return Date.UTC(year, month, day, hour, minute, second) / 1000;
}
