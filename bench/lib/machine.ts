// The machine a bench ran on, recorded beside the numbers: timings mean little without it.
import { cpus, loadavg, release, totalmem } from 'node:os';
import { forksSinceBoot } from './proc.js';
import { fmt, monotonicMs } from './stats.js';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  /** 1-minute load averages seen during the run (one per row). */
  loads: number[];
  /** Processes started machine-wide, and when, at the start of the run: how busy others kept it. */
  forksAtStart: number;
  startedMs: number;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: `Linux ${release()}`,
    node: process.version,
    loads: [],
    forksAtStart: forksSinceBoot(),
    startedMs: monotonicMs(),
  };
}

/** Notes the load average now: other work on the machine is the main source of noise. */
export const recordLoad = (machine: Machine): void => void machine.loads.push(loadavg()[0]!);

export function machineLine(machine: Machine): string {
  const loads = machine.loads.length ? machine.loads : [loadavg()[0]!];
  const range = `${fmt(Math.min(...loads), 2)}–${fmt(Math.max(...loads), 2)}`;
  const forksPerSecond = (forksSinceBoot() - machine.forksAtStart) / ((monotonicMs() - machine.startedMs) / 1000);
  return `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.kernel}, Node ${machine.node}; 1-minute load average ${range} and ${fmt(forksPerSecond)} processes started per second (the bench's own included) during the run`;
}
