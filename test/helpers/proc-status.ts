// This process's memory as the kernel counts it, for probes that measure a peak in a process of
// their own (Linux only).
import { readFileSync, writeFileSync } from 'node:fs';

/** A `Vm*` field of /proc/self/status (VmRSS, VmHWM), in bytes. */
export function ownStatusBytes(field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(match![1]) * 1024;
}

/** Resets the peak (VmHWM) to the RSS now, so a peak read later is what came after. */
export function resetOwnPeak(): void {
  writeFileSync('/proc/self/clear_refs', '5');
}
