// Signal names → numbers, for the 128+N exit code a shell (and tini) reports.
import { constants } from 'node:os';

export function signalNumber(signal: string): number {
  return (constants.signals as Record<string, number>)[signal] ?? 0;
}
