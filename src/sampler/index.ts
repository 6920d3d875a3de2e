// The sampling backends, by name, and the choice of one for a platform.
import { UsageError } from '../errors.js';
import { createDarwinPsSampler } from './darwin-ps.js';
import { createLinuxProcSampler } from './linux-proc.js';
import { createPidusageSampler } from './pidusage.js';
import type { SamplerFactory } from './types.js';

export type SamplerName = 'linux' | 'darwin' | 'pidusage';

export const samplers = {
  linux: createLinuxProcSampler,
  darwin: createDarwinPsSampler,
  pidusage: createPidusageSampler,
} satisfies Record<SamplerName, SamplerFactory>;

export const isSamplerName = (name: string): name is SamplerName => Object.hasOwn(samplers, name);

/** The backend name for a platform: /proc on Linux, ps on macOS, pidusage anywhere else. */
export function samplerNameFor(platform: NodeJS.Platform | string = process.platform): SamplerName {
  if (platform === 'linux') return 'linux';
  if (platform === 'darwin') return 'darwin';
  return 'pidusage';
}

/** The factory for this platform, or the one named by `override` (an unknown name is a usage error). */
export function pickSampler(platform: NodeJS.Platform | string = process.platform, override?: string): SamplerFactory {
  if (override === undefined) return samplers[samplerNameFor(platform)];
  if (!isSamplerName(override)) {
    throw new UsageError(`--sampler: unknown sampler "${override}" (choose ${Object.keys(samplers).join(', ')})`);
  }
  return samplers[override];
}

export type { Sampler, SamplerFactory, SamplerOptions, TreeReading } from './types.js';
