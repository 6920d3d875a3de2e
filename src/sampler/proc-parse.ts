// Parsers for /proc text read into a reused Buffer. They walk the bytes instead of building
// strings, so a tick over fifty processes allocates next to nothing.
import { cleanCommand, COMMAND_MAX_CHARS } from './command.js';

/** The /proc/<pid>/stat fields leakhunt uses. One object is refilled on every read. */
export interface StatFields {
  /** Character code of the state letter (R, S, D, Z, ...). */
  state: number;
  ppid: number;
  /** Process group, so a caller can tell which members a group signal already reached. */
  pgid: number;
  sid: number;
  threads: number;
  /** Clock ticks after boot: with the pid it names one process, so a reused pid is told apart. */
  startTime: number;
  vsizeBytes: number;
  rssPages: number;
  /**
   * Where argv lives (field 48, Linux 3.5+; 0 when absent or hidden): it moves on every exec, so a
   * change says the command must be read again even when comm stayed the same (sh exec'ing sh).
   */
  argStart: number;
  /** Byte range of comm inside the buffer, valid until the buffer is reused. */
  commStart: number;
  commEnd: number;
}

export const newStatFields = (): StatFields => ({
  state: 0, ppid: 0, pgid: 0, sid: 0, threads: 0, startTime: 0, vsizeBytes: 0, rssPages: 0, argStart: 0, commStart: 0, commEnd: 0,
});

const SPACE = 0x20;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** stat(5) field numbers, counted from 1 (pid) as the man page does. */
const FIELD_PPID = 4;
const FIELD_PGRP = 5;
const FIELD_SESSION = 6;
const FIELD_THREADS = 20;
const FIELD_STARTTIME = 22;
const FIELD_VSIZE = 23;
const FIELD_RSS = 24;
const FIELD_ARG_START = 48;

/**
 * Fills `out` from the first `length` bytes of a stat line. comm may hold spaces and ')' (a process
 * can name itself "x) Z 1 1 "), so the fields are counted from the LAST ')'. False when malformed.
 */
export function parseStat(buf: Buffer, length: number, out: StatFields): boolean {
  const open = buf.indexOf(OPEN_PAREN);
  let close = length - 1;
  while (close > open && buf[close] !== CLOSE_PAREN) close--;
  if (open < 0 || open >= length || close <= open || close + 2 >= length) return false;
  out.commStart = open + 1;
  out.commEnd = close;
  out.state = buf[close + 2]!;
  out.argStart = 0;
  let position = close + 3;
  let field = 4;
  while (field <= FIELD_ARG_START) {
    while (position < length && buf[position] === SPACE) position++;
    // Fields past rss are optional: older kernels print fewer.
    if (position >= length || buf[position] === 0x0a) return field > FIELD_RSS;
    let sign = 1;
    if (buf[position] === MINUS) {
      sign = -1;
      position++;
    }
    let value = 0;
    let digits = 0;
    while (position < length && buf[position]! >= ZERO && buf[position]! <= NINE) {
      value = value * 10 + (buf[position]! - ZERO);
      position++;
      digits++;
    }
    if (digits === 0) return field > FIELD_RSS;
    value *= sign;
    if (field === FIELD_PPID) out.ppid = value;
    else if (field === FIELD_PGRP) out.pgid = value;
    else if (field === FIELD_SESSION) out.sid = value;
    else if (field === FIELD_THREADS) out.threads = value;
    else if (field === FIELD_STARTTIME) out.startTime = value;
    else if (field === FIELD_VSIZE) out.vsizeBytes = value;
    else if (field === FIELD_RSS) out.rssPages = value;
    else if (field === FIELD_ARG_START) out.argStart = value;
    field++;
  }
  return true;
}

/** Needles for "Name:   1234 kB" lines; the leading newline keeps "Pss:" from matching "SwapPss:". */
export const KB_FIELD = {
  vms: Buffer.from('\nVmSize:'),
  rss: Buffer.from('\nVmRSS:'),
  peakRss: Buffer.from('\nVmHWM:'),
  pss: Buffer.from('\nPss:'),
  privateClean: Buffer.from('\nPrivate_Clean:'),
  privateDirty: Buffer.from('\nPrivate_Dirty:'),
} as const;

/** Bytes of a "Name: N kB" line within the first `length` bytes, or null when the line is absent. */
export function readKbField(buf: Buffer, length: number, needle: Buffer): number | null {
  const at = buf.indexOf(needle);
  // indexOf scans the whole buffer: a hit past `length` is stale text from an earlier, longer read.
  if (at < 0 || at + needle.length >= length) return null;
  let position = at + needle.length;
  while (position < length && (buf[position] === SPACE || buf[position] === 0x09)) position++;
  let value = 0;
  let digits = 0;
  while (position < length && buf[position]! >= ZERO && buf[position]! <= NINE) {
    value = value * 10 + (buf[position]! - ZERO);
    position++;
    digits++;
  }
  return digits === 0 ? null : value * 1024;
}

/** A UTF-8 character is at most 4 bytes, so this many bytes always hold COMMAND_MAX_CHARS. */
const COMMAND_MAX_BYTES = COMMAND_MAX_CHARS * 4;

/** argv (NUL-separated in /proc/<pid>/cmdline), or comm, as one bounded display line. */
export function decodeCommand(buf: Buffer, start: number, end: number): string {
  return cleanCommand(buf.toString('utf8', start, Math.min(end, start + COMMAND_MAX_BYTES)));
}

/** The last pid the kernel handed out: the fifth field of /proc/loadavg ("0.1 0.2 0.3 1/99 4567"). */
export function parseLastPid(buf: Buffer, length: number): number | null {
  let end = length;
  while (end > 0 && (buf[end - 1] === 0x0a || buf[end - 1] === SPACE)) end--;
  let start = end;
  while (start > 0 && buf[start - 1]! >= ZERO && buf[start - 1]! <= NINE) start--;
  if (start === end || start === 0 || buf[start - 1] !== SPACE) return null;
  let value = 0;
  for (let i = start; i < end; i++) value = value * 10 + (buf[i]! - ZERO);
  return value;
}
