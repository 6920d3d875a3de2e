// What a process has cost so far, read from /proc: CPU time (user + system, all threads) and its
// resident memory now and at its peak. Used to measure leakhunt and its peers from the outside.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of pid in milliseconds; null when it is gone. */
export function cpuMsOf(pid: number): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command, which may hold spaces: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat; the slice starts at field 3 (state).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** A "Vm…:  1234 kB" line of /proc/<pid>/status in bytes; null when the process or line is gone. */
export function statusBytes(pid: number | 'self', field: 'VmHWM' | 'VmRSS'): number | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match ? Number(match[1]) * 1024 : null;
}

/** Direct children of pid (all its threads'), from /proc/<pid>/task/<tid>/children. */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** pid and all its descendants alive now. */
export function treeOf(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...childrenOf(out[i]!));
  return out;
}

/**
 * Nanoseconds pid's threads have spent on a CPU (sum of /proc/<pid>/task/<tid>/schedstat): finer
 * than stat's clock ticks, for short windows. Threads that exited are not counted; null when gone.
 */
export function cpuNsOf(pid: number): number | null {
  let total = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    }
  } catch {
    return null;
  }
  return total;
}

/** Processes (and threads) the machine has started since boot: the `processes` line of /proc/stat. */
export function forksSinceBoot(): number {
  return Number(/^processes (\d+)/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1] ?? Number.NaN);
}
