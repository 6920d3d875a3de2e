// The isolation modes of `compare` (DESIGN "Modes of compare"): how one task stream is split
// over worker processes.
import { UsageError } from '../errors.js';

export type Mode =
  | { kind: 'in-process'; label: 'in-process' }
  | { kind: 'isolated'; label: 'isolated' }
  | { kind: 'recycle'; label: string; every: number }
  | { kind: 'fork'; label: 'fork' }
  /** compare --variant: a worker command of its own, driven by the --load command. */
  | { kind: 'variant'; label: string; command: string[]; isolating: boolean; baseline: boolean };

export function parseModes(text: string): Mode[] {
  const modes: Mode[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    let mode: Mode;
    if (part === 'in-process' || part === 'isolated' || part === 'fork') mode = { kind: part, label: part } as Mode;
    else {
      const match = /^recycle:(\d+)$/.exec(part);
      if (!match || Number(match[1]) < 1) {
        throw new UsageError(`--modes: unknown mode "${part}" (known: in-process, isolated, recycle:N, fork)`);
      }
      mode = { kind: 'recycle', label: `recycle:${Number(match[1])}`, every: Number(match[1]) };
    }
    if (modes.some((m) => m.label === mode.label)) throw new UsageError(`--modes: "${part}" is listed twice`);
    modes.push(mode);
  }
  if (modes.length === 0) throw new UsageError('--modes: no mode given');
  return modes;
}

/** How many tasks each worker process of this mode runs. */
export function tasksPerProcess(mode: Mode, total: number): number {
  switch (mode.kind) {
    case 'isolated':
      return 1;
    case 'recycle':
      return mode.every;
    default:
      return total;
  }
}

/** Extra environment for the worker: the helpers fork a child per task under LEAKHUNT_ISOLATE=fork. */
export function modeEnv(mode: Mode): NodeJS.ProcessEnv {
  return mode.kind === 'fork' ? { LEAKHUNT_ISOLATE: 'fork' } : {};
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
